import { z } from 'zod';
import { campaignCostRecordedV1Schema } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import { currentTraceparent, errorResponseSchema, fieldErrorOf, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import type { CampaignCost } from './campaign-costs.decider.ts';
import { costKey, recordCampaignCosts } from './record-campaign-costs.ts';

export const maxCostItems = 5_000;

const costItemSchema = campaignCostRecordedV1Schema.pick({
  campaign: true,
  channel: true,
  date: true,
  amount: true,
  currency: true,
});

const { $schema: _, ...itemJsonSchema } = z.toJSONSchema(costItemSchema, { io: 'input' });

// Items are only required to be present here: each is validated on its own, so one bad item is its own
// `rejected` result and never a 400 for the request.
const costsBody = z
  .array(z.unknown().meta(itemJsonSchema))
  .min(1)
  .max(maxCostItems)
  .describe(`1 to ${maxCostItems} daily campaign costs.`)
  .meta({
    examples: [
      [
        { campaign: 'q2-analytics', channel: 'ad', date: '2025-04-02', amount: 1250.5, currency: 'EUR' },
        { campaign: 'spring-webinar', channel: 'event', date: '2025-04-02', amount: -3, currency: 'EUR' },
      ],
    ],
  });

const fieldErrorSchema = z.object({ field: z.string(), reason: z.string() });

const itemResultSchema = z.object({
  index: z.int().nonnegative().describe('Position of the item in the request.'),
  status: z
    .enum(['recorded', 'unchanged', 'rejected'])
    .describe("recorded: new or changed; unchanged: already the day's cost; rejected: see errors."),
  errors: z.array(fieldErrorSchema).optional(),
});
type ItemResult = z.output<typeof itemResultSchema>;

const costsResponse = z.object({
  results: z.array(itemResultSchema),
  counts: z.object({
    recorded: z.int().nonnegative(),
    unchanged: z.int().nonnegative(),
    rejected: z.int().nonnegative(),
  }),
});

const scope: ApiScope = 'administer_rules';

/** `POST /v1/campaign-costs`: daily campaign costs, for return on investment and cost per acquisition. */
export function campaignCostsRoutes(options: {
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/campaign-costs',
      {
        config: { scope },
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          summary: 'Record daily campaign costs',
          description:
            `Each item is one campaign's total cost for one day and replaces an earlier one for the same campaign ` +
            `and day; each is published as CampaignCostRecorded on l2o.attribution.v1. Every item gets its own ` +
            `result, with the field and reason when rejected; one bad item never rejects the rest. Needs the ${scope} scope.`,
          tags: ['campaign costs'],
          body: costsBody,
          response: {
            200: costsResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const results = new Array<ItemResult>(request.body.length);
        const accepted: Array<{ index: number; cost: CampaignCost }> = [];
        const firstOfDay = new Map<string, number>();
        for (const [index, item] of request.body.entries()) {
          const parsed = costItemSchema.safeParse(item);
          if (!parsed.success) {
            const errors = parsed.error.issues.map((issue) => fieldErrorOf(issue, 'item'));
            results[index] = { index, status: 'rejected', errors };
            continue;
          }
          const key = costKey(parsed.data.campaign, parsed.data.date);
          const first = firstOfDay.get(key);
          if (first !== undefined) {
            results[index] = {
              index,
              status: 'rejected',
              errors: [{ field: 'date', reason: `item ${first} already gives this campaign's cost for this day` }],
            };
            continue;
          }
          firstOfDay.set(key, index);
          accepted.push({ index, cost: parsed.data });
        }
        const traceparent = currentTraceparent();
        const recorded = await recordCampaignCosts({
          store: options.store,
          tenantId,
          costs: accepted.map(({ cost }) => cost),
          now: options.clock(),
          correlationId: request.id,
          ...(traceparent === undefined ? {} : { traceparent }),
        });
        for (const { index, cost } of accepted) {
          results[index] = {
            index,
            status: recorded.has(costKey(cost.campaign, cost.date)) ? 'recorded' : 'unchanged',
          };
        }
        const counts = { recorded: 0, unchanged: 0, rejected: 0 };
        for (const result of results) counts[result.status] += 1;
        return { results, counts };
      },
    );
  };
}
