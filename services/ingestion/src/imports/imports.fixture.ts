import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import type { PostgresEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { buildServer, createLogger } from '@l2o/service-kit';
import type { Logger, ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { freshSchema, waitFor } from '@l2o/testing';
import { createLeadCapturer } from '../capture/create-lead-capturer.ts';
import type { BulkLeadCapturer } from '../capture/create-lead-capturer.ts';
import { migrateIngestion } from '../migrate-ingestion.ts';
import { createCsvParser } from './csv-format.ts';
import { createImportProcessor } from './import-processor.ts';
import type { ImportProcessor, ImportProcessorOptions } from './import-processor.ts';
import { importRoutes } from './imports.routes.ts';

export const fixedNow = new Date('2025-03-14T09:26:53.000Z');

type InjectResponse = Awaited<ReturnType<ServiceServer['inject']>>;

export type ImportRow = {
  status: string;
  processed_rows: number;
  last_row: number;
  failed_attempts: number;
  lease_owner: string | null;
};

export type ImportStatusBody = {
  importId: string;
  status: string;
  counts: {
    total: number | null;
    processed: number;
    accepted: number;
    merged: number;
    duplicate: number;
    rejected: number;
  };
  percent?: number;
  error?: string;
  attempts?: { failed: number; max?: number; lastError?: string; retryAt?: string };
  mapping: Record<string, string>;
};

/**
 * What the import tests share: a fresh schema with the event store, tenancy and ingestion tables,
 * the real capturer on a real store, the import routes on the service kit's server, and a spool dir.
 */
export type ImportsFixture = {
  pool: pg.Pool;
  store: PostgresEventStore;
  capturer: BulkLeadCapturer;
  app: ServiceServer;
  spoolDir: string;
  logger: Logger;
  newTenant: () => Promise<{ tenantId: string; apiKey: string }>;
  upload: (options: {
    apiKey: string;
    csv: string;
    query?: Record<string, string>;
    contentType?: string;
  }) => Promise<InjectResponse>;
  /** A new tenant's upload of `csv`, answered 202. */
  uploaded: (csv: string) => Promise<{ tenantId: string; apiKey: string; importId: string }>;
  getImport: (options: { apiKey: string; importId: string }) => Promise<InjectResponse>;
  /** The rejections report of an import, parsed: one record per line after the header. */
  rejections: (options: { apiKey: string; importId: string }) => Promise<string[][]>;
  /** Polls the progress route until the import is completed or failed. */
  finished: (options: { apiKey: string; importId: string }) => Promise<ImportStatusBody>;
  /** The import's row as stored: its lease and progress, which the progress route does not show. */
  importRow: (importId: string) => Promise<ImportRow | undefined>;
  processor: (options?: Partial<ImportProcessorOptions>) => ImportProcessor;
  eventsOfTenant: (tenantId: string) => Promise<Array<{ stream_id: string; type: string }>>;
  /** Stops every processor the fixture made, so the next test's imports are its own processors' alone. */
  stopProcessors: () => Promise<void>;
  close: () => Promise<void>;
};

export async function createImportsFixture(): Promise<ImportsFixture> {
  const db = await freshSchema('imports');
  await migrateModules({
    databaseUrl: db.databaseUrl,
    schema: db.schema,
    modules: [migrateEventStore, migrateTenancy, migrateIngestion],
  });
  const pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 20 });
  const store = createPostgresEventStore({ pool, schema: db.schema });
  const logger = createLogger({
    name: 'ingestion',
    level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
  });
  const capturer = createLeadCapturer({ pool, store, clock: () => fixedNow, logger });
  const spoolDir = await mkdtemp(join(tmpdir(), 'l2o-imports-'));
  const app = await buildServer({
    name: 'ingestion',
    version: '0.1.0',
    logger,
    auth: { verifyApiKey: createApiKeyVerifier({ pool }) },
    routes: importRoutes({ pool, spoolDir }),
  });
  await app.ready();
  const processors: ImportProcessor[] = [];

  const getImport: ImportsFixture['getImport'] = async ({ apiKey, importId }) =>
    await app.inject({ method: 'GET', url: `/v1/imports/${importId}`, headers: { authorization: `Bearer ${apiKey}` } });
  const newTenant: ImportsFixture['newTenant'] = async () => {
    const tenantId = `acme-${randomUUID()}`;
    const { apiKey } = await createApiKey({ pool, tenantId, name: 'imports-test', scopes: ['ingest'] });
    return { tenantId, apiKey };
  };
  const upload: ImportsFixture['upload'] = async ({ apiKey, csv, query = {}, contentType = 'text/csv' }) =>
    await app.inject({
      method: 'POST',
      url: '/v1/imports',
      query,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType },
      payload: csv,
    });

  return {
    pool,
    store,
    capturer,
    app,
    spoolDir,
    logger,
    newTenant,
    upload,
    async uploaded(csv) {
      const tenant = await newTenant();
      const response = await upload({ apiKey: tenant.apiKey, csv });
      if (response.statusCode !== 202) throw new Error(`upload answered ${response.statusCode}: ${response.body}`);
      return { ...tenant, importId: response.json<{ importId: string }>().importId };
    },
    getImport,
    async rejections({ apiKey, importId }) {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/imports/${importId}/rejections`,
        headers: { authorization: `Bearer ${apiKey}` },
      });
      if (response.statusCode !== 200) throw new Error(`rejections answered ${response.statusCode}: ${response.body}`);
      const parser = createCsvParser({ delimiter: ',' });
      parser.end(response.body);
      const records: string[][] = [];
      for await (const record of parser as AsyncIterable<string[]>) records.push(record);
      return records.slice(1);
    },
    finished: ({ apiKey, importId }) =>
      waitFor(
        `import ${importId} to finish`,
        async () => {
          const body = (await getImport({ apiKey, importId })).json<ImportStatusBody>();
          return body.status === 'completed' || body.status === 'failed' ? body : undefined;
        },
        { timeoutMs: 60_000 },
      ),
    async importRow(importId) {
      const result = await pool.query<ImportRow>(
        'SELECT status, processed_rows, last_row, failed_attempts, lease_owner FROM imports WHERE id = $1',
        [importId],
      );
      return result.rows[0];
    },
    processor(options = {}) {
      const processor = createImportProcessor({
        pool,
        capturer,
        logger,
        pollIntervalMs: 20,
        checkpointRows: 25,
        checkpointMs: 100,
        retryDelayMs: { initial: 10, max: 100 },
        attemptDelayMs: { initial: 10, max: 100 },
        ...options,
      });
      processors.push(processor);
      return processor;
    },
    async eventsOfTenant(tenantId) {
      const result = await pool.query<{ stream_id: string; type: string }>(
        `SELECT stream_id, type FROM events WHERE metadata->>'tenantId' = $1 ORDER BY global_position`,
        [tenantId],
      );
      return result.rows;
    },
    async stopProcessors() {
      await Promise.all(processors.splice(0).map((processor) => processor.stop()));
    },
    async close() {
      await Promise.all(processors.splice(0).map((processor) => processor.stop()));
      await app.close();
      await pool.end();
      await db.drop();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

/** A CSV of `rows` distinct, valid leads with the default field-path header. */
export function validLeadsCsv(rows: number, prefix = 'lead'): string {
  const lines = ['email,firstName,company.name,company.country'];
  for (let index = 1; index <= rows; index += 1) {
    lines.push(`${prefix}-${index}@example.com,Person ${index},Company ${index},GB`);
  }
  return `${lines.join('\n')}\n`;
}
