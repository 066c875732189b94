// Relay benchmark on the real PostgreSQL and Kafka: fills the event store, then times the relay
// publishing the whole feed to a fresh topic (broker acks included). Prints throughput, the
// latency of each page (read + publish + cursor save) and peak memory.
//   node scripts/bench/relay.ts [--events 50000] [--batch 500]
// Uses a throw-away schema in DATABASE_URL (default: the `test` database) and KAFKA_BROKERS.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createPublisher, ensureTopics } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import { createPostgresEventStore, loadCheckpoint, migrateEventStore, saveCheckpoint } from '@l2o/event-store';
import { freshSchema, kafkaBrokers, uniqueSuffix } from '@l2o/testing';
import { runRelay } from '../../services/relay/src/relay.ts';
import { toOutgoingMessage } from '../../services/relay/src/to-cloud-event.ts';
import { latencySummary, perSecond, progress, trackPeakMemory } from './lib/measure.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '50000' }, batch: { type: 'string', default: '500' } },
});
const totalEvents = Number(values.events);
const batchSize = Number(values.batch);
if (!Number.isInteger(totalEvents) || totalEvents < 1000 || !Number.isInteger(batchSize) || batchSize < 1) {
  console.error('usage: node scripts/bench/relay.ts [--events N ≥ 1000] [--batch N ≥ 1]');
  process.exit(2);
}

const database = await freshSchema('benchrelay');
const memory = trackPeakMemory();
const namespace = `bench${uniqueSuffix()}`;
try {
  await migrateEventStore({ databaseUrl: database.databaseUrl, schema: database.schema });
  const store = createPostgresEventStore({ connectionString: database.databaseUrl, schema: database.schema });
  await ensureTopics({
    brokers: kafkaBrokers(),
    topics: [{ topic: withNamespace(Topics.lead, namespace), partitions: 6 }],
  });

  const fill = progress('filling the event store', totalEvents);
  for (let written = 0; written < totalEvents; written += 1_000) {
    const appends = Array.from({ length: 100 }, () => {
      const streamId = `lead-${randomUUID()}`;
      const events = Array.from({ length: 10 }, () => ({
        id: randomUUID(),
        type: 'LeadCaptured',
        data: { leadId: streamId.slice(5), email: 'bench@example.com', touchpoint: { channel: 'api' } },
        metadata: { tenantId: 'bench', producer: 'bench' },
      }));
      return { streamId, events, expectedVersion: 'no_stream' as const };
    });
    await store.appendToStreams(appends);
    fill(Math.min(totalEvents, written + 1_000));
  }

  const publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'relay-bench' });
  await publisher.connect();
  const controller = new AbortController();
  const pageLatencies: number[] = [];
  const publishing = progress('relaying', totalEvents);
  let pageStarted = performance.now();
  const started = performance.now();
  let published = 0;
  await runRelay({
    subscribe: (subscription) => store.subscribeToFeed(subscription),
    loadCursor: () => loadCheckpoint(store.pool, 'relay'),
    saveCursor: (cursor) => saveCheckpoint(store.pool, 'relay', cursor),
    publish: (topic, messages) => publisher.publish(topic, messages),
    toMessage: (event) => toOutgoingMessage(event, { topicNamespace: namespace }),
    batchSize,
    signal: controller.signal,
    onProgress: (state) => {
      const now = performance.now();
      pageLatencies.push(now - pageStarted);
      pageStarted = now;
      published = state.published;
      publishing(published);
      // Not the head cursor: an open transaction elsewhere in the cluster can hold the feed's head back.
      if (state.published >= totalEvents) controller.abort();
    },
  });
  const elapsedMs = performance.now() - started;
  console.log(`relay benchmark: ${published.toLocaleString('en')} events in pages of ${batchSize}`);
  console.log(`  throughput: ${perSecond(published, elapsedMs)} events (store read → Kafka ack → cursor saved)`);
  console.log(`  per page: ${latencySummary(pageLatencies)}`);
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
  await publisher.disconnect();
  await store.close();
} finally {
  memory.stop();
  await database.drop();
}
