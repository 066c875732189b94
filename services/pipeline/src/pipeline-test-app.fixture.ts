import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ConsumedEvent } from '@l2o/bus';
import { streamIdFor, toCloudEvent } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { LeadCommand } from '@l2o/domain';
import { createPostgresEventStore, handleCommand, migrateEventStore } from '@l2o/event-store';
import type { PostgresEventStore, RecordedEvent } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ApiScope, ServiceServer } from '@l2o/service-kit';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { freshSchema, requestWithApiKey } from '@l2o/testing';
import type { ApiKeyRequest, TestResponse } from '@l2o/testing';
import { buildApp } from './app.ts';
import { migratePipeline } from './migrate-pipeline.ts';
import { createOpportunityViewConsumer } from './opportunity-view/opportunity-consumer.ts';
import { createPipelineSettingsRepository } from './settings/pipeline-settings.repository.ts';
import type { PipelineSettingsRepository } from './settings/pipeline-settings.repository.ts';
import type { StageTimerFiring } from './stage-sla/fire-stage-timers.ts';

/** A stored event as the int specs look at it. */
export type StoredEvent = { streamId: string; type: string; data: Record<string, unknown>; transactionId: string };

/** A tenant with an API key of every scope pipeline's routes need, and one rep who owns its leads. */
export type TestTenant = { tenantId: string; apiKey: string; ownerId: string };

/** The pipeline app on a fresh schema with every migration applied, for `*.int.spec.ts`. */
export type PipelineTestApp = {
  schema: string;
  pool: pg.Pool;
  store: PostgresEventStore;
  settings: PipelineSettingsRepository;
  /** The opportunity view's consumer handlers, as the bus calls them; their outbox carries the stage SLA commands. */
  view: StreamConsumerHandlers<StageTimerFiring>;
  app: ServiceServer;
  /** The app's fixed clock. */
  now: Date;
  /** A fresh tenant whose key has `scopes` (default: work_leads, read_reports, administer_rules). */
  newTenant(scopes?: ApiScope[]): Promise<TestTenant>;
  /** Default method POST. */
  request(options: ApiKeyRequest): Promise<TestResponse>;
  /** A lead of the tenant captured (from a web form campaign) and assigned to the tenant's rep. */
  seedLead(tenant: TestTenant, options?: { ownerId?: string }): Promise<string>;
  /** A sales-qualified lead converted through the routes; resolves with the opportunity id. */
  openOpportunity(
    tenant: TestTenant,
    terms?: { amount?: number; currency?: string; expectedCloseDate?: string; ownerId?: string },
  ): Promise<string>;
  /** Every event stored for the tenant, in commit order. */
  eventsOf(tenantId: string): Promise<StoredEvent[]>;
  /** Applies the stored opportunity events of the tenant to the opportunity view, as the consumer would. */
  catchUpView(tenantId: string): Promise<void>;
  /** The tenant's stored opportunity events as the relay publishes them, in commit order. */
  opportunityCloudEvents(tenantId: string): Promise<CloudEvent[]>;
  /** The events as the bus hands them to a handler, from one partition in the order given. */
  deliveries(events: readonly CloudEvent[]): ConsumedEvent[];
  close(): Promise<void>;
};

export async function startPipelineTestApp(options: { now?: Date } = {}): Promise<PipelineTestApp> {
  const now = options.now ?? new Date('2025-04-07T14:00:00.000Z');
  const db = await freshSchema('pipeline');
  const { databaseUrl, schema } = db;
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateTenancy, migratePipeline] });
  const pool = createPool({ connectionString: databaseUrl, schema, max: 12 });
  const store = createPostgresEventStore({ pool, schema });
  const settings = createPipelineSettingsRepository({ pool });
  const view = createOpportunityViewConsumer({ pool, store, settings });
  const app = await buildApp({
    pool,
    store,
    settings,
    logger: createLogger({ name: 'pipeline', level: 'silent' }),
    clock: () => now,
    verifyApiKey: createApiKeyVerifier({ pool }),
  });
  await app.ready();

  const request: PipelineTestApp['request'] = (options) =>
    requestWithApiKey(app, { ...options, method: options.method ?? 'POST' });

  async function leadCommand(command: LeadCommand): Promise<void> {
    await handleCommand({
      store,
      streamId: streamIdFor('lead', command.data.leadId),
      decider: leadDecider,
      command,
      metadata: { tenantId: command.data.tenantId, producer: 'test' },
    });
  }

  async function storedOpportunityEvents(tenantId: string): Promise<RecordedEvent[]> {
    const ids = await pool.query<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM events WHERE metadata->>'tenantId' = $1 AND stream_id LIKE 'opportunity-%'`,
      [tenantId],
    );
    // Each stream in version order; the order between streams does not matter to the view.
    const streams = await Promise.all(ids.rows.map((row) => store.readStream(row.stream_id)));
    return streams.flat();
  }

  const env: PipelineTestApp = {
    schema,
    pool,
    store,
    settings,
    view,
    app,
    now,
    async newTenant(scopes = ['work_leads', 'read_reports', 'administer_rules']) {
      const tenantId = `acme-${randomUUID()}`;
      const { apiKey } = await createApiKey({ pool, tenantId, name: 'pipeline-test', scopes });
      return { tenantId, apiKey, ownerId: 'rep-ines' };
    },
    request,
    async seedLead(tenant, seedOptions = {}) {
      const leadId = randomUUID();
      const { tenantId } = tenant;
      await leadCommand({
        type: 'CaptureLead',
        data: {
          leadId,
          tenantId,
          contact: { email: 'ada@engines.example', firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'CTO' },
          company: { name: 'Analytical Engines Ltd', domain: 'engines.example', size: 120, country: 'GB' },
          touchpoint: {
            channel: 'web_form',
            utm: { source: 'google', campaign: 'spring-webinar' },
            occurredAt: '2025-03-14T09:26:41.000Z',
          },
        },
        metadata: { now: new Date('2025-03-14T09:26:53.000Z') },
      });
      await leadCommand({
        type: 'AssignLead',
        data: {
          leadId,
          tenantId,
          ownerId: seedOptions.ownerId ?? tenant.ownerId,
          poolId: 'emea',
          strategy: 'manual',
          reason: 'manual',
        },
        metadata: { now: new Date('2025-03-15T08:00:00.000Z') },
      });
      return leadId;
    },
    async openOpportunity(tenant, terms = {}) {
      const ownerId = terms.ownerId ?? tenant.ownerId;
      const leadId = await env.seedLead(tenant, { ownerId });
      const { apiKey } = tenant;
      const qualified = await request({ url: `/v1/leads/${leadId}/sales-qualify`, apiKey, body: { by: ownerId } });
      if (qualified.statusCode !== 200) throw new Error(`sales-qualify answered ${qualified.body}`);
      const converted = await request({
        url: `/v1/leads/${leadId}/convert`,
        apiKey,
        body: {
          by: ownerId,
          amount: terms.amount ?? 48_000,
          currency: terms.currency ?? 'EUR',
          expectedCloseDate: terms.expectedCloseDate ?? '2025-06-30',
        },
      });
      if (converted.statusCode !== 201) throw new Error(`convert answered ${converted.body}`);
      return converted.json<{ opportunityId: string }>().opportunityId;
    },
    async eventsOf(tenantId) {
      const result = await pool.query<{
        stream_id: string;
        type: string;
        data: Record<string, unknown>;
        transaction_id: string;
      }>(
        `SELECT stream_id, type, data, transaction_id::text AS transaction_id FROM events
          WHERE metadata->>'tenantId' = $1 ORDER BY global_position`,
        [tenantId],
      );
      return result.rows.map((row) => ({
        streamId: row.stream_id,
        type: row.type,
        data: row.data,
        transactionId: row.transaction_id,
      }));
    },
    async catchUpView(tenantId) {
      await view.handleBatch(env.deliveries(await env.opportunityCloudEvents(tenantId)));
    },
    async opportunityCloudEvents(tenantId) {
      return (await storedOpportunityEvents(tenantId)).map(toCloudEvent);
    },
    deliveries(events) {
      return events.map((event, index) => ({
        event,
        topic: 'l2o.opportunity.v1',
        partition: 0,
        offset: String(index),
        key: event.subject,
        attempt: 1,
      }));
    },
    async close() {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
  return env;
}
