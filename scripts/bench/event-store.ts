// Event store benchmark on the real PostgreSQL: single appends from concurrent writers, batched
// multi-stream appends, and reading the ordered feed. Prints throughput, latency and peak memory.
//   node scripts/bench/event-store.ts [--events 20000] [--writers 8]
// Uses a throw-away schema in DATABASE_URL (default: the `test` database) and drops it afterwards.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createPostgresEventStore, migrateEventStore, START, type NewEvent } from '@l2o/event-store';
import { freshSchema } from '@l2o/testing';
import { latencySummary, perSecond, progress, trackPeakMemory } from './lib/measure.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '20000' }, writers: { type: 'string', default: '8' } },
});
const totalEvents = Number(values.events);
const writers = Number(values.writers);
if (!Number.isInteger(totalEvents) || totalEvents < writers || !Number.isInteger(writers) || writers < 1) {
  console.error('usage: node scripts/bench/event-store.ts [--events N ≥ writers] [--writers N ≥ 1]');
  process.exit(2);
}

function leadEvent(streamId: string): NewEvent {
  return {
    id: randomUUID(),
    type: 'LeadCaptured',
    data: { streamId, email: 'bench@example.com', company: { name: 'Bench Ltd' }, touchpoint: { channel: 'api' } },
    metadata: { tenantId: 'bench', producer: 'bench' },
  };
}

const database = await freshSchema('bench');
const memory = trackPeakMemory();
try {
  await migrateEventStore({ databaseUrl: database.databaseUrl, schema: database.schema });
  const store = createPostgresEventStore({ connectionString: database.databaseUrl, schema: database.schema });
  console.log(`event store benchmark: ${totalEvents.toLocaleString('en')} events, ${writers} concurrent writers`);

  // 1. One event per append, each writer on its own streams of 10 events (expected version exact).
  const latencies: number[] = [];
  const show = progress('single appends', totalEvents);
  let done = 0;
  const perWriter = Math.floor(totalEvents / writers);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      let streamId = '';
      for (let index = 0; index < perWriter; index++) {
        if (index % 10 === 0) streamId = `lead-${randomUUID()}`;
        const expectedVersion = index % 10 === 0 ? 'no_stream' : index % 10;
        const before = performance.now();
        await store.appendToStream(streamId, [leadEvent(streamId)], { expectedVersion });
        latencies.push(performance.now() - before);
        show(++done);
      }
    }),
  );
  const singleMs = performance.now() - started;
  console.log(`  single appends: ${perSecond(done, singleMs)} events, latency ${latencySummary(latencies)}`);

  // 2. Bulk ingestion shape: 100 new streams of 5 events in one transaction.
  const batchLatencies: number[] = [];
  const batches = Math.max(1, Math.floor(totalEvents / 500));
  const showBatches = progress('multi-stream appends', batches);
  const batchStarted = performance.now();
  for (let batch = 0; batch < batches; batch++) {
    const appends = Array.from({ length: 100 }, () => {
      const streamId = `lead-${randomUUID()}`;
      return {
        streamId,
        events: Array.from({ length: 5 }, () => leadEvent(streamId)),
        expectedVersion: 'no_stream' as const,
      };
    });
    const before = performance.now();
    await store.appendToStreams(appends);
    batchLatencies.push(performance.now() - before);
    showBatches(batch + 1);
  }
  const batchMs = performance.now() - batchStarted;
  console.log(
    `  multi-stream appends (100 streams × 5 events per transaction): ${perSecond(batches * 500, batchMs)} events, ` +
      `latency per transaction ${latencySummary(batchLatencies)}`,
  );

  // 3. Reading the whole feed in pages of 1,000, as the relay does.
  const feedTotal = done + batches * 500;
  const showFeed = progress('feed read', feedTotal);
  let cursor = START;
  let read = 0;
  const feedStarted = performance.now();
  for (;;) {
    const page = await store.readFeed(cursor, { maxCount: 1_000 });
    if (page.events.length === 0) break;
    read += page.events.length;
    cursor = page.cursor;
    showFeed(read);
  }
  const feedMs = performance.now() - feedStarted;
  console.log(`  feed read: ${read.toLocaleString('en')} events at ${perSecond(read, feedMs)}`);
  if (read !== feedTotal) throw new Error(`the feed returned ${read} events, expected ${feedTotal}`);
  await store.close();
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
} finally {
  memory.stop();
  await database.drop();
}
