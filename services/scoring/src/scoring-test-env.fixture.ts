import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ConsumedEvent } from '@l2o/bus';
import { streamIdFor, toCloudEvent } from '@l2o/contracts';
import type { CloudEvent, LeadActivity, LeadCapturedV1 } from '@l2o/contracts';
import { decideMerge, evolveLead, initialLeadState, leadDecider } from '@l2o/domain';
import type { LeadCommand, LeadEvent } from '@l2o/domain';
import { createPostgresEventStore, handleCommand, migrateEventStore, toNewEvents } from '@l2o/event-store';
import type { PostgresEventStore, RecordedEvent } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ApiScope, ServiceServer } from '@l2o/service-kit';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { freshSchema, requestWithApiKey } from '@l2o/testing';
import type { ApiKeyRequest, TestResponse } from '@l2o/testing';
import { buildApp } from './app.ts';
import { createLeadEventsConsumer } from './lead-events/lead-events-consumer.ts';
import { noScoringMetrics } from './scoring-metrics.ts';
import { migrateScoring } from './migrate-scoring.ts';

/** Scoring on a fresh schema with every migration applied and a clock the spec moves, for `*.int.spec.ts`. */
export type ScoringTestEnv = {
  schema: string;
  databaseUrl: string;
  pool: pg.Pool;
  store: PostgresEventStore;
  app: ServiceServer;
  clock: () => Date;
  setNow(now: Date): void;
  /** A fresh tenant with an API key of `scopes`; each test uses its own. */
  newTenant(scopes?: ApiScope[]): Promise<{ tenantId: string; apiKey: string }>;
  request(options: ApiKeyRequest): Promise<TestResponse>;
  /** Captures a lead on its stream (as ingestion would) at the clock's time; returns its id. */
  captureLead(options: {
    tenantId: string;
    contact?: LeadCapturedV1['contact'];
    company?: LeadCapturedV1['company'];
    customFields?: LeadCapturedV1['customFields'];
  }): Promise<string>;
  /** Records an activity of `type` on the lead's stream, happening at the clock's time. */
  recordActivity(options: { tenantId: string; leadId: string; type: LeadActivity['type'] }): Promise<void>;
  /** Merges one lead into another on their streams, as ingestion's merge route does. */
  mergeLeads(options: { tenantId: string; survivorLeadId: string; mergedLeadId: string }): Promise<void>;
  /** The lead's stream. */
  streamOf(leadId: string): Promise<RecordedEvent[]>;
  /** Scoring's lead events consumer on this schema, without Kafka: tests hand it batches as a partition would. */
  leadEvents: StreamConsumerHandlers;
  /**
   * Hands the lead's stored events from `fromVersion` to the lead events consumer as one batch, at the
   * clock's time, as one fetch of a partition would, scoring's own events among them.
   */
  applyStream(leadId: string, options?: { fromVersion?: number }): Promise<void>;
  close(): Promise<void>;
};

/** The rescore interval of the specs: an hour, the default. */
export const rescoreIntervalMs = 3_600_000;

export const startOfTests = new Date('2025-05-01T12:00:00.000Z');

/** A VP at a 5,000-person software company in the US: 90 fit points with the default rules. */
export const idealProfile = {
  contact: { email: 'vp@bigsoft.example', jobTitle: 'VP Sales' },
  company: { name: 'Big Soft', industry: 'Software', size: 5000, country: 'US' },
} satisfies Pick<LeadCapturedV1, 'contact' | 'company'>;

export async function startScoringTestEnv(): Promise<ScoringTestEnv> {
  const db = await freshSchema('scoring');
  const { databaseUrl, schema } = db;
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateTenancy, migrateScoring] });
  const pool = createPool({ connectionString: databaseUrl, schema, max: 12 });
  const store = createPostgresEventStore({ pool, schema });
  let now = startOfTests;
  const clock = () => now;
  const app = await buildApp({
    pool,
    logger: createLogger({ name: 'scoring', level: 'silent' }),
    clock,
    verifyApiKey: createApiKeyVerifier({ pool }),
  });
  await app.ready();

  const leadEvents = createLeadEventsConsumer({ pool, store, clock, rescoreIntervalMs, metrics: noScoringMetrics });

  const decide = (leadId: string, tenantId: string, command: LeadCommand) =>
    handleCommand({
      store,
      streamId: streamIdFor('lead', leadId),
      decider: leadDecider,
      command,
      metadata: { tenantId },
    });

  return {
    schema,
    databaseUrl,
    pool,
    store,
    app,
    clock,
    setNow(next) {
      now = next;
    },
    async newTenant(scopes = ['read_reports', 'administer_rules']) {
      const tenantId = `acme-${randomUUID()}`;
      const { apiKey } = await createApiKey({ pool, tenantId, name: 'scoring-test', scopes });
      return { tenantId, apiKey };
    },
    request: (options) => requestWithApiKey(app, options),
    async captureLead({ tenantId, contact, company, customFields }) {
      const leadId = randomUUID();
      await decide(leadId, tenantId, {
        type: 'CaptureLead',
        data: {
          leadId,
          tenantId,
          contact: contact ?? { email: `${leadId}@example.com` },
          company: company ?? {},
          ...(customFields === undefined ? {} : { customFields }),
          touchpoint: { channel: 'web_form', occurredAt: now.toISOString() },
        },
        metadata: { now },
      });
      return leadId;
    },
    async recordActivity({ tenantId, leadId, type }) {
      await decide(leadId, tenantId, {
        type: 'RecordActivity',
        data: { leadId, tenantId, activity: { type, occurredAt: now.toISOString() } },
        metadata: { now },
      });
    },
    async mergeLeads(data) {
      const survivorStream = streamIdFor('lead', data.survivorLeadId);
      const mergedStream = streamIdFor('lead', data.mergedLeadId);
      const survivorPast = await store.readStream(survivorStream);
      const mergedPast = await store.readStream(mergedStream);
      const fold = (events: RecordedEvent[]) =>
        events.reduce(
          (lead, event) => evolveLead(lead, { type: event.type, data: event.data } as LeadEvent),
          initialLeadState(),
        );
      const decision = decideMerge({
        survivor: fold(survivorPast),
        merged: fold(mergedPast),
        command: { type: 'MergeLeads', data, metadata: { now } },
      });
      const metadata = { tenantId: data.tenantId };
      await store.appendToStreams([
        {
          streamId: survivorStream,
          events: toNewEvents({ events: decision.survivorEvents, metadata }),
          expectedVersion: survivorPast.length,
        },
        {
          streamId: mergedStream,
          events: toNewEvents({ events: decision.mergedEvents, metadata }),
          expectedVersion: mergedPast.length,
        },
      ]);
    },
    streamOf(leadId) {
      return store.readStream(streamIdFor('lead', leadId));
    },
    leadEvents,
    async applyStream(leadId, options = {}) {
      const events = await store.readStream(streamIdFor('lead', leadId), { fromVersion: options.fromVersion ?? 1 });
      await leadEvents.handleBatch(asConsumed(events.map(toCloudEvent)));
    },
    async close() {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
}

/** CloudEvents as the bus hands them to a handler: consecutive messages of one partition, first tries. */
export function asConsumed(events: readonly CloudEvent[], topic = 'l2o.lead.v1'): ConsumedEvent[] {
  return events.map((event, index) => ({
    event,
    topic,
    partition: 0,
    offset: String(index),
    key: event.subject,
    attempt: 1,
  }));
}
