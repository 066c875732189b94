import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import type { PostgresEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ApiScope, ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { freshSchema, requestWithApiKey } from '@l2o/testing';
import type { ApiKeyRequest, TestResponse } from '@l2o/testing';
import { buildApp } from './app.ts';
import { migrateIngestion } from './migrate-ingestion.ts';

/** An event of a tenant as the int specs look at it. */
export type StoredLeadEvent = { streamId: string; type: string; data: Record<string, unknown> };

/** The ingestion app on a fresh schema with every migration applied, for `*.int.spec.ts`. */
export type IngestionTestApp = {
  schema: string;
  databaseUrl: string;
  pool: pg.Pool;
  store: PostgresEventStore;
  app: ServiceServer;
  now: Date;
  /** A fresh tenant with an API key of `scopes`; each test uses its own, so the events it finds are its alone. */
  newTenant(scopes?: ApiScope[]): Promise<{ tenantId: string; apiKey: string }>;
  /** Injects a request authenticated with `apiKey`; default method POST. */
  request(options: ApiKeyRequest): Promise<TestResponse>;
  /** Every event stored for the tenant, in commit order. */
  eventsOf(tenantId: string): Promise<StoredLeadEvent[]>;
  /** The tenant's `lead_identities` rows. */
  identitiesOf(tenantId: string): Promise<Array<{ kind: string; value: string; leadId: string }>>;
  close(): Promise<void>;
};

export async function startIngestionTestApp(
  options: { now?: Date; poolSize?: number } = {},
): Promise<IngestionTestApp> {
  const now = options.now ?? new Date('2025-03-14T09:26:53.000Z');
  const db = await freshSchema('ingestion');
  const { databaseUrl, schema } = db;
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateTenancy, migrateIngestion] });
  const pool = createPool({ connectionString: databaseUrl, schema, max: options.poolSize ?? 10 });
  const store = createPostgresEventStore({ pool, schema });
  const app = await buildApp({
    pool,
    store,
    logger: createLogger({ name: 'ingestion', level: 'silent' }),
    clock: () => now,
    verifyApiKey: createApiKeyVerifier({ pool }),
  });
  await app.ready();

  return {
    schema,
    databaseUrl,
    pool,
    store,
    app,
    now,
    async newTenant(scopes = ['ingest']) {
      const tenantId = `acme-${randomUUID()}`;
      const { apiKey } = await createApiKey({ pool, tenantId, name: 'ingestion-test', scopes });
      return { tenantId, apiKey };
    },
    request: (options) => requestWithApiKey(app, { ...options, method: options.method ?? 'POST' }),
    async eventsOf(tenantId) {
      const result = await pool.query<{ stream_id: string; type: string; data: Record<string, unknown> }>(
        `SELECT stream_id, type, data FROM events WHERE metadata->>'tenantId' = $1 ORDER BY global_position`,
        [tenantId],
      );
      return result.rows.map((row) => ({ streamId: row.stream_id, type: row.type, data: row.data }));
    },
    async identitiesOf(tenantId) {
      const result = await pool.query<{ kind: string; value: string; lead_id: string }>(
        'SELECT kind, value, lead_id FROM lead_identities WHERE tenant_id = $1 ORDER BY kind, value',
        [tenantId],
      );
      return result.rows.map((row) => ({ kind: row.kind, value: row.value, leadId: row.lead_id }));
    },
    async close() {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
}
