import type pg from 'pg';
import type { EventStore } from '@l2o/event-store';
import { buildServer } from '@l2o/service-kit';
import type { AuthOptions, Logger, MetricsRegistry, ReadinessCheck, ServiceServer } from '@l2o/service-kit';
import { conversionRoutes } from './conversion/conversion.routes.ts';
import { forecastRoutes } from './forecast/forecast.routes.ts';
import { opportunityRoutes } from './opportunity/opportunity.routes.ts';
import { createPipelineSettingsRepository } from './settings/pipeline-settings.repository.ts';
import type { PipelineSettingsRepository } from './settings/pipeline-settings.repository.ts';
import { pipelineSettingsRoutes } from './settings/pipeline-settings.routes.ts';

export type PipelineDeps = {
  /** Holds pipeline's tables (see `migratePipeline`). */
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream' | 'appendToStreams'>;
  logger: Logger;
  /** The time commands are decided at; tests fix it. */
  clock: () => Date;
  /** Resolves a tenant API key (see `createApiKeyVerifier` in `@l2o/tenancy`); every route but health and docs needs one. */
  verifyApiKey: AuthOptions['verifyApiKey'];
  /** Dependencies `/ready` checks (PostgreSQL and the consumer in production). */
  readiness?: ReadinessCheck[];
  /** Tenant settings; built on `pool` when omitted. */
  settings?: PipelineSettingsRepository;
  /** Served at `/metrics` when given. */
  metrics?: MetricsRegistry;
};

/** The pipeline HTTP app, not listening: `main.ts` listens, tests `inject()`. */
export async function buildApp(deps: PipelineDeps): Promise<ServiceServer> {
  const { pool, store, clock, logger } = deps;
  const settings = deps.settings ?? createPipelineSettingsRepository({ pool });
  return buildServer({
    name: 'pipeline',
    version: '0.1.0',
    description:
      'Converts sales-qualified leads into opportunities and moves them through the tenant’s pipelines to won or lost; weighted forecast.',
    logger,
    readiness: deps.readiness ?? [],
    auth: { verifyApiKey: deps.verifyApiKey },
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    routes: async (app) => {
      await app.register(conversionRoutes({ store, settings, clock }));
      await app.register(opportunityRoutes({ store, settings, clock }));
      await app.register(pipelineSettingsRoutes({ settings, clock }));
      await app.register(forecastRoutes({ pool }));
    },
  });
}
