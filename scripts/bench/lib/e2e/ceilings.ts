// What this machine's PostgreSQL and Kafka can do at most in the platform's own shapes, measured in
// the same run as the platform so both see the same load: the event store's multi-stream appends, and
// messages through our bus client (idempotent publisher with acks=all, consumer runner committing
// after handling). The platform's figures are read as shares of these.
import { randomUUID } from 'node:crypto';
import { createPublisher, ensureTopics, runConsumer, type PublishItem } from '@l2o/bus';
import type { CloudEvent } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore, type NewEvent } from '@l2o/event-store';

export type AppendCeiling = {
  events: number;
  writers: number;
  eventsPerTransaction: number;
  seconds: number;
  eventsPerSecond: number;
};

export type BusCeiling = {
  messages: number;
  partitions: number;
  publishCallSize: number;
  /** First send to the last acknowledgement. */
  produceSeconds: number;
  producedPerSecond: number;
  /** First send to the last message handled by the consumer running alongside. */
  throughSeconds: number;
  throughPerSecond: number;
};

/** A lead as ingestion captures it, about the size of a real LeadCaptured's data. */
function capturedData(leadId: string, sequence: number): Record<string, unknown> {
  return {
    leadId,
    captureId: `bench:${sequence}`,
    contact: {
      emailKey: `k1:${randomUUID().replaceAll('-', '')}`,
      encrypted: { keyId: randomUUID(), ciphertext: 'x'.repeat(160) },
      jobTitle: 'VP Sales',
    },
    company: {
      name: 'Stark Software',
      domain: 'stark-software.example',
      industry: 'software',
      size: 5000,
      country: 'US',
    },
    touchpoint: { channel: 'web_form', source: 'website', medium: 'organic', campaign: 'e2e-ceiling' },
    capturedAt: new Date().toISOString(),
  };
}

/**
 * `writers` concurrent writers each append transactions of `eventsPerTransaction` new lead streams of
 * one event (a batch capture's shape) until `events` are stored, on a schema of their own.
 */
export async function measureAppendCeiling(options: {
  databaseUrl: string;
  schema: string;
  events: number;
  writers: number;
  eventsPerTransaction: number;
  onProgress: (done: number) => void;
}): Promise<AppendCeiling> {
  await migrateEventStore({ databaseUrl: options.databaseUrl, schema: options.schema });
  const store = createPostgresEventStore({ connectionString: options.databaseUrl, schema: options.schema });
  const transactions = Math.ceil(options.events / options.eventsPerTransaction);
  let next = 0;
  let done = 0;
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.writers }, async () => {
        while (next < transactions) {
          const transaction = next++;
          const appends = Array.from({ length: options.eventsPerTransaction }, (_, index) => {
            const leadId = randomUUID();
            const event: NewEvent = {
              id: randomUUID(),
              type: 'LeadCaptured',
              data: capturedData(leadId, transaction * options.eventsPerTransaction + index),
              metadata: { tenantId: 'bench-ceiling', producer: 'e2e-bench' },
            };
            return { streamId: `lead-${leadId}`, events: [event], expectedVersion: 'no_stream' as const };
          });
          await store.appendToStreams(appends);
          done += appends.length;
          options.onProgress(done);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      events: done,
      writers: options.writers,
      eventsPerTransaction: options.eventsPerTransaction,
      seconds,
      eventsPerSecond: done / seconds,
    };
  } finally {
    await store.close();
  }
}

/**
 * Publishes `messages` lead events in calls of `publishCallSize` (as the relay publishes a feed page,
 * one call after the other) while a consumer group member handles them with a handler that only counts.
 */
export async function measureBusCeiling(options: {
  brokers: string[];
  topic: string;
  groupId: string;
  partitions: number;
  messages: number;
  publishCallSize: number;
  timeoutMs: number;
  onProgress: (produced: number, consumed: number) => void;
}): Promise<BusCeiling> {
  await ensureTopics({ brokers: options.brokers, topics: [{ topic: options.topic, partitions: options.partitions }] });
  let consumed = 0;
  let lastConsumedAt = 0;
  let allConsumed: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    allConsumed = resolve;
  });
  const consumer = await runConsumer({
    brokers: options.brokers,
    groupId: options.groupId,
    topics: [options.topic],
    handle: async () => {
      consumed += 1;
      if (consumed >= options.messages) {
        lastConsumedAt = performance.now();
        allConsumed();
      }
    },
  });
  const publisher = createPublisher({ brokers: options.brokers, clientId: `${options.groupId}-publisher` });
  try {
    await consumer.ready;
    await publisher.connect();
    let produced = 0;
    const progress = setInterval(() => options.onProgress(produced, consumed), 2_000);
    const started = performance.now();
    try {
      for (let sent = 0; sent < options.messages; sent += options.publishCallSize) {
        const items: PublishItem[] = Array.from(
          { length: Math.min(options.publishCallSize, options.messages - sent) },
          (_, index) => {
            const leadId = randomUUID();
            const event: CloudEvent = {
              specversion: '1.0',
              id: randomUUID(),
              type: 'l2o.lead.captured.v1',
              source: '/l2o/ingestion',
              subject: leadId,
              time: new Date().toISOString(),
              datacontenttype: 'application/json',
              tenantid: 'bench-ceiling',
              streamversion: 1,
              data: capturedData(leadId, sent + index),
            };
            return { key: leadId, event };
          },
        );
        await publisher.publish(options.topic, items);
        produced += items.length;
      }
      const producedAt = performance.now();
      const timedOut = new Promise<'timed out'>((resolve) =>
        setTimeout(() => resolve('timed out'), options.timeoutMs).unref(),
      );
      if ((await Promise.race([finished, timedOut])) === 'timed out') {
        throw new Error(
          `the bus ceiling's consumer handled ${consumed} of ${options.messages} messages within ${options.timeoutMs / 1000} s`,
        );
      }
      options.onProgress(produced, consumed);
      const produceSeconds = (producedAt - started) / 1000;
      const throughSeconds = (lastConsumedAt - started) / 1000;
      return {
        messages: options.messages,
        partitions: options.partitions,
        publishCallSize: options.publishCallSize,
        produceSeconds,
        producedPerSecond: options.messages / produceSeconds,
        throughSeconds,
        throughPerSecond: options.messages / throughSeconds,
      };
    } finally {
      clearInterval(progress);
    }
  } finally {
    await publisher.disconnect().catch(() => undefined);
    await consumer.stop().catch(() => undefined);
  }
}
