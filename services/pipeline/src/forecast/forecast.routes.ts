import type pg from 'pg';
import { z } from 'zod';
import { calendarDateSchema, currencySchema } from '@l2o/contracts';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { forecastGroupings, queryForecast } from './forecast.query.ts';

const scope: ApiScope = 'read_reports';

const forecastQuery = z
  .object({
    groupBy: z.enum(forecastGroupings).default('month').describe('Close month (YYYY-MM), owner or stage.'),
    from: calendarDateSchema.optional().describe('Earliest expected close date counted, inclusive.'),
    to: calendarDateSchema.optional().describe('Latest expected close date counted, inclusive.'),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    message: 'from is after to',
    path: ['from'],
  });

const amounts = {
  currency: currencySchema,
  opportunities: z.int().nonnegative(),
  amount: z.number().describe('Sum of the expected amounts.'),
  weightedAmount: z.number().describe('Sum of amount × the probability of the stage each is in, rounded to cents.'),
};

const forecastResponse = z.object({
  groupBy: z.enum(forecastGroupings),
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  rows: z.array(
    z.object({
      key: z.string().describe('The close month, owner id or stage id.'),
      label: z.string().optional().describe('The stage name (stage groups).'),
      pipelineId: z.string().optional().describe('The pipeline of the stage (stage groups).'),
      ...amounts,
    }),
  ),
  totals: z.array(z.object(amounts)).describe('Per currency, over every group.'),
});

/** `GET /v1/forecast`: the weighted pipeline of the tenant's open opportunities, per group and currency. */
export function forecastRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/forecast',
      {
        config: { scope },
        schema: {
          summary: 'Weighted forecast',
          description:
            'Open opportunities whose expected close date is in [from, to], grouped by close month, owner or stage and by currency: the amount and the amount weighted by stage probability. ' +
            `Won and lost opportunities are not forecast. Needs the ${scope} scope.`,
          tags: ['forecast'],
          querystring: forecastQuery,
          response: {
            200: forecastResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const { groupBy, from, to } = request.query;
        const forecast = await queryForecast({ pool: options.pool, tenantId: tenantOf(request), groupBy, from, to });
        return {
          groupBy,
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...forecast,
        };
      },
    );
  };
}
