import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createPublisher, ensureTopics } from '@l2o/bus';
import type { ConsumedEvent, ConsumerRunner } from '@l2o/bus';
import { parseStreamId, streamIdFor, toCloudEvent, Topics, withNamespace } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { CaptureLead, ScoreLead } from '@l2o/domain';
import { createPostgresEventStore, handleCommand, migrateEventStore, START } from '@l2o/event-store';
import type { EventStore, PostgresEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ApiScope, Logger, ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { freshSchema, kafkaBrokers, requestWithApiKey, uniqueSuffix, waitFor } from '@l2o/testing';
import type { ApiKeyRequest, TestResponse } from '@l2o/testing';
import { buildApp } from './app.ts';
import type { Pool, Rep, RoutingSettings } from './assignment/index.ts';
import { installDemoRouting } from './demo/demo-routing.ts';
import { captureLeadCommand, qualifyLeadCommand } from './lead-commands.fixture.ts';
import type { QueuedLeadCommand } from './lead-commands/queued-lead-command.ts';
import { createLeadEventConsumer, startLeadEventConsumer } from './lead-events/lead-event-consumer.ts';
import { migrateRouting } from './migrate-routing.ts';

/** An event of a lead's stream as the specs look at it. */
export type StoredEvent = { type: string; version: number; data: Record<string, unknown> };

/** One routing process's database side: its own pool on the shared schema. */
export type Replica = { pool: pg.Pool; store: PostgresEventStore; close(): Promise<void> };

/** The lead topic in a namespace of its own, a relay from the store to it, and routing consumers on it. */
export type RoutingKafka = {
  namespace: string;
  /** Starts a member of the test's routing consumer group, on `replica` when given. */
  startConsumer(replica?: Replica): Promise<ConsumerRunner>;
  close(): Promise<void>;
};

/** The routing app on a fresh schema with every migration applied, a movable clock and lead helpers. */
export type RoutingTestEnv = {
  schema: string;
  pool: pg.Pool;
  store: PostgresEventStore;
  app: ServiceServer;
  logger: Logger;
  clock: () => Date;
  setNow(now: Date): void;
  /** Moves the clock on by `minutes`. */
  advance(minutes: number): void;
  newTenant(scopes?: ApiScope[]): Promise<{ tenantId: string; apiKey: string }>;
  /** Default method POST. */
  request(options: ApiKeyRequest): Promise<TestResponse>;
  /** Stores a tenant's routing straight in the tables. */
  configure(tenantId: string, setup: { settings: RoutingSettings; reps: Rep[]; pools: Pool[] }): Promise<void>;
  /** Captures a lead of `tenantId` in `country` with `employees`; returns its id. */
  captureLead(options: { tenantId: string; country?: string; employees?: number }): Promise<string>;
  /** Scores the lead over the MQL threshold, which appends LeadQualified. */
  qualifyLead(options: { tenantId: string; leadId: string }): Promise<void>;
  eventsOf(leadId: string): Promise<StoredEvent[]>;
  /** Waits until the lead's stream holds `count` events of `type`; returns the last of them. */
  waitForEvent(leadId: string, type: string, count?: number): Promise<StoredEvent>;
  /** The lead's events as the relay publishes them, for handing to a handler directly. */
  cloudEventsOf(leadId: string): Promise<CloudEvent[]>;
  /** The lead's events as the bus hands them to a consumer, on one partition at offsets from 0. */
  consumedOf(leadId: string): Promise<ConsumedEvent[]>;
  /** Routing's lead consumer (the kit's handlers) on `replica` (the test's own pool and store by default). */
  leadConsumer(replica?: {
    pool: pg.Pool;
    store: Pick<EventStore, 'readStreams' | 'appendToStreams'>;
  }): StreamConsumerHandlers<QueuedLeadCommand>;
  newReplica(): Replica;
  startKafka(): Promise<RoutingKafka>;
  close(): Promise<void>;
};

const consumerTiming = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 };

export async function startRoutingTestEnv(options: { now?: Date } = {}): Promise<RoutingTestEnv> {
  let now = options.now ?? new Date('2025-03-10T10:00:00.000Z');
  const clock = () => now;
  const db = await freshSchema('routing');
  const { databaseUrl, schema } = db;
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateTenancy, migrateRouting] });
  const closers: Array<() => Promise<void>> = [];

  const newReplica = (): Replica => {
    const pool = createPool({ connectionString: databaseUrl, schema, max: 12 });
    const store = createPostgresEventStore({ pool, schema, pollIntervalMs: 20 });
    const replica = { pool, store, close: () => pool.end() };
    return replica;
  };
  const main = newReplica();
  const { pool, store } = main;
  const logger = createLogger({ name: 'routing', level: 'silent' });
  const app = await buildApp({
    pool,
    store,
    logger,
    clock,
    verifyApiKey: createApiKeyVerifier({ pool, cacheTtlMs: 0 }),
  });
  await app.ready();

  const eventsOf = async (leadId: string): Promise<StoredEvent[]> =>
    (await store.readStream(streamIdFor('lead', leadId))).map((event) => ({
      type: event.type,
      version: event.streamVersion,
      data: event.data,
    }));

  return {
    schema,
    pool,
    store,
    app,
    logger,
    clock,
    setNow(next) {
      now = next;
    },
    advance(minutes) {
      now = new Date(now.getTime() + minutes * 60_000);
    },
    async newTenant(scopes = ['administer_rules', 'work_leads', 'read_reports']) {
      const tenantId = `acme-${uniqueSuffix()}`;
      const { apiKey } = await createApiKey({ pool, tenantId, name: 'routing-test', scopes });
      return { tenantId, apiKey };
    },
    request: (options) => requestWithApiKey(app, { ...options, method: options.method ?? 'POST' }),
    async configure(tenantId, setup) {
      const outcome = await installDemoRouting({ pool, tenantId, now, setup });
      if (outcome !== 'installed') throw new Error(`tenant ${tenantId} already has routing`);
    },
    async captureLead({ tenantId, country, employees }) {
      const leadId = randomUUID();
      await run(captureLeadCommand({ leadId, tenantId, now, country, employees }));
      return leadId;
    },
    async qualifyLead({ tenantId, leadId }) {
      await run(qualifyLeadCommand({ leadId, tenantId, now }));
    },
    eventsOf,
    async waitForEvent(leadId, type, count = 1) {
      return waitFor(`${count} ${type} on lead ${leadId}`, async () => {
        const matching = (await eventsOf(leadId)).filter((event) => event.type === type);
        return matching.length >= count ? matching[count - 1] : undefined;
      });
    },
    async cloudEventsOf(leadId) {
      return (await store.readStream(streamIdFor('lead', leadId))).map(toCloudEvent);
    },
    async consumedOf(leadId) {
      return (await store.readStream(streamIdFor('lead', leadId))).map((event, index) => ({
        event: toCloudEvent(event),
        topic: Topics.lead,
        partition: 0,
        offset: String(index),
        key: leadId,
        attempt: 1,
      }));
    },
    leadConsumer(replica = main) {
      return createLeadEventConsumer({ ...replica, clock, logger, waitingRetryMs: 60_000 });
    },
    newReplica() {
      const replica = newReplica();
      closers.push(replica.close);
      return replica;
    },
    async startKafka() {
      const kafka = await startRoutingKafka({ main, clock, logger });
      closers.unshift(kafka.close);
      return kafka;
    },
    async close() {
      for (const close of closers) await close();
      await app.close();
      await pool.end();
      await db.drop();
    },
  };

  async function run(command: CaptureLead | ScoreLead): Promise<void> {
    await handleCommand({
      store,
      streamId: streamIdFor('lead', command.data.leadId),
      decider: leadDecider,
      command,
      metadata: { tenantId: command.data.tenantId, producer: 'routing-test' },
    });
  }
}

async function startRoutingKafka(options: { main: Replica; clock: () => Date; logger: Logger }): Promise<RoutingKafka> {
  const { main, clock, logger } = options;
  const namespace = `test-routing-${uniqueSuffix()}`;
  const topic = withNamespace(Topics.lead, namespace);
  const groupId = `routing-test-${uniqueSuffix()}`;
  await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 2 }] });
  const publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'routing-test-relay' });
  await publisher.connect();
  // The relay's job in production: every committed lead event, in order, onto the topic.
  const relay = main.store.subscribeToFeed({
    from: START,
    onEvents: async (events) => {
      const lead = events.filter((event) => parseStreamId(event.streamId)?.aggregate === 'lead');
      await publisher.publish(
        topic,
        lead.map((event) => ({ key: parseStreamId(event.streamId)?.id ?? '', event: toCloudEvent(event) })),
      );
    },
  });
  const consumers: ConsumerRunner[] = [];
  return {
    namespace,
    async startConsumer(replica = main) {
      const consumer = await startLeadEventConsumer({
        handlers: createLeadEventConsumer({ ...replica, clock, logger, waitingRetryMs: 60_000 }),
        brokers: kafkaBrokers(),
        topicNamespace: namespace,
        groupId,
        timing: consumerTiming,
      });
      await consumer.ready;
      consumers.push(consumer);
      return consumer;
    },
    async close() {
      for (const consumer of consumers) await consumer.stop();
      await relay.stop();
      await publisher.disconnect();
    },
  };
}

/** A rep as the specs need one: active, any time, in London. */
export function testRep(id: string, fields: Partial<Rep> = {}): Rep {
  return { id, name: `Rep ${id}`, active: true, timezone: 'Europe/London', ...fields };
}

/**
 * Three reps: British leads go to the `uk` pool (ana, ben; 30-minute SLA), the rest and recycled
 * leads to `shared` (ana, ben, cy); the second breach escalates.
 */
export function teamRouting(fields: { reps?: Rep[]; pools?: Pool[] } = {}): {
  settings: RoutingSettings;
  reps: Rep[];
  pools: Pool[];
} {
  return {
    settings: {
      rules: [
        { id: 'uk', name: 'United Kingdom', poolId: 'uk', conditions: { countries: ['GB'] }, responseSlaMinutes: 30 },
      ],
      defaultPoolId: 'shared',
      sharedPoolId: 'shared',
      defaultResponseSlaMinutes: 60,
      escalateAfterBreaches: 2,
    },
    reps: fields.reps ?? [
      testRep('ana', { managerId: 'mgr-uk' }),
      testRep('ben', { managerId: 'mgr-uk' }),
      testRep('cy'),
    ],
    pools: fields.pools ?? [
      {
        id: 'uk',
        name: 'UK',
        strategy: 'round_robin',
        members: [
          { repId: 'ana', weight: 1 },
          { repId: 'ben', weight: 1 },
        ],
      },
      {
        id: 'shared',
        name: 'Shared',
        strategy: 'load_balanced',
        members: ['ana', 'ben', 'cy'].map((repId) => ({ repId, weight: 1 })),
        managerId: 'mgr-shared',
      },
    ],
  };
}
