// Pipeline opportunity view benchmark on the real PostgreSQL, on the batch path its consumer takes: N
// opportunities of one tenant (opened, moved two stages on, the amount changed, then half won and a quarter
// lost), their events spread over partitions by opportunity id as the relay publishes them, and each partition
// handed to the consumer kit's `handleBatch` in batches of --batch CloudEvents, --concurrency partitions side by
// side. Each batch keeps the rows and the stage timers (set on every stage entry, cancelled on the next one).
// Prints events/s, p50/p99 per batch and peak memory. `--batch 1` is the one-by-one path.
//   node services/pipeline/bench/opportunity-view.bench.ts [--opportunities 5000] [--batch 500] [--partitions 6] [--concurrency 2]
//   scripts/benchmark pipeline-view [--opportunities 5000]
// Uses DATABASE_URL (default: the `test` database) and drops its throw-away schema afterwards.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  cloudEventTypeOf,
  opportunityAmountChangedV1Example,
  opportunityLostV1Example,
  opportunityOpenedV1Example,
  opportunityStageChangedV1Example,
  opportunityWonV1Example,
  parseEventData,
} from '@l2o/contracts';
import type { CloudEvent, EventName, OpportunityStage } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { freshSchema } from '@l2o/testing';
import { latencySummary, perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import { consumePartitions, partitioned } from '../../../scripts/bench/lib/partition-batches.ts';
import { migratePipeline } from '../src/migrate-pipeline.ts';
import { createOpportunityViewConsumer } from '../src/opportunity-view/opportunity-consumer.ts';
import { createPipelineSettingsRepository } from '../src/settings/pipeline-settings.repository.ts';

const { values } = parseArgs({
  options: {
    opportunities: { type: 'string', default: '5000' },
    batch: { type: 'string', default: '500' },
    partitions: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '2' },
  },
});
const total = Number(values.opportunities);
const batchSize = Number(values.batch);
const partitionCount = Number(values.partitions);
const concurrency = Number(values.concurrency);
const isCount = (value: number, min: number) => Number.isInteger(value) && value >= min;
if (!isCount(total, 10) || !isCount(batchSize, 1) || !isCount(partitionCount, 1) || !isCount(concurrency, 1)) {
  console.error(
    'usage: scripts/benchmark pipeline-view [--opportunities N ≥ 10] [--batch N ≥ 1] [--partitions N ≥ 1] [--concurrency N ≥ 1]',
  );
  process.exit(2);
}

const tenantId = 'bench';
const day = (n: number) => new Date(Date.UTC(2025, 3, 1) + n * 86_400_000).toISOString();
const stages: OpportunityStage[] = [
  opportunityOpenedV1Example.stage,
  opportunityStageChangedV1Example.fromStage,
  opportunityStageChangedV1Example.toStage,
];

/** Opportunity i's stream; its shape derives from i alone. */
function streamOf(index: number): CloudEvent[] {
  const opportunityId = randomUUID();
  let version = 0;
  const event = (name: EventName, data: Record<string, unknown>): CloudEvent => ({
    specversion: '1.0',
    id: randomUUID(),
    type: cloudEventTypeOf(name, 1),
    source: '/l2o/pipeline',
    subject: opportunityId,
    time: day(0),
    datacontenttype: 'application/json',
    tenantid: tenantId,
    streamversion: ++version,
    data: parseEventData(name, 1, { ...data, opportunityId, tenantId }),
  });
  const move = (from: number, at: number) =>
    event('OpportunityStageChanged', {
      ...opportunityStageChangedV1Example,
      changedAt: day(at),
      fromStage: stages[from],
      toStage: stages[from + 1],
    });
  const stream = [
    event('OpportunityOpened', { ...opportunityOpenedV1Example, leadId: randomUUID(), openedAt: day(0) }),
    move(0, 3),
    event('OpportunityAmountChanged', { ...opportunityAmountChangedV1Example, changedAt: day(4) }),
    move(1, 9),
  ];
  if (index % 2 === 0) stream.push(event('OpportunityWon', { ...opportunityWonV1Example, wonAt: day(20) }));
  else if (index % 4 === 1) stream.push(event('OpportunityLost', { ...opportunityLostV1Example, lostAt: day(20) }));
  return stream;
}

const database = await freshSchema('benchpipeline');
const memory = trackPeakMemory();
const { databaseUrl, schema } = database;
try {
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migratePipeline] });
  const pool = createPool({ connectionString: databaseUrl, schema, max: concurrency * 2 + 2 });
  const store = createPostgresEventStore({ pool, schema });
  const view = createOpportunityViewConsumer({ pool, store, settings: createPipelineSettingsRepository({ pool }) });
  const events = Array.from({ length: total }, (_, index) => streamOf(index)).flat();
  const eventCount = events.length;
  console.log(
    `pipeline opportunity view benchmark: ${total.toLocaleString('en')} opportunities, ` +
      `${eventCount.toLocaleString('en')} events, batches of ${batchSize}, ${partitionCount} partitions, ` +
      `${concurrency} consumed side by side`,
  );

  const { elapsedMs, batchLatencies: latencies } = await consumePartitions({
    partitions: partitioned(events, { topic: 'l2o.opportunity.v1', partitions: partitionCount }),
    handlers: view,
    batchSize,
    concurrency,
    onHandled: progress('l2o.opportunity.v1', eventCount),
  });

  const kept = await pool.query<{ rows: number; pending: number }>(
    `SELECT (SELECT count(*)::int FROM pipeline_opportunities) AS rows,
            (SELECT count(*)::int FROM pipeline_stage_timers WHERE cancelled_at IS NULL) AS pending`,
  );
  const { rows = 0, pending = 0 } = kept.rows[0] ?? {};
  console.log(
    `  ${perSecond(eventCount, elapsedMs)} events, ${perSecond(total, elapsedMs)} opportunities (${(elapsedMs / 1000).toFixed(1)} s)`,
  );
  console.log(`  per ${batchSize === 1 ? 'message' : 'batch'}: ${latencySummary(latencies)}`);
  console.log(
    `  rows ${rows.toLocaleString('en')}, pending stage timers ${pending.toLocaleString('en')} (the open ones)`,
  );
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
  const open = total - Math.ceil(total / 2) - Math.floor((total + 2) / 4);
  if (rows !== total || pending !== open) throw new Error(`expected ${total} rows and ${open} pending timers`);
  await pool.end();
} finally {
  memory.stop();
  await database.drop();
}
