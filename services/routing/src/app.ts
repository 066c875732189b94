import type pg from 'pg';
import { buildServer } from '@l2o/service-kit';
import type { AuthOptions, Logger, MetricsRegistry, ReadinessCheck, ServiceServer } from '@l2o/service-kit';
import type { LeadStore } from './lead-commands/send-lead-command.ts';
import { repActionsRoutes } from './rep-actions/rep-actions.routes.ts';
import { routingConfigRoutes } from './routing-config/routing-config.routes.ts';
import { workloadRoutes } from './workload/workload.routes.ts';

export type RoutingDeps = {
  /** Holds routing's tables (see `migrateRouting`). */
  pool: pg.Pool;
  store: LeadStore;
  logger: Logger;
  /** The time commands are decided at; tests fix it. */
  clock: () => Date;
  /** Resolves a tenant API key (see `createApiKeyVerifier` in `@l2o/tenancy`). */
  verifyApiKey: AuthOptions['verifyApiKey'];
  /** Dependencies `/ready` checks. */
  readiness?: ReadinessCheck[];
  /** Served at `/metrics` when given. */
  metrics?: MetricsRegistry;
};

/** The routing HTTP app, not listening: `main.ts` listens, tests `inject()`. */
export async function buildApp(deps: RoutingDeps): Promise<ServiceServer> {
  const { pool, store, clock } = deps;
  return buildServer({
    name: 'routing',
    version: '0.1.0',
    description:
      'Assigns qualified leads to reps by ordered rules, pools and caps, watches the first-response SLA, and takes reps’ actions on their leads.',
    logger: deps.logger,
    readiness: deps.readiness ?? [],
    auth: { verifyApiKey: deps.verifyApiKey },
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    routes: async (app) => {
      await app.register(routingConfigRoutes({ pool, clock }));
      await app.register(repActionsRoutes({ pool, store, clock }));
      await app.register(workloadRoutes({ pool, clock }));
    },
  });
}
