import type pg from 'pg';
import { buildServer } from '@l2o/service-kit';
import type { AuthOptions, Logger, MetricsRegistry, ReadinessCheck, ServiceServer } from '@l2o/service-kit';
import { attributionRoutes } from './attribution/attribution.routes.ts';
import { dashboardRoutes } from './dashboard/dashboard.routes.ts';
import { funnelRoutes } from './funnel/funnel.routes.ts';
import { leadTimelineRoutes } from './lead-timeline/lead-timeline.routes.ts';
import { leadsRoutes } from './leads/leads.routes.ts';
import { pipelineRoutes } from './pipeline/pipeline.routes.ts';
import { leadCountsRoutes } from './reports/lead-counts.routes.ts';
import { responseRoutes } from './response/response.routes.ts';

export type ProjectionsDeps = {
  /** Reads the read model tables (in the service's schema). */
  pool: pg.Pool;
  logger: Logger;
  /** Resolves a tenant API key (see `createApiKeyVerifier` in `@l2o/tenancy`); every route but health and docs needs one. */
  verifyApiKey: AuthOptions['verifyApiKey'];
  /** Dependencies `/ready` checks (PostgreSQL and the consumers in production). */
  readiness?: ReadinessCheck[];
  /** The process registry (see `createMetrics`), served at `/metrics`; give the consumers the same one. */
  metrics?: MetricsRegistry;
};

/** The query API over the read models, not listening: `main.ts` listens, tests `inject()`. */
export async function buildApp(deps: ProjectionsDeps): Promise<ServiceServer> {
  return buildServer({
    name: 'projections',
    version: '0.1.0',
    description: 'Read models built from the platform events, and the query API over them.',
    logger: deps.logger,
    readiness: deps.readiness ?? [],
    auth: { verifyApiKey: deps.verifyApiKey },
    routes: async (app) => {
      await app.register(leadsRoutes({ pool: deps.pool }));
      await app.register(leadTimelineRoutes({ pool: deps.pool }));
      await app.register(leadCountsRoutes({ pool: deps.pool }));
      await app.register(funnelRoutes({ pool: deps.pool }));
      await app.register(responseRoutes({ pool: deps.pool }));
      await app.register(pipelineRoutes({ pool: deps.pool }));
      await app.register(attributionRoutes({ pool: deps.pool }));
      await app.register(dashboardRoutes());
    },
    metrics: deps.metrics,
  });
}
