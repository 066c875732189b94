import type pg from 'pg';
import type { EventStore } from '@l2o/event-store';
import { buildServer } from '@l2o/service-kit';
import type { AuthOptions, Logger, MetricsRegistry, ReadinessCheck, ServiceServer } from '@l2o/service-kit';
import { campaignCostsRoutes } from './campaign-costs/campaign-costs.routes.ts';
import { recomputeRoutes } from './data-driven/recompute.routes.ts';
import { opportunityAttributionRoutes } from './opportunity-attribution/opportunity-attribution.routes.ts';
import { createAttributionSettingsRepository } from './settings/attribution-settings.repository.ts';
import type { AttributionSettingsRepository } from './settings/attribution-settings.repository.ts';
import { attributionSettingsRoutes } from './settings/attribution-settings.routes.ts';

export type AttributionAppDeps = {
  /** Holds attribution's tables (see `migrateAttribution`). */
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream' | 'readStreams' | 'appendToStreams'>;
  logger: Logger;
  /** The time costs are recorded and weights learned at; tests fix it. */
  clock: () => Date;
  /** Resolves a tenant API key (see `createApiKeyVerifier` in `@l2o/tenancy`); every route but health and docs needs one. */
  verifyApiKey: AuthOptions['verifyApiKey'];
  /** Dependencies `/ready` checks. */
  readiness?: ReadinessCheck[];
  /** Tenant settings; built on `pool` when omitted. */
  settings?: AttributionSettingsRepository;
  /** Served at `/metrics` when given. */
  metrics?: MetricsRegistry;
};

/** The attribution HTTP app, not listening: `main.ts` listens, tests `inject()`. */
export async function buildApp(deps: AttributionAppDeps): Promise<ServiceServer> {
  const { pool, store, clock, logger } = deps;
  const settings = deps.settings ?? createAttributionSettingsRepository({ pool });
  return buildServer({
    name: 'attribution',
    version: '0.1.0',
    description:
      'Credits won deals to the touches, channels and campaigns that led to them, by nine models, and records campaign costs.',
    logger,
    readiness: deps.readiness ?? [],
    auth: { verifyApiKey: deps.verifyApiKey },
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    routes: async (app) => {
      await app.register(opportunityAttributionRoutes({ store }));
      await app.register(attributionSettingsRoutes({ settings, clock }));
      await app.register(recomputeRoutes({ pool, store, clock, settings, logger }));
      await app.register(campaignCostsRoutes({ store, clock }));
    },
  });
}
