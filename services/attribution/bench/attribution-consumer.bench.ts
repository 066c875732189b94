// Attribution consumer benchmark on the real PostgreSQL, on the batch path the consumer takes: N leads of one
// tenant (capture, a touch, for some an activity and a qualification; a third of the qualified converted and
// won), their events spread over partitions by aggregate id as the relay publishes them, and each partition
// handed to the consumer kit's `handleBatch` in batches of --batch CloudEvents, --concurrency partitions side
// by side. The lead topic's partitions go first, then the opportunity topic's, whose wins are attributed by
// all nine models and appended after each batch's commit (readStreams + appendToStreams). Prints events/s per
// topic, wins attributed/s, p50/p99 per batch and peak memory. `--batch 1` is the one-by-one path.
//   node services/attribution/bench/attribution-consumer.bench.ts [--leads 5000] [--batch 500] [--partitions 6] [--concurrency 2]
//   scripts/benchmark attribution-consumer [--leads 5000]
// Uses DATABASE_URL (default: the `test` database) and drops its throw-away schema afterwards.
import { parseArgs } from 'node:util';
import type { CloudEvent } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { freshSchema } from '@l2o/testing';
import { latencySummary, perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import { consumePartitions, partitioned } from '../../../scripts/bench/lib/partition-batches.ts';
import { leadJourney } from '../src/attribution-events.fixture.ts';
import { createAttributionConsumer } from '../src/consumer/attribution-consumer.ts';
import { migrateAttribution } from '../src/migrate-attribution.ts';
import { createAttributionSettingsRepository } from '../src/settings/attribution-settings.repository.ts';

const { values } = parseArgs({
  options: {
    leads: { type: 'string', default: '5000' },
    batch: { type: 'string', default: '500' },
    partitions: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '2' },
  },
});
const totalLeads = Number(values.leads);
const batchSize = Number(values.batch);
const partitionCount = Number(values.partitions);
const concurrency = Number(values.concurrency);
const isCount = (value: number, min: number) => Number.isInteger(value) && value >= min;
if (!isCount(totalLeads, 10) || !isCount(batchSize, 1) || !isCount(partitionCount, 1) || !isCount(concurrency, 1)) {
  console.error(
    'usage: scripts/benchmark attribution-consumer [--leads N ≥ 10] [--batch N ≥ 1] [--partitions N ≥ 1] [--concurrency N ≥ 1]',
  );
  process.exit(2);
}

const tenantId = 'bench';
const channels = ['web_form', 'ad', 'event', 'partner', 'api'] as const;
const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString();

/** Lead i's events and, when it converts, its deal's; the shape derives from i alone. */
function eventsOf(index: number): { lead: CloudEvent[]; opportunity: CloudEvent[] } {
  const journey = leadJourney({ tenantId });
  const mix = (index * 2654435761) >>> 0;
  const channel = (n: number) => channels[(mix >>> n) % channels.length] ?? 'other';
  const lead = [
    journey.captured({ channel: channel(3), campaign: `c${mix % 7}`, occurredAt: day(mix % 30) }),
    journey.touched({ channel: channel(7), campaign: `c${(mix >>> 5) % 7}`, occurredAt: day(30 + (mix % 20)) }),
  ];
  if (mix % 2 === 0) lead.push(journey.acted({ channel: channel(11), occurredAt: day(50 + (mix % 5)) }));
  if (mix % 5 < 3) lead.push(journey.qualified(day(56)));
  if (mix % 5 !== 0) return { lead, opportunity: [] };
  lead.push(journey.converted(day(60)));
  return {
    lead,
    opportunity: [journey.opened(day(60)), journey.won(day(90 + (mix % 30)), 1_000 + (mix % 50_000))],
  };
}

const database = await freshSchema('benchattribution');
const memory = trackPeakMemory();
const { databaseUrl, schema } = database;
try {
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateAttribution] });
  const pool = createPool({ connectionString: databaseUrl, schema, max: concurrency * 2 + 2 });
  const store = createPostgresEventStore({ pool, schema });
  const consumer = createAttributionConsumer({
    pool,
    store,
    clock: () => new Date('2025-06-30T12:00:00.000Z'),
    settings: createAttributionSettingsRepository({ pool }),
  });
  const generated = Array.from({ length: totalLeads }, (_, index) => eventsOf(index));
  const leadEvents = generated.flatMap((events) => events.lead);
  const opportunityEvents = generated.flatMap((events) => events.opportunity);
  const wins = opportunityEvents.length / 2;
  console.log(
    `attribution consumer benchmark: ${totalLeads.toLocaleString('en')} leads (${leadEvents.length.toLocaleString('en')} ` +
      `lead events), ${wins.toLocaleString('en')} won deals, batches of ${batchSize}, ${partitionCount} partitions per ` +
      `topic, ${concurrency} consumed side by side`,
  );

  const batchLatencies: number[] = [];
  async function consume(topic: string, events: readonly CloudEvent[]): Promise<number> {
    const consumed = await consumePartitions({
      partitions: partitioned(events, { topic, partitions: partitionCount }),
      handlers: consumer,
      batchSize,
      concurrency,
      onHandled: progress(topic, events.length),
    });
    batchLatencies.push(...consumed.batchLatencies);
    return consumed.elapsedMs;
  }

  const leadMs = await consume('l2o.lead.v1', leadEvents);
  const opportunityMs = await consume('l2o.opportunity.v1', opportunityEvents);
  const appended = await pool.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM events WHERE type = 'AttributionCalculated'",
  );
  const attributions = appended.rows[0]?.count ?? 0;
  console.log(`  l2o.lead.v1: ${perSecond(leadEvents.length, leadMs)} events (${(leadMs / 1000).toFixed(1)} s)`);
  console.log(
    `  l2o.opportunity.v1: ${perSecond(opportunityEvents.length, opportunityMs)} events, ${perSecond(wins, opportunityMs)} ` +
      `wins attributed (${(opportunityMs / 1000).toFixed(1)} s)`,
  );
  console.log(`  overall: ${perSecond(leadEvents.length + opportunityEvents.length, leadMs + opportunityMs)} events`);
  console.log(`  per ${batchSize === 1 ? 'message' : 'batch'}: ${latencySummary(batchLatencies)}`);
  console.log(`  AttributionCalculated appended: ${attributions.toLocaleString('en')} (${wins} wins × 9 models)`);
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
  if (attributions !== wins * 9) throw new Error(`appended ${attributions} attributions, expected ${wins * 9}`);
  await pool.end();
} finally {
  memory.stop();
  await database.drop();
}
