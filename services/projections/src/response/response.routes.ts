import type pg from 'pg';
import { z } from 'zod';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { csvDownload, groupBySchema, reportFiltersSchema, wantsCsv } from '../reports/report-filters.ts';
import { readResponse, readWorkload, responseDimensions } from './response-queries.ts';

const scope: ApiScope = 'read_reports';
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

const responseQuery = reportFiltersSchema.extend({
  groupBy: groupBySchema(responseDimensions, 2).transform((groupBy) =>
    groupBy.length === 0 ? (['ownerId'] as const) : groupBy,
  ),
});

const minutes = z.number().nullable();
const responseReport = z
  .object({
    groupBy: z.array(z.enum(responseDimensions)),
    groups: z.array(
      z.object({
        key: z.record(z.string(), z.string().nullable()).describe('A property per groupBy dimension.'),
        assignments: z.int().describe('Assignments made in the period.'),
        sla: z
          .object({
            met: z.int(),
            late: z.int(),
            breached: z.int(),
            overdue: z.int(),
            pending: z.int(),
            ended: z.int(),
          })
          .describe(
            'met: answered by the deadline; late: answered after it; breached: the deadline passed unanswered; ' +
              'overdue: open, unanswered, deadline passed, breach not yet recorded; pending: before its deadline; ' +
              'ended: taken away or closed before any of these.',
          ),
        compliance: z.number().nullable().describe('met / (met + late + breached + overdue), 0–1.'),
        responseMinutes: z
          .object({ mean: minutes, p50: minutes, p90: minutes })
          .describe('First-response time (assignment to accept or contact) in minutes.'),
      }),
    ),
  })
  .describe('First-response time and SLA compliance by the requested dimensions.');

const workloadReport = z
  .object({
    reps: z.array(
      z.object({
        ownerId: z.string(),
        open: z.int().describe('Leads the rep owns now.'),
        awaitingResponse: z.int().describe('Of those, not yet accepted or contacted.'),
        inProgress: z.int().describe('Of those, accepted or contacted.'),
      }),
    ),
  })
  .describe(
    'Open leads per rep. Capacity caps are routing configuration, not events, so they are not part of this report.',
  );

/** `GET /v1/reports/response` (first-response time, SLA compliance) and `GET /v1/reports/workload` (open leads per rep). */
export function responseRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  const { pool } = options;
  return async (app) => {
    app.get(
      '/v1/reports/response',
      {
        config: { scope },
        schema: {
          summary: 'First-response time and SLA compliance per rep, team, channel or period',
          description:
            'The assignments made in the period (from, to on the assignment time) that match the filters, by up to ' +
            'two of ownerId (the default), team, channel, day, week, month. A reassigned lead counts once per ' +
            `assignment. CSV with format=csv or Accept: text/csv. Needs the ${scope} scope.`,
          tags: ['reports'],
          querystring: responseQuery,
          response: { 200: responseReport, ...errors },
        },
      },
      async (request, reply) => {
        const { groupBy, format, ...filters } = request.query;
        const groups = await readResponse({ pool, tenantId: tenantOf(request), filters, groupBy });
        if (wantsCsv({ accept: request.headers.accept, format })) {
          const download = csvDownload({
            filename: 'response.csv',
            header: [
              ...groupBy,
              'assignments',
              'met',
              'late',
              'breached',
              'overdue',
              'pending',
              'ended',
              'compliance',
              'meanMinutes',
              'p50Minutes',
              'p90Minutes',
            ],
            rows: groups.map((group) => [
              ...groupBy.map((dimension) => group.key[dimension] ?? null),
              group.assignments,
              ...Object.values(group.sla),
              group.compliance,
              group.responseMinutes.mean,
              group.responseMinutes.p50,
              group.responseMinutes.p90,
            ]),
          });
          return reply.headers(download.headers).send(download.body as never);
        }
        return { groupBy: [...groupBy], groups };
      },
    );

    app.get(
      '/v1/reports/workload',
      {
        config: { scope },
        schema: {
          summary: 'Open leads per rep',
          description:
            'The leads each rep owns now, awaiting a first response or in progress, for the channel, campaign and ' +
            'team filters (the period does not apply). Reps’ caps are routing configuration and not in the events, ' +
            `so this shows counts, not how full a rep is. CSV with format=csv or Accept: text/csv. Needs the ${scope} scope.`,
          tags: ['reports'],
          querystring: reportFiltersSchema,
          response: { 200: workloadReport, ...errors },
        },
      },
      async (request, reply) => {
        const { format, ...filters } = request.query;
        const reps = await readWorkload({ pool, tenantId: tenantOf(request), filters });
        if (wantsCsv({ accept: request.headers.accept, format })) {
          const download = csvDownload({
            filename: 'workload.csv',
            header: ['ownerId', 'open', 'awaitingResponse', 'inProgress'],
            rows: reps.map((rep) => [rep.ownerId, rep.open, rep.awaitingResponse, rep.inProgress]),
          });
          return reply.headers(download.headers).send(download.body as never);
        }
        return { reps };
      },
    );
  };
}
