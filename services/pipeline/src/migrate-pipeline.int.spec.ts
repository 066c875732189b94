import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudEventTypeOf, opportunityAmountChangedV1Example } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { freshSchema, runSqlMigrationsThrough } from '@l2o/testing';
import { migratePipeline } from './migrate-pipeline.ts';
import { createOpportunityViewConsumer, opportunityViewConsumer } from './opportunity-view/opportunity-consumer.ts';
import { createPipelineSettingsRepository } from './settings/pipeline-settings.repository.ts';

describe('migrating pipeline onto the consumer kit', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  const opportunityId = randomUUID();

  beforeAll(async () => {
    db = await freshSchema('pipeline_upgrade');
    const { databaseUrl, schema } = db;
    // The schema as the release before the kit left it: pipeline's first migration only.
    await migrateEventStore({ databaseUrl, schema });
    await runSqlMigrationsThrough({
      databaseUrl,
      schema,
      dir: new URL('../migrations', import.meta.url),
      table: 'pipeline_migrations',
      through: '001_pipeline.sql',
    });
    pool = createPool({ connectionString: databaseUrl, schema, max: 4 });
    await pool.query(
      `INSERT INTO pipeline_opportunities (opportunity_id, tenant_id, lead_id, owner_id, pipeline_id, stage_id,
         stage_name, stage_position, probability, forecast_category, amount, currency, close_date, status,
         entered_stage_at, last_version)
       VALUES ($1, 'acme', $2, 'rep-ines', 'new-business', 'discovery', 'Discovery', 1, 25, 'pipeline', 48000, 'EUR',
         '2025-06-30', 'open', '2025-04-07T14:00:00Z', 4)`,
      [opportunityId, randomUUID()],
    );

    await migratePipeline({ databaseUrl, schema });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('moves each opportunity’s applied stream version into the kit’s positions and drops the column', async () => {
    const positions = await pool.query(
      'SELECT consumer, stream_id, tenant_id, version::int AS version FROM consumer_positions',
    );
    const column = await pool.query(
      `SELECT 1 FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'pipeline_opportunities' AND column_name = 'last_version'`,
      [db.schema],
    );

    expect(positions.rows).toEqual([
      { consumer: opportunityViewConsumer, stream_id: `opportunity-${opportunityId}`, tenant_id: 'acme', version: 4 },
    ]);
    expect(column.rowCount).toBe(0);
  });

  it('takes an event the view applied before the upgrade as a redelivery', async () => {
    const view = createOpportunityViewConsumer({
      pool,
      store: createPostgresEventStore({ pool, schema: db.schema }),
      settings: createPipelineSettingsRepository({ pool }),
    });
    const data = { ...opportunityAmountChangedV1Example, opportunityId, tenantId: 'acme', amount: 1 };

    await view.handle({
      event: {
        specversion: '1.0',
        id: randomUUID(),
        type: cloudEventTypeOf('OpportunityAmountChanged', 1),
        source: '/l2o/pipeline',
        subject: opportunityId,
        time: '2025-04-25T09:12:00.000Z',
        datacontenttype: 'application/json',
        tenantid: 'acme',
        streamversion: 4,
        data,
      },
      topic: 'l2o.opportunity.v1',
      partition: 0,
      offset: '0',
      key: opportunityId,
      attempt: 1,
    });

    const row = await pool.query(
      'SELECT amount::text AS amount FROM pipeline_opportunities WHERE opportunity_id = $1',
      [opportunityId],
    );
    expect(row.rows).toEqual([{ amount: '48000' }]);
  });
});
