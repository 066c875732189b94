import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics, streamIdFor, toCloudEvent } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import { createPostgresEventStore, handleCommand, migrateEventStore } from '@l2o/event-store';
import type { PostgresEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import { freshSchema, runSqlMigrationsThrough } from '@l2o/testing';
import { captureLeadCommand, qualifyLeadCommand } from './lead-commands.fixture.ts';
import { createLeadEventConsumer, leadEventConsumer } from './lead-events/lead-event-consumer.ts';
import { migrateRouting } from './migrate-routing.ts';
import type { Reservation } from './routing-leads/routing-lead.ts';

describe('migrating routing onto the consumer kit', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const now = new Date('2025-03-10T10:00:00.000Z');
  const [settled, pending, unseen] = [randomUUID(), randomUUID(), randomUUID()];
  const reservation = (triggerVersion: number): Reservation => ({
    triggerVersion,
    decidedAt: '2025-03-10T09:00:00.000Z',
    ownerId: 'ana',
    poolId: 'uk',
    ruleId: 'uk',
    strategy: 'round_robin',
    reason: 'qualified',
    responseDueAt: '2025-03-10T09:30:00.000Z',
  });

  const leadConsumer = () =>
    createLeadEventConsumer({
      pool,
      store,
      clock: () => now,
      logger: createLogger({ name: 'routing', level: 'silent' }),
      waitingRetryMs: 60_000,
    });

  beforeAll(async () => {
    db = await freshSchema('routing_upgrade');
    const { databaseUrl, schema } = db;
    // The schema as the release before the kit left it: routing's first migration only.
    await migrateEventStore({ databaseUrl, schema });
    await runSqlMigrationsThrough({
      databaseUrl,
      schema,
      dir: new URL('../migrations', import.meta.url),
      table: 'routing_migrations',
      through: '001_routing.sql',
    });
    pool = createPool({ connectionString: databaseUrl, schema, max: 4 });
    store = createPostgresEventStore({ pool, schema });
    await qualify(pending);
    // `settled` got its LeadAssigned (version 4) after the reservation for its trigger at 3; `pending` did not.
    await pool.query(
      `INSERT INTO routing_leads (lead_id, tenant_id, owner_id, open, reservation, last_version)
       VALUES ($1, 'acme', 'ana', true, $2, 4), ($3, 'acme', 'ana', true, $4, 3), ($5, 'acme', NULL, false, NULL, 0)`,
      [settled, reservation(3), pending, reservation(3), unseen],
    );

    await migrateRouting({ databaseUrl, schema });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('moves each lead’s applied stream version into the kit’s positions and drops the column', async () => {
    const positions = await pool.query(
      'SELECT consumer, stream_id, tenant_id, version::int AS version FROM consumer_positions ORDER BY version',
    );
    const column = await pool.query(
      `SELECT 1 FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'routing_leads' AND column_name = 'last_version'`,
      [db.schema],
    );

    expect(positions.rows).toEqual([
      { consumer: leadEventConsumer, stream_id: `lead-${pending}`, tenant_id: 'acme', version: 3 },
      { consumer: leadEventConsumer, stream_id: `lead-${settled}`, tenant_id: 'acme', version: 4 },
    ]);
    expect(column.rowCount).toBe(0);
  });

  it('keeps only the reservation still waiting for its LeadAssigned, sets its timer and sends it from the outbox', async () => {
    const consumer = leadConsumer();
    const reservations = await pool.query<{ lead_id: string; reservation: Reservation | null }>(
      'SELECT lead_id::text AS lead_id, reservation FROM routing_leads WHERE lead_id = ANY($1)',
      [[settled, pending]],
    );

    const sent = await consumer.sweepOutbox({ minAgeMs: 0 });

    expect(Object.fromEntries(reservations.rows.map((row) => [row.lead_id, row.reservation]))).toEqual({
      [settled]: null,
      [pending]: reservation(3),
    });
    expect(sent).toBe(1);
    const timers = await pool.query('SELECT lead_id::text AS lead_id, owner_id, due_at FROM routing_timers');
    expect(timers.rows).toEqual([{ lead_id: pending, owner_id: 'ana', due_at: new Date('2025-03-10T09:30:00.000Z') }]);
    const assigned = (await store.readStream(streamIdFor('lead', pending))).filter((e) => e.type === 'LeadAssigned');
    expect(assigned.map((event) => event.data)).toEqual([
      expect.objectContaining({ ownerId: 'ana', poolId: 'uk', ruleId: 'uk', assignedAt: '2025-03-10T09:00:00.000Z' }),
    ]);
  });

  it('takes an event routing applied before the upgrade as a redelivery', async () => {
    const consumer = leadConsumer();
    const [, , qualified] = await store.readStream(streamIdFor('lead', pending));
    if (qualified === undefined) throw new Error('the lead qualified at version 3');
    const before = await pool.query('SELECT * FROM routing_leads WHERE lead_id = $1', [pending]);

    await consumer.handle({
      event: toCloudEvent(qualified),
      topic: Topics.lead,
      partition: 0,
      offset: '2',
      key: pending,
      attempt: 1,
    });

    const after = await pool.query('SELECT * FROM routing_leads WHERE lead_id = $1', [pending]);
    expect(after.rows).toEqual(before.rows);
  });

  async function qualify(leadId: string): Promise<void> {
    for (const command of [
      captureLeadCommand({ leadId, tenantId: 'acme', now }),
      qualifyLeadCommand({ leadId, tenantId: 'acme', now }),
    ]) {
      await handleCommand({
        store,
        streamId: streamIdFor('lead', leadId),
        decider: leadDecider,
        command,
        metadata: { tenantId: 'acme', producer: 'routing-test' },
      });
    }
  }
});
