import type pg from 'pg';
import { z } from 'zod';
import { attributionModelNames } from '@l2o/contracts';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { csvDownload, reportFiltersSchema, wantsCsv } from '../reports/report-filters.ts';
import type { CsvValue } from '../csv.ts';
import { readCredit, readRoi } from './attribution-queries.ts';

const scope: ApiScope = 'read_reports';

const attributionQuery = reportFiltersSchema.extend({
  model: z.enum(attributionModelNames).optional().describe('One attribution model; absent: every model.'),
  groupBy: z.enum(['channel', 'campaign']).default('channel').describe('Total by channel (default) or campaign.'),
});
const roiQuery = attributionQuery.omit({ team: true });

const money = z.number().describe('Major units of currency.');
const creditRow = z.object({
  model: z.string(),
  key: z.string().nullable().describe('The channel or campaign; a null campaign totals touches without one.'),
  currency: z.string(),
  deals: z.int().describe('Won deals that credited it.'),
  amount: money,
});
const roiRow = z.object({
  key: z.string().nullable().describe('The channel or campaign.'),
  model: z.string().nullable().describe('The attribution model of attributedRevenue and roi.'),
  cost: money.describe('Campaign costs of the period’s days.'),
  leads: z.int().describe('Leads captured in the period with this first touch.'),
  wonDeals: z.int().describe('Deals won in the period whose lead had this first touch.'),
  costPerLead: money.nullable(),
  cac: money.nullable().describe('Customer acquisition cost: cost / won deals.'),
  attributedRevenue: money.describe('Revenue the model credits to it, of deals won in the period.'),
  roi: z.number().nullable().describe('(attributed revenue − cost) / cost; null without cost.'),
});

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

function csvReply(options: { filename: string; row: z.ZodObject; rows: readonly Record<string, CsvValue>[] }) {
  const header = Object.keys(options.row.shape);
  return csvDownload({
    filename: options.filename,
    header,
    rows: options.rows.map((row) => header.map((column) => row[column])),
  });
}

/**
 * The attribution reports: revenue credit by model × channel or campaign, and cost per lead, CAC and
 * ROI per channel or campaign, each also as CSV.
 */
export function attributionRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  const { pool } = options;
  return async (app) => {
    app.get(
      '/v1/reports/attribution/credit',
      {
        config: { scope },
        schema: {
          summary: 'Revenue credit by attribution model and channel or campaign',
          description:
            'Revenue of the deals won in the period (from/to filter the win time), as each model credits it to ' +
            'channels or campaigns: the latest revision per deal and model; a deal reopened since is left out ' +
            `until it is won again. Channel and campaign filter what was credited; team the converted lead’s pool. ` +
            `The key needs the ${scope} scope.`,
          tags: ['reports'],
          querystring: attributionQuery,
          response: {
            200: z.object({ groupBy: z.enum(['channel', 'campaign']), rows: z.array(creditRow) }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const { format, model, groupBy, ...filters } = request.query;
        const rows = await readCredit({ pool, tenantId: tenantOf(request), filters, model, groupBy });
        if (wantsCsv({ accept: request.headers.accept, format })) {
          const download = csvReply({ filename: `attribution-by-${groupBy}.csv`, row: creditRow, rows });
          return reply.headers(download.headers).send(download.body as never);
        }
        return { groupBy, rows };
      },
    );

    app.get(
      '/v1/reports/attribution/roi',
      {
        config: { scope },
        schema: {
          summary: 'Cost per lead, CAC and ROI per channel or campaign',
          description:
            'Per channel or campaign over the period: campaign costs (CampaignCostRecorded) of its days, leads ' +
            'captured and deals won with that first touch, cost per lead, CAC (cost / won deals), and per ' +
            'attribution model the revenue credited and ROI ((revenue − cost) / cost). Costs are not per team, ' +
            `so there is no team filter; amounts are taken to be in one currency. The key needs the ${scope} scope.`,
          tags: ['reports'],
          querystring: roiQuery,
          response: { 200: z.object({ groupBy: z.enum(['channel', 'campaign']), rows: z.array(roiRow) }), ...errors },
        },
      },
      async (request, reply) => {
        const { format, model, groupBy, ...filters } = request.query;
        const rows = await readRoi({ pool, tenantId: tenantOf(request), filters, model, groupBy });
        if (wantsCsv({ accept: request.headers.accept, format })) {
          const download = csvReply({ filename: `roi-by-${groupBy}.csv`, row: roiRow, rows });
          return reply.headers(download.headers).send(download.body as never);
        }
        return { groupBy, rows };
      },
    );
  };
}
