import type pg from 'pg';
import { z } from 'zod';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { csvDownload, groupBySchema, reportFiltersSchema, reportInstant, wantsCsv } from '../reports/report-filters.ts';
import type { CsvValue } from '../csv.ts';
import {
  pipelineSplits,
  readForecast,
  readOutcomes,
  readPipelineByStage,
  readStageConversion,
} from './pipeline-queries.ts';
import type { PipelineQuery, PipelineSplit } from './pipeline-queries.ts';

const scope: ApiScope = 'read_reports';

const pipelineQuery = reportFiltersSchema.extend({
  asOf: reportInstant
    .optional()
    .describe('The pipeline as it stood at this instant (time travel); absent: now. A date means its midnight UTC.'),
});
const splitQuery = pipelineQuery.extend({ groupBy: groupBySchema(pipelineSplits, 1) });

const money = z.number().describe('Major units of currency.');
const stageRow = z.object({
  stageId: z.string(),
  stageName: z.string(),
  position: z.int(),
  split: z.string().nullable().describe('The groupBy value; null without groupBy or where the deals have none.'),
  currency: z.string(),
  count: z.int(),
  amount: money,
  weightedAmount: money.describe('Amount × the stage’s win probability.'),
  stalled: z.int().describe('Of them, over their stage SLA.'),
});
const forecastRow = z.object({
  closeMonth: z.string().describe('YYYY-MM of the expected close date.'),
  forecastCategory: z.string(),
  split: z.string().nullable(),
  currency: z.string(),
  count: z.int(),
  amount: money,
  weightedAmount: money,
});
const conversionRow = z.object({
  stageId: z.string(),
  stageName: z.string(),
  position: z.int(),
  entered: z.int(),
  advanced: z.int().describe('Stays that left forward or won.'),
  movedBack: z.int(),
  lost: z.int(),
  current: z.int().describe('Stays not ended (at asOf).'),
  conversionRate: z.number().nullable().describe('advanced / ended stays; null when none ended.'),
  averageDays: z.number().nullable().describe('Mean days in the stage of the ended stays.'),
  medianDays: z.number().nullable(),
});
const outcomeRow = z.object({
  outcome: z.enum(['won', 'lost']),
  reason: z.string().nullable().describe('The lost reason; null for won.'),
  currency: z.string(),
  count: z.int(),
  amount: money,
});

const answer = <Row extends z.ZodType>(row: Row, description: string) =>
  z.object({ asOf: z.string().nullable(), rows: z.array(row) }).describe(description);

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

type ReportRoute<Query extends z.ZodObject> = {
  path: string;
  summary: string;
  description: string;
  querystring: Query;
  response: z.ZodType;
  /** The CSV header: the row's fields. */
  columns: readonly string[];
  csvName: string;
  read: (
    query: Omit<PipelineQuery, 'pool'> & { split?: PipelineSplit },
  ) => Promise<readonly Record<string, CsvValue>[]>;
};

/**
 * The pipeline reports under `/v1/reports/pipeline/`: open deals by stage, the forecast by close month,
 * stage conversion and time in stage, won and lost reasons; each with `asOf` for the past, and as CSV.
 */
export function pipelineRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  const { pool } = options;
  const routes: ReportRoute<typeof pipelineQuery>[] = [
    {
      path: '/v1/reports/pipeline/by-stage',
      summary: 'Open opportunities by stage',
      description:
        'Open opportunities per stage in pipeline order: count, amount and weighted amount, per currency. ' +
        'from/to filter the opening time; groupBy splits each stage by channel, campaign, ownerId or pipelineId.',
      querystring: splitQuery,
      columns: Object.keys(stageRow.shape),
      response: answer(stageRow, 'One row per stage (and split and currency).'),
      csvName: 'pipeline-by-stage.csv',
      read: (query) => readPipelineByStage({ ...query, pool }),
    },
    {
      path: '/v1/reports/pipeline/forecast',
      summary: 'Weighted forecast by close month',
      description:
        'Open opportunities by expected close month and forecast category, with amount and weighted amount ' +
        '(amount × stage probability). from/to filter the expected close date.',
      querystring: splitQuery,
      columns: Object.keys(forecastRow.shape),
      response: answer(forecastRow, 'One row per month, forecast category (and split) and currency.'),
      csvName: 'pipeline-forecast.csv',
      read: (query) => readForecast({ ...query, pool }),
    },
    {
      path: '/v1/reports/pipeline/stages',
      summary: 'Stage conversion and time in stage',
      description:
        'Per stage, the stays that began in the period (from/to filter the entry time): how they ended, the ' +
        'share that moved forward or was won, and mean and median days in the stage.',
      querystring: pipelineQuery,
      columns: Object.keys(conversionRow.shape),
      response: answer(conversionRow, 'One row per stage, in pipeline order.'),
      csvName: 'pipeline-stages.csv',
      read: (query) => readStageConversion({ ...query, pool }),
    },
    {
      path: '/v1/reports/pipeline/outcomes',
      summary: 'Won and lost deals, lost by reason',
      description: 'Deals closed in the period (from/to filter the close time): won, and lost per reason.',
      querystring: pipelineQuery,
      columns: Object.keys(outcomeRow.shape),
      response: answer(outcomeRow, 'Won first, then lost reasons by count.'),
      csvName: 'pipeline-outcomes.csv',
      read: (query) => readOutcomes({ ...query, pool }),
    },
  ];
  return async (app) => {
    for (const route of routes) {
      app.get(
        route.path,
        {
          config: { scope },
          schema: {
            summary: route.summary,
            description:
              `${route.description} Channel, campaign and team are the converted lead’s (team: its pool). ` +
              `asOf answers as the pipeline stood then. The key needs the ${scope} scope.`,
            tags: ['reports'],
            querystring: route.querystring,
            response: { 200: route.response, ...errors },
          },
        },
        async (request, reply) => {
          const { format, asOf, groupBy, ...filters } = request.query as z.output<typeof splitQuery>;
          const rows = await route.read({ tenantId: tenantOf(request), filters, asOf, split: groupBy?.[0] });
          if (wantsCsv({ accept: request.headers.accept, format })) {
            const download = csvDownload({
              filename: route.csvName,
              header: route.columns,
              rows: rows.map((row) => route.columns.map((column) => row[column])),
            });
            return reply.headers(download.headers).send(download.body as never);
          }
          return { asOf: asOf ?? null, rows };
        },
      );
    }
  };
}
