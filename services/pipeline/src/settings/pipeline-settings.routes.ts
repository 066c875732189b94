import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import type { PipelineSettingsRepository } from './pipeline-settings.repository.ts';
import { defaultPipelineSettings, pipelineSettingsSchema } from './pipeline-settings.schema.ts';

const scope: ApiScope = 'administer_rules';

const settingsSchema = pipelineSettingsSchema.meta({ examples: [defaultPipelineSettings()] });

/** `GET` and `PUT /v1/pipeline/settings`: the API key's tenant's pipelines and lost reasons. */
export function pipelineSettingsRoutes(options: {
  settings: PipelineSettingsRepository;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { settings, clock } = options;
  return async (app) => {
    app.get(
      '/v1/pipeline/settings',
      {
        config: { scope },
        schema: {
          summary: 'Read the pipeline settings',
          description: `The tenant's pipelines (stages with probability, forecast category, exit criteria and SLA) and lost reasons; defaults until saved. Needs the ${scope} scope.`,
          tags: ['settings'],
          response: { 200: settingsSchema, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => settings.get(tenantOf(request)),
    );

    app.put(
      '/v1/pipeline/settings',
      {
        config: { scope },
        schema: {
          summary: 'Change the pipeline settings',
          description:
            'Replaces the tenant’s pipelines and lost reasons. Open opportunities keep the stage they are in; later moves, losses and new stage SLA timers use the new settings. ' +
            `Needs the ${scope} scope.`,
          tags: ['settings'],
          body: settingsSchema,
          response: {
            200: settingsSchema,
            400: errorResponseSchema.describe('Invalid settings: field names the first offending one.'),
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => settings.put({ tenantId: tenantOf(request), settings: request.body, now: clock() }),
    );
  };
}
