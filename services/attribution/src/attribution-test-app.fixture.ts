import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ConsumedEvent } from '@l2o/bus';
import type { AttributionCalculatedV1, CloudEvent } from '@l2o/contracts';
import { streamIdFor } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import type { PostgresEventStore, RecordedEvent } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ApiScope, ServiceServer } from '@l2o/service-kit';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { freshSchema, requestWithApiKey } from '@l2o/testing';
import type { ApiKeyRequest, TestResponse } from '@l2o/testing';
import { buildApp } from './app.ts';
import type { AttributionDeps } from './attribution-deps.ts';
import { createAttributionConsumer } from './consumer/attribution-consumer.ts';
import { migrateAttribution } from './migrate-attribution.ts';
import { createAttributionSettingsRepository } from './settings/attribution-settings.repository.ts';

/** Attribution on a fresh schema with every migration applied, for `*.int.spec.ts`. */
export type AttributionTestApp = {
  schema: string;
  databaseUrl: string;
  pool: pg.Pool;
  store: PostgresEventStore;
  app: ServiceServer;
  deps: AttributionDeps;
  /** The consumer's handlers, as the bus calls them. */
  consumer: StreamConsumerHandlers;
  /** The fixed clock's time; tests move it with `setNow`. */
  now(): Date;
  setNow(at: Date): void;
  /** Hands events to the consumer one at a time, in order, as the bus does after a failed batch. */
  deliver(...events: CloudEvent[]): Promise<void>;
  /** The events as the bus hands them over, from one partition in the order given. */
  deliveries(events: readonly CloudEvent[]): ConsumedEvent[];
  /** A fresh tenant with an API key of `scopes`. */
  newTenant(scopes?: ApiScope[]): Promise<{ tenantId: string; apiKey: string }>;
  request(options: ApiKeyRequest): Promise<TestResponse>;
  /** The events of an opportunity's attribution stream. */
  attributionEvents(opportunityId: string): Promise<Array<RecordedEvent & { data: AttributionCalculatedV1 }>>;
  close(): Promise<void>;
};

export async function startAttributionTestApp(options: { now?: Date } = {}): Promise<AttributionTestApp> {
  let now = options.now ?? new Date('2025-06-30T12:00:00.000Z');
  const db = await freshSchema('attribution');
  const { databaseUrl, schema } = db;
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateTenancy, migrateAttribution] });
  const pool = createPool({ connectionString: databaseUrl, schema, max: 10 });
  const store = createPostgresEventStore({ pool, schema });
  const clock = () => now;
  const settings = createAttributionSettingsRepository({ pool });
  const logger = createLogger({ name: 'attribution', level: 'silent' });
  const deps: AttributionDeps = { pool, store, clock, settings, logger };
  const app = await buildApp({ pool, store, logger, clock, settings, verifyApiKey: createApiKeyVerifier({ pool }) });
  await app.ready();
  const consumer = createAttributionConsumer(deps);
  const deliveries = (events: readonly CloudEvent[]): ConsumedEvent[] =>
    events.map((event, index) => ({
      event,
      topic: 'test',
      partition: 0,
      offset: String(index),
      key: event.subject,
      attempt: 1,
    }));

  return {
    schema,
    databaseUrl,
    pool,
    store,
    app,
    deps,
    consumer,
    now: () => now,
    setNow(at) {
      now = at;
    },
    async deliver(...events) {
      for (const message of deliveries(events)) await consumer.handle(message);
    },
    deliveries,
    async newTenant(scopes = ['administer_rules', 'read_reports']) {
      const tenantId = `acme-${randomUUID()}`;
      const { apiKey } = await createApiKey({ pool, tenantId, name: 'attribution-test', scopes });
      return { tenantId, apiKey };
    },
    request: (options) => requestWithApiKey(app, options),
    async attributionEvents(opportunityId) {
      const events = await store.readStream(streamIdFor('attribution', opportunityId));
      return events as Array<RecordedEvent & { data: AttributionCalculatedV1 }>;
    },
    async close() {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
}

/** Whole cents of a list of major-unit amounts. */
export function centsOf(amounts: ReadonlyArray<{ amount: number }>): number {
  return amounts.reduce((sum, { amount }) => sum + Math.round(amount * 100), 0);
}
