import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { attributionConfigSchema } from '../models/index.ts';
import type { AttributionSettingsRepository } from './attribution-settings.repository.ts';

const scope: ApiScope = 'administer_rules';

/** `GET` and `PUT /v1/attribution/settings`: the models the tenant's deals are attributed by, and their parameters. */
export function attributionSettingsRoutes(options: {
  settings: AttributionSettingsRepository;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { settings, clock } = options;
  return async (app) => {
    app.get(
      '/v1/attribution/settings',
      {
        config: { scope },
        schema: {
          summary: 'Read the attribution settings',
          description: `The tenant's models and their parameters (defaults until saved). Needs the ${scope} scope.`,
          tags: ['attribution'],
          response: { 200: attributionConfigSchema, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => settings.get(tenantOf(request)),
    );

    app.put(
      '/v1/attribution/settings',
      {
        config: { scope },
        schema: {
          summary: 'Change the attribution settings',
          description:
            'Replaces the settings; a group left out takes its default, and the shares of a group must add up to ' +
            '100. Deals won from now on are attributed by them; attributions already published stay as they ' +
            `were, and learned weights follow at the next recalculation. Needs the ${scope} scope.`,
          tags: ['attribution'],
          body: attributionConfigSchema,
          response: {
            200: attributionConfigSchema,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => settings.put({ tenantId: tenantOf(request), config: request.body, now: clock() }),
    );
  };
}
