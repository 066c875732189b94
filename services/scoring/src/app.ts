import type pg from 'pg';
import { buildServer } from '@l2o/service-kit';
import type { AuthOptions, Logger, MetricsRegistry, ReadinessCheck, ServiceServer } from '@l2o/service-kit';
import { leadScoreRoutes } from './lead-score/lead-score.routes.ts';
import { rulesRoutes } from './rule-sets/rules.routes.ts';
import { whatIfRoutes } from './what-if/what-if.routes.ts';

export type ScoringDeps = {
  /** Holds scoring's tables (see `migrateScoring`). */
  pool: pg.Pool;
  logger: Logger;
  /** The time scores are computed and rule sets saved at; tests fix it. */
  clock: () => Date;
  /** Resolves a tenant API key (see `createApiKeyVerifier` in `@l2o/tenancy`); every route but health and docs needs one. */
  verifyApiKey: AuthOptions['verifyApiKey'];
  /** Dependencies `/ready` checks (PostgreSQL and the consumers in production). */
  readiness?: ReadinessCheck[];
  /** Served at `/metrics` when given. */
  metrics?: MetricsRegistry;
};

/** The scoring HTTP app, not listening: `main.ts` listens, tests `inject()`. */
export async function buildApp(deps: ScoringDeps): Promise<ServiceServer> {
  const { pool, clock } = deps;
  return buildServer({
    name: 'scoring',
    version: '0.1.0',
    description:
      'Scores leads by fit, decaying engagement and a per-tenant predictive model; manages the versioned rule sets and answers what-if questions about them.',
    logger: deps.logger,
    readiness: deps.readiness ?? [],
    auth: { verifyApiKey: deps.verifyApiKey },
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    routes: async (app) => {
      await app.register(rulesRoutes({ pool, clock }));
      await app.register(leadScoreRoutes({ pool, clock }));
      await app.register(whatIfRoutes({ pool }));
    },
  });
}
