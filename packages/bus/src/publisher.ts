import { compatibilityPartitioner, ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
import type { CloudEvent } from '@l2o/contracts';
import type { Registry } from 'prom-client';
import { createPublisherMetrics } from './bus-metrics.ts';
import { clientOptions } from './client-options.ts';
import { toKafkaMessage } from './cloud-event.codec.ts';
import type { OutgoingKafkaMessage } from './cloud-event.codec.ts';
import { silentLogger } from './logger.ts';
import type { BusLogger } from './logger.ts';
import { withActiveTraceContext } from './trace-context.ts';

/** One event to publish, keyed by its aggregate id so all of an aggregate's events land on one partition. */
export type PublishItem = { key: string; event: CloudEvent };

/** Publishes CloudEvents to Kafka. */
export type Publisher = {
  connect(): Promise<void>;
  /**
   * Publishes the events in list order (per key) and resolves only once the broker acknowledged all of
   * them (acks = all). Calls for one topic are sent one after the other, in call order, so a retried
   * send never lets a later call overtake it. Rejects if the broker refuses a message.
   */
  publish(topic: string, events: readonly PublishItem[]): Promise<void>;
  disconnect(): Promise<void>;
};

// One produce request per chunk: the broker rejects a partition's batch above message.max.bytes (1 MiB by default).
const maxChunkBytes = 512 * 1024;
const maxChunkMessages = 1_000;

export type PublisherOptions = {
  brokers: string[];
  clientId: string;
  logger?: BusLogger;
  /** The process's Prometheus registry: the publisher then counts acknowledged messages in `l2o_published_messages_total{topic}`. */
  metrics?: Registry;
};

/**
 * Creates an idempotent publisher: the broker discards duplicates of a retried send, so a retry neither
 * doubles nor reorders messages. A key goes to the partition the Java client would choose for it.
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const logger = options.logger ?? silentLogger;
  const metrics = createPublisherMetrics({ registry: options.metrics });
  const producer = new Producer({
    ...clientOptions({ brokers: options.brokers, clientId: options.clientId }),
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    // The library's default partitioner differs from the Java client's for keys whose murmur2 hash is
    // negative (half of them); this one matches it, so other clients put a key on the same partition.
    partitioner: compatibilityPartitioner,
    serializers: stringSerializers,
  });
  const tails = new Map<string, Promise<unknown>>();

  async function send(topic: string, events: readonly PublishItem[]): Promise<void> {
    const messages = events.map(({ key, event }) => toKafkaMessage(withActiveTraceContext(event), key));
    // One send at a time: the next chunk goes only once the broker acknowledged this one, so order holds across chunks.
    for (const chunk of chunks(messages)) {
      await producer.send({ messages: chunk.map((message) => ({ ...message, topic })) });
      metrics.published({ topic, count: chunk.length });
    }
    logger.debug({ topic, count: messages.length }, 'published');
  }

  return {
    // Fetches the producer id the broker deduplicates by, so an unreachable broker fails here rather than on the first publish.
    connect: async () => void (await producer.initIdempotentProducer({})),
    disconnect: () => producer.close(),
    publish(topic, events) {
      if (events.length === 0) return Promise.resolve();
      const previous = tails.get(topic) ?? Promise.resolve();
      const result = previous.catch(() => undefined).then(() => send(topic, events));
      tails.set(topic, result);
      void result
        .finally(() => {
          if (tails.get(topic) === result) tails.delete(topic);
        })
        .catch(() => undefined);
      return result;
    },
  };
}

function* chunks(messages: readonly OutgoingKafkaMessage[]): Generator<OutgoingKafkaMessage[]> {
  let chunk: OutgoingKafkaMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size =
      Buffer.byteLength(message.value) +
      Buffer.byteLength(message.key) +
      Buffer.byteLength(JSON.stringify(message.headers));
    if (chunk.length > 0 && (bytes + size > maxChunkBytes || chunk.length >= maxChunkMessages)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
