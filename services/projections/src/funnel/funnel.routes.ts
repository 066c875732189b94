import type pg from 'pg';
import { z } from 'zod';
import { storableString } from '@l2o/contracts';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { csvDownload, groupBySchema, reportFiltersSchema, reportInstant, wantsCsv } from '../reports/report-filters.ts';
import { funnelDimensions, funnelSteps, funnelTransitions, readFunnel } from './funnel-queries.ts';
import type { FunnelGroup } from './funnel-queries.ts';

const scope: ApiScope = 'read_reports';

const funnelQuery = reportFiltersSchema.extend({
  source: storableString().min(1).max(200).optional().describe('Source of the lead’s first touch.'),
  groupBy: groupBySchema(funnelDimensions, 2),
  asOf: reportInstant
    .optional()
    .describe('Show the funnel as it stood at this instant: later steps, captures and merges are left out.'),
});

const byTransition = (value: z.ZodType) =>
  z.object(Object.fromEntries(funnelTransitions.map((transition) => [transition, value])));

const funnelReport = z
  .object({
    groupBy: z.array(z.enum(funnelDimensions)),
    asOf: z.string().nullable().describe('The instant the funnel is shown as of; null for now.'),
    groups: z.array(
      z.object({
        key: z.record(z.string(), z.string().nullable()).describe('A property per groupBy dimension.'),
        counts: z
          .object(Object.fromEntries(funnelSteps.map((step) => [step, z.int()])))
          .describe('Leads of the cohort, and how many of them reached MQL, SQL, an opportunity, a won deal.'),
        rates: byTransition(z.number().nullable()).describe(
          'Step-to-step conversion: the next step’s count over the previous one’s (0–1); null when it is 0.',
        ),
        hours: byTransition(z.number().nullable()).describe(
          'Mean hours between the steps, over the leads that reached both; null when none did.',
        ),
      }),
    ),
  })
  .meta({
    description: 'The lead funnel by the requested dimensions.',
    examples: [
      {
        groupBy: ['channel'],
        asOf: null,
        groups: [
          {
            key: { channel: 'ad' },
            counts: { leads: 120, mql: 48, sql: 20, opportunities: 12, won: 4 },
            rates: { leadToMql: 0.4, mqlToSql: 0.4167, sqlToOpportunity: 0.6, opportunityToWon: 0.3333 },
            hours: { leadToMql: 5.5, mqlToSql: 30.25, sqlToOpportunity: 4, opportunityToWon: 480 },
          },
        ],
      },
    ],
  });

const csvHeader = [
  'group',
  ...funnelSteps,
  ...funnelTransitions.map((transition) => `${transition}Rate`),
  ...funnelTransitions.map((transition) => `${transition}Hours`),
];

function csvValues(group: FunnelGroup): (string | number | null)[] {
  return [
    Object.values(group.key).join(' / '),
    ...funnelSteps.map((step) => group.counts[step]),
    ...funnelTransitions.map((transition) => group.rates[transition]),
    ...funnelTransitions.map((transition) => group.hours[transition]),
  ];
}

/** `GET /v1/reports/funnel`: leads → MQL → SQL → opportunity → won, by channel, source, campaign, team, period. */
export function funnelRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/reports/funnel',
      {
        config: { scope },
        schema: {
          summary: 'The lead funnel, its conversion rates and times, as of now or any past instant',
          description:
            'The leads captured in the period (from, to) that match the filters, and how many of them became MQL, ' +
            'SQL, an opportunity and a won deal, grouped by up to two dimensions. A step counts from the first time ' +
            'the lead reached it (a revoked MQL stays counted; a reopened win does not). Merged leads are left out. ' +
            `asOf shows the funnel as it stood then. CSV with format=csv or Accept: text/csv. Needs the ${scope} scope.`,
          tags: ['reports'],
          querystring: funnelQuery,
          response: {
            200: funnelReport,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const { groupBy, asOf, format, ...filters } = request.query;
        const groups = await readFunnel({ pool: options.pool, tenantId: tenantOf(request), filters, groupBy, asOf });
        if (wantsCsv({ accept: request.headers.accept, format })) {
          const download = csvDownload({ filename: 'funnel.csv', header: csvHeader, rows: groups.map(csvValues) });
          return reply.headers(download.headers).send(download.body as never);
        }
        return { groupBy, asOf: asOf ?? null, groups };
      },
    );
  };
}
