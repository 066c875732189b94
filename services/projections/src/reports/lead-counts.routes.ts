import type pg from 'pg';
import { z } from 'zod';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { leadFilterCondition, leadFiltersSchema } from '../leads/lead-filters.ts';

const scope: ApiScope = 'read_reports';

/**
 * What lead counts can be grouped by: the expression that groups the rows, and the one that turns a
 * group into its answer (`$` stands for the first). Periods group by the stored capture day first,
 * which keeps the row-level work to reading the report index; weeks and months merge days after.
 */
const dimensions = {
  day: { group: 'captured_day', answer: "to_char($, 'YYYY-MM-DD')" },
  week: { group: 'captured_day', answer: "to_char(date_trunc('week', $::timestamp), 'YYYY-MM-DD')" },
  month: { group: 'captured_day', answer: "to_char($, 'YYYY-MM')" },
  channel: { group: 'channel', answer: '$' },
  campaign: { group: 'campaign', answer: '$' },
  source: { group: 'source', answer: '$' },
  status: { group: 'status', answer: '$' },
  grade: { group: 'grade', answer: '$' },
  ownerId: { group: 'owner_id', answer: '$' },
  poolId: { group: 'pool_id', answer: '$' },
  country: { group: 'country', answer: '$' },
} as const;
type Dimension = keyof typeof dimensions;
const dimensionNames = Object.keys(dimensions) as [Dimension, ...Dimension[]];

const countsQuery = leadFiltersSchema.extend({
  groupBy: z
    .string()
    .transform((text) => [...new Set(text.split(',').map((part) => part.trim()))])
    .pipe(z.array(z.enum(dimensionNames)).min(1).max(3))
    .describe(
      `Up to three of ${dimensionNames.join(', ')}, comma-separated; days, weeks (from Monday) and months in UTC.`,
    ),
});

const leadCounts = z
  .object({
    groupBy: z.array(z.enum(dimensionNames)),
    groups: z.array(
      z
        .object({
          key: z
            .record(z.string(), z.string().nullable())
            .describe('A property per groupBy dimension; null where the leads have no value.'),
          count: z.int(),
        })
        .describe('One group and how many leads are in it.'),
    ),
  })
  .meta({
    description: 'Leads counted by the requested dimensions, in dimension order.',
    examples: [
      {
        groupBy: ['day', 'channel'],
        groups: [
          { key: { day: '2025-03-14', channel: 'ad' }, count: 12 },
          { key: { day: '2025-03-14', channel: 'web_form' }, count: 31 },
        ],
      },
    ],
  });

/** `GET /v1/reports/lead-counts`: the tenant's leads counted by up to three dimensions, under the lead filters. */
export function leadCountsRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/reports/lead-counts',
      {
        config: { scope },
        schema: {
          summary: 'Count leads by day, channel, campaign, status…',
          description:
            `The API key's tenant's leads that match every filter given (the filters of GET /v1/leads), counted by ` +
            `the groupBy dimensions; merged leads count only when status=merged asks for them. The key needs the ${scope} scope.`,
          tags: ['reports'],
          querystring: countsQuery,
          response: { 200: leadCounts, 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => {
        const { groupBy, ...filters } = request.query;
        const condition = leadFilterCondition({ tenantId: tenantOf(request), filters });
        // A merged lead lives on in its survivor: counting both would count one person twice.
        const where = filters.status === undefined ? `${condition.where} AND merged_into IS NULL` : condition.where;
        const inner = groupBy.map((dimension, index) => `${dimensions[dimension].group} AS d${index}`);
        const outer = groupBy.map(
          (dimension, index) => `${dimensions[dimension].answer.replace('$', `d${index}`)} AS g${index}`,
        );
        const positions = groupBy.map((_, index) => index + 1).join(', ');
        const result = await options.pool.query<Record<string, string | null> & { count: number }>(
          `SELECT ${outer.join(', ')}, sum(count)::int AS count
           FROM (SELECT ${inner.join(', ')}, count(*) AS count FROM leads WHERE ${where} GROUP BY ${positions}) AS grouped
           GROUP BY ${positions} ORDER BY ${positions}`,
          condition.values,
        );
        return {
          groupBy,
          groups: result.rows.map((row) => ({
            key: Object.fromEntries(groupBy.map((dimension, index) => [dimension, row[`g${index}`] ?? null])),
            count: row.count,
          })),
        };
      },
    );
  };
}
