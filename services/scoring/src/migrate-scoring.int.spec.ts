import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamIdFor, toCloudEvent } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { LeadCommand } from '@l2o/domain';
import { createPostgresEventStore, handleCommand, migrateEventStore } from '@l2o/event-store';
import type { PostgresEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { freshSchema, runSqlMigrationsThrough } from '@l2o/testing';
import { createLeadEventsConsumer, leadEventsConsumerName } from './lead-events/lead-events-consumer.ts';
import { migrateScoring } from './migrate-scoring.ts';
import { noScoringMetrics } from './scoring-metrics.ts';
import { asConsumed, idealProfile, rescoreIntervalMs, startOfTests } from './scoring-test-env.fixture.ts';

describe('migrating scoring onto the consumer kit', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const leadId = randomUUID();
  const tenantId = 'acme';
  const streamId = streamIdFor('lead', leadId);

  const decide = (command: LeadCommand) =>
    handleCommand({ store, streamId, decider: leadDecider, command, metadata: { tenantId } });
  const activity = (type: 'demo_requested' | 'pricing_page_view') =>
    decide({
      type: 'RecordActivity',
      data: { leadId, tenantId, activity: { type, occurredAt: startOfTests.toISOString() } },
      metadata: { now: startOfTests },
    });

  beforeAll(async () => {
    db = await freshSchema('scoring_upgrade');
    const { databaseUrl, schema } = db;
    // The schema as the release before the kit left it: scoring's first three migrations.
    await migrateEventStore({ databaseUrl, schema });
    await runSqlMigrationsThrough({
      databaseUrl,
      schema,
      dir: new URL('../migrations', import.meta.url),
      table: 'scoring_migrations',
      through: '003_scoring-outcomes.sql',
    });
    pool = createPool({ connectionString: databaseUrl, schema, max: 6 });
    store = createPostgresEventStore({ pool, schema });

    // A lead the release before applied up to its demo request (version 2).
    await decide({
      type: 'CaptureLead',
      data: {
        leadId,
        tenantId,
        ...idealProfile,
        touchpoint: { channel: 'web_form', occurredAt: startOfTests.toISOString() },
      },
      metadata: { now: startOfTests },
    });
    await activity('demo_requested');
    await pool.query(
      `INSERT INTO scoring_leads (lead_id, tenant_id, profile, activities, captured_at, last_version, last_score, last_grade,
         last_rule_set_version)
       VALUES ($1, $2, $3, $4, $5, 2, 68, 'B', 1)`,
      [
        leadId,
        tenantId,
        JSON.stringify({ contact: { jobTitle: 'VP Sales' }, company: idealProfile.company, customFields: {} }),
        JSON.stringify([{ type: 'demo_requested', occurredAt: startOfTests.toISOString() }]),
        startOfTests,
      ],
    );

    await migrateScoring({ databaseUrl, schema });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it("moves each lead's applied stream version into the kit's positions and drops the column", async () => {
    const positions = await pool.query(
      'SELECT consumer, stream_id, tenant_id, version::int AS version FROM consumer_positions',
    );
    const column = await pool.query(
      `SELECT 1 FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'scoring_leads' AND column_name = 'last_version'`,
      [db.schema],
    );

    expect(positions.rows).toEqual([
      { consumer: leadEventsConsumerName, stream_id: streamId, tenant_id: tenantId, version: 2 },
    ]);
    expect(column.rowCount).toBe(0);
  });

  it('applies only the events after the ones applied before the upgrade', async () => {
    await activity('pricing_page_view');
    const consumer = createLeadEventsConsumer({
      pool,
      store,
      clock: () => startOfTests,
      rescoreIntervalMs,
      metrics: noScoringMetrics,
    });

    await consumer.handleBatch(asConsumed((await store.readStream(streamId)).map(toCloudEvent)));

    const lead = await pool.query<{ activities: Array<{ type: string }> }>(
      'SELECT activities FROM scoring_leads WHERE lead_id = $1',
      [leadId],
    );
    expect(lead.rows[0]?.activities.map((entry) => entry.type)).toEqual(['demo_requested', 'pricing_page_view']);
  });
});
