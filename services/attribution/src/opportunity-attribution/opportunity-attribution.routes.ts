import { z } from 'zod';
import { attributionCalculatedV1Schema, streamIdFor } from '@l2o/contracts';
import type { AttributionCalculatedV1 } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { attributionModels } from '../models/index.ts';

const opportunityAttributionResponse = z.object({
  opportunityId: z.uuid(),
  attributions: z
    .array(attributionCalculatedV1Schema)
    .describe('The latest revision of each model, in the order the models are listed in the settings schema.'),
});

const scope: ApiScope = 'read_reports';

/** `GET /v1/attribution/opportunities/{id}`: the current credits of a won deal, per model. */
export function opportunityAttributionRoutes(options: {
  store: Pick<EventStore, 'readStream'>;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/attribution/opportunities/:id',
      {
        config: { scope },
        schema: {
          summary: "Read a won deal's attribution",
          description: `The latest AttributionCalculated of each model for the opportunity. 404 until it is won and attributed. Needs the ${scope} scope.`,
          tags: ['attribution'],
          params: z.object({ id: z.uuid() }),
          response: {
            200: opportunityAttributionResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const opportunityId = request.params.id;
        const events = await options.store.readStream(streamIdFor('attribution', opportunityId));
        const latest = new Map<string, AttributionCalculatedV1>();
        for (const event of events) {
          // The stream holds only this service's AttributionCalculated, validated before it was appended.
          const data = event.data as AttributionCalculatedV1;
          // Another tenant's opportunity is answered as unknown, never as forbidden.
          if (event.type !== 'AttributionCalculated' || data.tenantId !== tenantId) continue;
          if ((latest.get(data.model)?.revision ?? 0) < data.revision) latest.set(data.model, data);
        }
        if (latest.size === 0) {
          throw new HttpError({
            status: 404,
            code: 'not_found',
            reason: `no attribution of opportunity ${opportunityId}`,
          });
        }
        const attributions = attributionModels.flatMap((model) => latest.get(model) ?? []);
        return { opportunityId, attributions };
      },
    );
  };
}
