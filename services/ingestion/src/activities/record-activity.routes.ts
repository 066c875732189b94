import type pg from 'pg';
import { z } from 'zod';
import { leadActivitySchema, leadActivityTypes, storableString, streamIdFor } from '@l2o/contracts';
import { leadDecider, RuleViolation } from '@l2o/domain';
import type { RecordActivity } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import { currentTraceparent, errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { maxConflictRetries } from '../capture/create-lead-capturer.ts';
import { followingMerges } from '../capture/follow-merges.ts';
import { findLeadByKey } from '../capture/lead-identities.ts';
import { ingestionMetadata } from '../capture/prepare-capture.ts';
import { normalizeEmail } from '../normalize/index.ts';

const activity = leadActivitySchema.shape;

const exampleLeadId = '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b';

const recordActivityBody = z
  .object({
    leadId: z.uuid().optional().describe('The lead; or give its email.'),
    email: storableString().trim().min(1).max(254).optional().describe('Finds the lead by its normalized email.'),
    type: z.enum(leadActivityTypes),
    occurredAt: activity.occurredAt,
    campaign: activity.campaign,
    channel: activity.channel,
    url: activity.url,
    title: activity.title,
    details: activity.details,
    idempotencyKey: storableString()
      .trim()
      .min(1)
      .max(128)
      .optional()
      .describe('Makes a retry safe: an activity with a key the lead has seen is a duplicate.'),
  })
  .refine((body) => body.leadId !== undefined || body.email !== undefined, {
    message: 'a leadId or an email is required',
    path: ['leadId'],
  })
  .meta({
    examples: [
      {
        email: 'ada@example.com',
        type: 'pricing_page_view',
        occurredAt: '2025-04-03T08:14:47.000Z',
        campaign: 'q2-analytics',
        url: 'https://example.com/pricing',
        title: 'Pricing',
        idempotencyKey: 'web:5e2a7c1d-9b3f-4a6e-8d0c-2f1e3d4c5b6a',
      },
    ],
  });

const recordedResponse = z
  .object({ leadId: z.uuid(), status: z.enum(['recorded', 'duplicate']) })
  .meta({ examples: [{ leadId: exampleLeadId, status: 'recorded' }] });

const scope: ApiScope = 'ingest';

/** `POST /v1/activities`: a behaviour of a known lead, recorded on it for scoring. */
export function recordActivityRoutes(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { pool, store, clock } = options;
  return async (app) => {
    app.post(
      '/v1/activities',
      {
        config: { scope },
        schema: {
          summary: 'Record an activity of a lead',
          description: `Page view, pricing page view, content download, email open or click, webinar attended or demo requested, on the lead named by leadId or email (a merged lead's activities go to its survivor). Needs the ${scope} scope.`,
          tags: ['activities'],
          body: recordActivityBody,
          response: {
            202: recordedResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema.describe('No lead of the tenant has this leadId or email.'),
            409: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        const { leadId: givenLeadId, email, idempotencyKey, ...given } = request.body;
        const field = givenLeadId === undefined ? 'email' : 'leadId';
        const notFound = () =>
          new HttpError({ status: 404, code: 'not_found', field, reason: `no lead has this ${field}` });

        let leadId = givenLeadId;
        if (leadId === undefined && email !== undefined) {
          const normalized = normalizeEmail(email);
          if (!normalized.ok) {
            throw new HttpError({ status: 400, code: 'validation_failed', field: 'email', reason: normalized.reason });
          }
          leadId = await findLeadByKey({ pool, tenantId, key: { kind: 'email', value: normalized.value } });
        }
        if (leadId === undefined) throw notFound();

        const metadata = ingestionMetadata({ tenantId, correlationId: request.id, traceparent: currentTraceparent() });
        const now = clock();
        try {
          const recorded = await followingMerges({
            pool,
            tenantId,
            leadId,
            attempt: async (target) => {
              const command: RecordActivity = {
                type: 'RecordActivity',
                data: { leadId: target, tenantId, activity: definedFields(given) },
                ...(idempotencyKey === undefined ? {} : { captureId: `activity:${idempotencyKey}` }),
                metadata: { now },
              };
              const { events } = await handleCommand({
                store,
                streamId: streamIdFor('lead', target),
                decider: leadDecider,
                command,
                metadata,
                maxRetries: maxConflictRetries,
              });
              return { leadId: target, status: events.length === 0 ? ('duplicate' as const) : ('recorded' as const) };
            },
          });
          return reply.code(202).send(recorded);
        } catch (error) {
          // Another tenant's lead is answered as missing, so ids cannot be probed across tenants.
          if (error instanceof RuleViolation && (error.field === 'leadId' || error.field === 'tenantId')) {
            throw notFound();
          }
          throw error;
        }
      },
    );
  };
}

function definedFields<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
