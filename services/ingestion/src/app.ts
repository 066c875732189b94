import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { EventStore } from '@l2o/event-store';
import { buildServer } from '@l2o/service-kit';
import type { AuthOptions, Logger, MetricsRegistry, ReadinessCheck, ServiceServer } from '@l2o/service-kit';
import { recordActivityRoutes } from './activities/record-activity.routes.ts';
import { captureBatchRoutes } from './batch/capture-batch.routes.ts';
import { createLeadCapturer } from './capture/create-lead-capturer.ts';
import type { BulkLeadCapturer } from './capture/create-lead-capturer.ts';
import { captureLeadRoutes } from './capture-lead/capture-lead.routes.ts';
import { importRoutes } from './imports/imports.routes.ts';
import { mergeLeadsRoutes } from './merge/merge-leads.routes.ts';
import { createIngestionSettingsRepository } from './settings/ingestion-settings.repository.ts';
import type { IngestionSettingsRepository } from './settings/ingestion-settings.repository.ts';
import { ingestionSettingsRoutes } from './settings/ingestion-settings.routes.ts';

export type IngestionDeps = {
  /** Holds ingestion's tables (see `migrateIngestion`). */
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream' | 'appendToStreams'>;
  logger: Logger;
  /** The time commands are decided at; tests fix it. */
  clock: () => Date;
  /** Resolves a tenant API key (see `createApiKeyVerifier` in `@l2o/tenancy`); every route but health and docs needs one. */
  verifyApiKey: AuthOptions['verifyApiKey'];
  /** Dependencies `/ready` checks (PostgreSQL in production). */
  readiness?: ReadinessCheck[];
  /** Tenant settings; built on `pool` when omitted. Share it with the capturer so a PUT is seen at once. */
  settings?: IngestionSettingsRepository;
  /** The capture pipeline; built on `pool`, `store` and `settings` when omitted. */
  capturer?: BulkLeadCapturer;
  /** Served at `/metrics` when given. */
  metrics?: MetricsRegistry;
  /** Where CSV uploads wait for the import processor; every replica that processes imports must see it. Default: the OS temp dir. */
  importSpoolDir?: string;
  /** Largest CSV upload, in bytes. Default 1 GiB. */
  importMaxBytes?: number;
};

/** The ingestion HTTP app, not listening: `main.ts` listens, tests `inject()`. */
export async function buildApp(deps: IngestionDeps): Promise<ServiceServer> {
  const { pool, store, clock, logger } = deps;
  const settings = deps.settings ?? createIngestionSettingsRepository({ pool });
  const capturer = deps.capturer ?? createLeadCapturer({ pool, store, clock, logger, settings });
  return buildServer({
    name: 'ingestion',
    version: '0.1.0',
    description: 'Captures leads from every channel as commands on the Lead aggregate, one lead per person.',
    logger,
    readiness: deps.readiness ?? [],
    auth: { verifyApiKey: deps.verifyApiKey },
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    // Each use case is its own plugin, so the web form body parser stays with POST /v1/leads.
    routes: async (app) => {
      await app.register(captureLeadRoutes({ capturer, pool, clock }));
      await app.register(captureBatchRoutes({ capturer }));
      await app.register(recordActivityRoutes({ pool, store, clock }));
      await app.register(mergeLeadsRoutes({ pool, store, clock }));
      await app.register(ingestionSettingsRoutes({ settings, clock }));
      await app.register(
        importRoutes({
          pool,
          spoolDir: deps.importSpoolDir ?? join(tmpdir(), 'l2o-imports'),
          maxBytes: deps.importMaxBytes,
        }),
      );
    },
  });
}
