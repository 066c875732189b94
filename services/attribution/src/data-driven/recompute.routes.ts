import { z } from 'zod';
import { currentTraceparent, errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import type { AttributionDeps } from '../attribution-deps.ts';
import { dataDrivenModels } from '../models/index.ts';
import { recomputeLearnedWeights } from './recompute-weights.ts';
import { withTenantRecomputeLock } from './tenant-recompute-lock.ts';

const recomputeResponse = z.object({
  tenantId: z.string(),
  computedAt: z.iso.datetime({ offset: true }),
  journeys: z.int().nonnegative().describe('Journeys learned from, converting and not.'),
  models: z.array(
    z.object({
      model: z.enum(dataDrivenModels),
      changed: z.boolean().describe('The weights differ from those learned before.'),
      channels: z.array(z.object({ channel: z.string(), weight: z.number() })),
    }),
  ),
  revisions: z
    .int()
    .nonnegative()
    .describe('AttributionCalculated revisions published for won deals whose credits changed.'),
});

const scope: ApiScope = 'administer_rules';

/** `POST /v1/attribution/recompute`: learns the tenant's Markov and Shapley weights now, as the schedule does. */
export function recomputeRoutes(deps: AttributionDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/attribution/recompute',
      {
        config: { scope },
        schema: {
          summary: 'Recalculate the learned attribution weights',
          description:
            "Learns the enabled data-driven models again from all the tenant's journeys. Where the weights changed, " +
            'each won deal whose credits moved gets a new revision of its AttributionCalculated. Waits for a ' +
            `recalculation of the tenant already running. Needs the ${scope} scope.`,
          tags: ['attribution'],
          response: { 200: recomputeResponse, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const traceparent = currentTraceparent();
        const origin = { correlationId: request.id, ...(traceparent === undefined ? {} : { traceparent }) };
        const result = await withTenantRecomputeLock(deps.pool, { tenantId, wait: true }, () =>
          recomputeLearnedWeights(deps, { tenantId, origin }),
        );
        // A waiting lock is always taken, so there is a result.
        if (result === undefined) throw new Error(`the recalculation lock of tenant ${tenantId} was not taken`);
        return result;
      },
    );
  };
}
