import type { EventStore } from '@l2o/event-store';
import { buildServer } from '@l2o/service-kit';
import type { AuthOptions, Logger, ReadinessCheck, ServiceServer } from '@l2o/service-kit';
import { captureLeadRoutes } from './capture-lead/capture-lead.routes.ts';

export type IngestionDeps = {
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  logger: Logger;
  /** The time commands are decided at; tests fix it. */
  clock: () => Date;
  /** Resolves a tenant API key (see `createApiKeyVerifier` in `@l2o/tenancy`); every route but health and docs needs one. */
  verifyApiKey: AuthOptions['verifyApiKey'];
  /** Dependencies `/ready` checks (PostgreSQL in production). */
  readiness?: ReadinessCheck[];
};

/** The ingestion HTTP app, not listening: `main.ts` listens, tests `inject()`. */
export async function buildApp(deps: IngestionDeps): Promise<ServiceServer> {
  return buildServer({
    name: 'ingestion',
    version: '0.1.0',
    description: 'Captures leads from every channel as commands on the Lead aggregate.',
    logger: deps.logger,
    readiness: deps.readiness ?? [],
    auth: { verifyApiKey: deps.verifyApiKey },
    routes: captureLeadRoutes({ store: deps.store, clock: deps.clock }),
  });
}
