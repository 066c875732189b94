import type pg from 'pg';
import { z } from 'zod';
import { leadScoredV1Example, maxPgInteger } from '@l2o/contracts';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';

const scope: ApiScope = 'read_reports';

const timelineEntry = z.object({
  version: z.int().describe('Position in the lead’s stream, from 1.'),
  eventId: z.uuid(),
  type: z.string().describe('The event type (LeadCaptured, LeadScored, LeadAssigned…), as in docs/events.'),
  schemaVersion: z.int(),
  recordedAt: z.iso.datetime(),
  data: z
    .record(z.string(), z.unknown())
    .describe('The event data as published; a LeadScored carries its breakdown, the explanation of the score.'),
});

const leadTimeline = z
  .object({
    leadId: z.uuid(),
    events: z.array(timelineEntry),
    nextAfterVersion: z
      .int()
      .nullable()
      .describe('Pass as afterVersion for the rest of a long timeline; null when this is the end.'),
  })
  .meta({
    description: 'Every event of a lead, in the order it happened to the lead.',
    examples: [
      {
        leadId: leadScoredV1Example.leadId,
        events: [
          {
            version: 5,
            eventId: '9a1f6c3e-0d2b-4e5f-8a7b-6c5d4e3f2a1b',
            type: 'LeadScored',
            schemaVersion: 1,
            recordedAt: '2025-04-03T08:15:03.120Z',
            data: { ...leadScoredV1Example },
          },
        ],
        nextAfterVersion: null,
      },
    ],
  });

type TimelineRow = {
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  recorded_at: Date;
  data: Record<string, unknown>;
};

/** `GET /v1/leads/:leadId/timeline`: the lead's events from the lead_timeline read model. */
export function leadTimelineRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/leads/:leadId/timeline',
      {
        config: { scope },
        schema: {
          summary: 'Read a lead’s timeline',
          description:
            `Every event of a lead of the API key's tenant in stream order, with its data: scores with their ` +
            `breakdown, qualification, assignments, the owner's actions. The key needs the ${scope} scope.`,
          tags: ['leads'],
          params: z.object({ leadId: z.uuid() }),
          querystring: z.object({
            // stream_version is an integer column: a larger value would fail the query, not find nothing.
            afterVersion: z.coerce.number().int().min(0).max(maxPgInteger).default(0),
            limit: z.coerce.number().int().min(1).max(1000).default(500),
          }),
          response: {
            200: leadTimeline,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const { leadId } = request.params;
        const { afterVersion, limit } = request.query;
        const result = await options.pool.query<TimelineRow>(
          `SELECT stream_version, event_id::text AS event_id, type, schema_version, recorded_at, data
           FROM lead_timeline WHERE tenant_id = $1 AND lead_id = $2 AND stream_version > $3
           ORDER BY stream_version LIMIT $4`,
          [tenantOf(request), leadId, afterVersion, limit + 1],
        );
        const rows = result.rows.slice(0, limit);
        if (rows.length === 0 && afterVersion === 0) {
          throw new HttpError({ status: 404, code: 'not_found', reason: `lead ${leadId} not found` });
        }
        return {
          leadId,
          events: rows.map((row) => ({
            version: row.stream_version,
            eventId: row.event_id,
            type: row.type,
            schemaVersion: row.schema_version,
            recordedAt: row.recorded_at.toISOString(),
            data: row.data,
          })),
          nextAfterVersion: result.rows.length > limit ? (rows.at(-1)?.stream_version ?? null) : null,
        };
      },
    );
  };
}
