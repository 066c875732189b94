import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import type { IngestionSettingsRepository } from './ingestion-settings.repository.ts';
import {
  ingestionSettingsResponseSchema,
  ingestionSettingsSchema,
  settingsCountry,
} from './ingestion-settings.schema.ts';

const scope: ApiScope = 'administer_rules';

/** `GET` and `PUT /v1/settings/ingestion`: the API key's tenant's default country and match rules. */
export function ingestionSettingsRoutes(options: {
  settings: IngestionSettingsRepository;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { settings, clock } = options;
  return async (app) => {
    app.get(
      '/v1/settings/ingestion',
      {
        config: { scope },
        schema: {
          summary: 'Read the ingestion settings',
          description: `The tenant's default country and match rules (defaults until saved). Needs the ${scope} scope.`,
          tags: ['settings'],
          response: { 200: ingestionSettingsResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => settings.get(tenantOf(request)),
    );

    app.put(
      '/v1/settings/ingestion',
      {
        config: { scope },
        schema: {
          summary: 'Change the ingestion settings',
          description: `Replaces the tenant's default country and match rules; captures use them within seconds on every replica. Needs the ${scope} scope.`,
          tags: ['settings'],
          body: ingestionSettingsSchema,
          response: {
            200: ingestionSettingsResponseSchema,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const country = settingsCountry(request.body.defaultCountry);
        if (!country.ok) {
          throw new HttpError({
            status: 400,
            code: 'validation_failed',
            field: 'defaultCountry',
            reason: country.reason,
          });
        }
        return settings.put({
          tenantId: tenantOf(request),
          settings: {
            ...(country.value === undefined ? {} : { defaultCountry: country.value }),
            matchRules: request.body.matchRules,
          },
          now: clock(),
        });
      },
    );
  };
}
