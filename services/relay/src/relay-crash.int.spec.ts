import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics, runConsumer, type ConsumerRunner } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import {
  createPostgresEventStore,
  migrateEventStore,
  saveCheckpoint,
  type PostgresEventStore,
  type StreamAppend,
} from '@l2o/event-store';
import {
  freePorts,
  freshSchema,
  kafkaBrokers,
  spawnService,
  uniqueSuffix,
  waitFor,
  withServiceOutput,
  type ServiceProcess,
} from '@l2o/testing';

const TOTAL = 10_000;
const STREAMS = 100;

type Seen = { id: string; key: string; version: number };

function leadEvents(streamId: string, count: number) {
  return Array.from({ length: count }, () => ({
    id: randomUUID(),
    type: 'LeadCaptured',
    data: { stream: streamId },
    metadata: { tenantId: 'relay-test', producer: 'relay-test' },
  }));
}

describe('relay', () => {
  let database: Awaited<ReturnType<typeof freshSchema>>;
  let store: PostgresEventStore;
  let consumer: ConsumerRunner | undefined;
  const relays: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await freshSchema('relay');
    await migrateEventStore({ databaseUrl: database.databaseUrl, schema: database.schema });
    store = createPostgresEventStore({ connectionString: database.databaseUrl, schema: database.schema });
  });

  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.crash()));
    await consumer?.stop();
    await store?.close();
    await database?.drop();
  });

  it('publishes every event after being killed with SIGKILL mid-stream and restarted; repeats keep their ce_id', async () => {
    const namespace = `relaycrash${uniqueSuffix()}`;
    const topic = withNamespace(Topics.lead, namespace);
    await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 3 }] });

    const seen: Seen[] = [];
    consumer = await runConsumer({
      brokers: kafkaBrokers(),
      groupId: `relay-crash-${uniqueSuffix()}`,
      topics: [topic],
      fromBeginning: true,
      handle: async ({ event, key }) => void seen.push({ id: event.id, key: key ?? '', version: event.streamversion }),
    });
    await consumer.ready;

    const streamIds = Array.from({ length: STREAMS }, () => `lead-${randomUUID()}`);
    const appended = new Map<string, string[]>(streamIds.map((id) => [id, []]));
    const appendRound = async () => {
      const appends: StreamAppend[] = streamIds.map((streamId) => ({
        streamId,
        events: leadEvents(streamId, 10),
        expectedVersion: 'any',
      }));
      await store.appendToStreams(appends);
      for (const append of appends) appended.get(append.streamId)!.push(...append.events.map((event) => event.id));
    };
    // Half the stream is waiting before the relay starts; the other half arrives while it runs and dies.
    for (let round = 0; round < TOTAL / STREAMS / 10 / 2; round++) await appendRound();

    const env = {
      DATABASE_URL: database.databaseUrl,
      DATABASE_SCHEMA: database.schema,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      TOPIC_NAMESPACE: namespace,
      RELAY_BATCH_SIZE: '100',
      RELAY_IDLE_POLL_MS: '20',
      LOG_LEVEL: 'warn',
    };
    const [firstPort = 0, secondPort = 0] = await freePorts(2);
    const first = spawnService({ name: 'relay', port: firstPort, env });
    relays.push(first);
    const writing = (async () => {
      for (let round = 0; round < TOTAL / STREAMS / 10 / 2; round++) await appendRound();
    })();

    await withServiceOutput([first], () =>
      waitFor('the first relay to publish 2,000 events', () => seen.length >= 2_000, { timeoutMs: 60_000 }),
    );
    await first.crash();
    const publishedBeforeKill = new Set(seen.map((message) => message.id)).size;
    expect(publishedBeforeKill).toBeLessThan(TOTAL);
    // The kill rarely lands between the broker's ack and the cursor save; rewinding the saved cursor
    // makes that window certain, so the restarted relay must repeat the events after it.
    const rewound = await store.readFeed('start', { maxCount: 1_000 });
    await saveCheckpoint(store.pool, 'relay', rewound.cursor);

    const second = spawnService({ name: 'relay', port: secondPort, env });
    relays.push(second);
    await writing;
    await withServiceOutput([second], () =>
      waitFor(`all ${TOTAL} events on the topic`, () => new Set(seen.map((message) => message.id)).size >= TOTAL, {
        timeoutMs: 120_000,
      }),
    );

    const allIds = [...appended.values()].flat();
    const seenIds = new Set(seen.map((message) => message.id));
    expect(allIds).toHaveLength(TOTAL);
    expect(allIds.filter((id) => !seenIds.has(id))).toEqual([]);
    expect(seenIds.size).toBe(TOTAL);

    // Per stream, the first delivery of each event follows stream version order.
    for (const streamId of streamIds) {
      const key = streamId.slice('lead-'.length);
      const firstDeliveries: number[] = [];
      const delivered = new Set<string>();
      for (const message of seen) {
        if (message.key !== key || delivered.has(message.id)) continue;
        delivered.add(message.id);
        firstDeliveries.push(message.version);
      }
      expect(firstDeliveries).toEqual(Array.from({ length: TOTAL / STREAMS }, (_, index) => index + 1));
    }
    // A repeat after the crash is the same event: same ce_id, same stream version.
    const versionById = new Map<string, number>();
    for (const message of seen) {
      expect(versionById.get(message.id) ?? message.version).toBe(message.version);
      versionById.set(message.id, message.version);
    }
    const repeats = seen.length - TOTAL;
    expect(repeats).toBeGreaterThanOrEqual(publishedBeforeKill - 1_000);
    console.log(
      `relay crash drill: ${publishedBeforeKill} published before SIGKILL, ${repeats} repeated after restart`,
    );
  });
});
