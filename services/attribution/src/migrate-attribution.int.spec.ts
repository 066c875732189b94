import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { freshSchema, runSqlMigrationsThrough } from '@l2o/testing';
import { leadJourney } from './attribution-events.fixture.ts';
import { attributionConsumer, createAttributionConsumer } from './consumer/attribution-consumer.ts';
import { migrateAttribution } from './migrate-attribution.ts';
import { createAttributionSettingsRepository } from './settings/attribution-settings.repository.ts';

describe('migrating attribution onto the consumer kit', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  const leadId = randomUUID();
  const mergedLeadId = randomUUID();
  const opportunityId = randomUUID();

  beforeAll(async () => {
    db = await freshSchema('attribution_upgrade');
    const { databaseUrl, schema } = db;
    // The schema as the release before the kit left it: attribution's first migration only.
    await migrateEventStore({ databaseUrl, schema });
    await runSqlMigrationsThrough({
      databaseUrl,
      schema,
      dir: new URL('../migrations', import.meta.url),
      table: 'attribution_migrations',
      through: '001_attribution.sql',
    });
    pool = createPool({ connectionString: databaseUrl, schema, max: 4 });
    await pool.query(
      `INSERT INTO attribution_leads (lead_id, tenant_id, merged_into, last_version)
       VALUES ($1, 'acme', NULL, 4), ($2, 'acme', $1, 0)`,
      [leadId, mergedLeadId],
    );
    await pool.query(
      `INSERT INTO attribution_journeys (opportunity_id, tenant_id, lead_id, last_version) VALUES ($1, 'acme', $2, 2)`,
      [opportunityId, leadId],
    );

    await migrateAttribution({ databaseUrl, schema });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('moves each applied stream version into the kit’s positions and drops the columns', async () => {
    const positions = await pool.query(
      'SELECT consumer, stream_id, tenant_id, version::int AS version FROM consumer_positions ORDER BY stream_id',
    );
    const columns = await pool.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'last_version'`,
      [db.schema],
    );

    expect(positions.rows).toEqual([
      { consumer: attributionConsumer, stream_id: `lead-${leadId}`, tenant_id: 'acme', version: 4 },
      { consumer: attributionConsumer, stream_id: `opportunity-${opportunityId}`, tenant_id: 'acme', version: 2 },
    ]);
    expect(columns.rows).toEqual([]);
  });

  it('takes an event attribution applied before the upgrade as a redelivery', async () => {
    const consumer = createAttributionConsumer({
      pool,
      store: createPostgresEventStore({ pool, schema: db.schema }),
      clock: () => new Date('2025-06-30T12:00:00.000Z'),
      settings: createAttributionSettingsRepository({ pool }),
    });
    const captured = leadJourney({ tenantId: 'acme', leadId }).captured({
      channel: 'web_form',
      occurredAt: '2025-03-01T10:00:00.000Z',
    });

    await consumer.handle({
      event: captured,
      topic: 'l2o.lead.v1',
      partition: 0,
      offset: '0',
      key: leadId,
      attempt: 1,
    });

    expect((await pool.query('SELECT 1 FROM attribution_touchpoints')).rowCount).toBe(0);
  });
});
