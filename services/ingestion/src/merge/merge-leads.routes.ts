import type pg from 'pg';
import { z } from 'zod';
import { storableString, streamIdFor } from '@l2o/contracts';
import { decideMerge, evolveLead, initialLeadState } from '@l2o/domain';
import type { Lead, LeadEvent, MergeLeads } from '@l2o/domain';
import { retryOnConflict, toNewEvents } from '@l2o/event-store';
import type { EventStore, RecordedEvent } from '@l2o/event-store';
import { currentTraceparent, errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { maxConflictRetries } from '../capture/create-lead-capturer.ts';
import { repointIdentities } from '../capture/lead-identities.ts';
import { ingestionMetadata } from '../capture/prepare-capture.ts';

const mergeBody = z
  .object({
    survivorLeadId: z.uuid().describe('The lead that stays and takes the other’s keys, captures and profile gaps.'),
    mergedLeadId: z.uuid().describe('The lead merged into the survivor; its later captures and activities go there.'),
    reason: storableString().trim().min(1).max(500).optional(),
  })
  .meta({
    examples: [
      {
        survivorLeadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
        mergedLeadId: '5e2a7c1d-9b3f-4a6e-8d0c-2f1e3d4c5b6a',
        reason: 'same person, work and private email',
      },
    ],
  });

const mergeResponse = z
  .object({ survivorLeadId: z.uuid(), mergedLeadId: z.uuid(), status: z.enum(['merged', 'already_merged']) })
  .meta({
    examples: [
      {
        survivorLeadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
        mergedLeadId: '5e2a7c1d-9b3f-4a6e-8d0c-2f1e3d4c5b6a',
        status: 'merged',
      },
    ],
  });

// Merging rewrites who a person is for every later capture, so it needs more than a key that web
// forms may embed (ingest): the key of someone who administers the tenant's lead rules.
const scope: ApiScope = 'administer_rules';

/** `POST /v1/leads/merge`: one lead into another, both histories kept (LeadsMerged on both streams). */
export function mergeLeadsRoutes(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStreams'>;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { pool, store, clock } = options;
  return async (app) => {
    app.post(
      '/v1/leads/merge',
      {
        config: { scope },
        schema: {
          summary: 'Merge two leads',
          description: `Appends LeadsMerged to both leads in one transaction; both histories stay, the survivor fills its unknown profile fields from the merged lead, and the merged lead's email, phone and other keys find the survivor from then on. Needs the ${scope} scope.`,
          tags: ['leads'],
          body: mergeBody,
          response: {
            200: mergeResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema.describe('One of the leads does not exist for the tenant (field names which).'),
            409: errorResponseSchema.describe(
              'The merge breaks a rule (rule_violation with the field): a lead into itself, a lead already merged elsewhere, a survivor that was merged.',
            ),
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const { survivorLeadId, mergedLeadId, reason } = request.body;
        const command: MergeLeads = {
          type: 'MergeLeads',
          data: { tenantId, survivorLeadId, mergedLeadId, ...(reason === undefined ? {} : { reason }) },
          metadata: { now: clock() },
        };
        const metadata = ingestionMetadata({ tenantId, correlationId: request.id, traceparent: currentTraceparent() });
        const survivorStream = streamIdFor('lead', survivorLeadId);
        const mergedStream = streamIdFor('lead', mergedLeadId);

        const status = await retryOnConflict(
          async (): Promise<'merged' | 'already_merged'> => {
            const [survivorPast, mergedPast] = await Promise.all([
              store.readStream(survivorStream),
              store.readStream(mergedStream),
            ]);
            const survivor = existing({ past: survivorPast, tenantId, field: 'survivorLeadId' });
            const merged = existing({ past: mergedPast, tenantId, field: 'mergedLeadId' });
            const decision = decideMerge({ survivor, merged, command });
            if (decision.survivorEvents.length === 0 && decision.mergedEvents.length === 0) return 'already_merged';
            await store.appendToStreams([
              {
                streamId: survivorStream,
                events: toNewEvents({ events: decision.survivorEvents, metadata }),
                expectedVersion: survivorPast.at(-1)?.streamVersion ?? 'no_stream',
              },
              {
                streamId: mergedStream,
                events: toNewEvents({ events: decision.mergedEvents, metadata }),
                expectedVersion: mergedPast.at(-1)?.streamVersion ?? 'no_stream',
              },
            ]);
            return 'merged';
          },
          { maxRetries: maxConflictRetries },
        );
        // Also on already_merged: it finishes a merge whose repointing a crash interrupted.
        await repointIdentities({ pool, tenantId, fromLeadId: mergedLeadId, toLeadId: survivorLeadId });
        return { survivorLeadId, mergedLeadId, status };
      },
    );
  };
}

function existing(options: { past: RecordedEvent[]; tenantId: string; field: string }): Lead {
  const lead = options.past.reduce(
    (state, recorded) => evolveLead(state, { type: recorded.type, data: recorded.data } as LeadEvent),
    initialLeadState(),
  );
  // Another tenant's lead is answered as missing, so ids cannot be probed across tenants.
  if (lead.status === 'none' || lead.tenantId !== options.tenantId) {
    throw new HttpError({ status: 404, code: 'not_found', field: options.field, reason: 'no such lead' });
  }
  return lead;
}
