// Reads a whole topic from the beginning up to the end offsets it had when asked, in a consumer group
// of its own, so the drill sees every copy the broker holds (including duplicates).
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/** A message as read back: where it sits, when it was produced (ms) and its headers as text. */
export type ReadMessage = {
  partition: number;
  offset: string;
  timestamp: number;
  key?: string;
  headers: Record<string, string>;
};

export async function readWholeTopic(options: {
  brokers: string[];
  topic: string;
  timeoutMs?: number;
}): Promise<ReadMessage[]> {
  const kafka = new Kafka({ brokers: options.brokers, clientId: 'l2o-fault-drill-reader', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(options.topic).finally(() => admin.disconnect());
  // Offsets still to read per partition: from the low watermark up to the high one seen now.
  const remaining = new Map(
    offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]),
  );
  if (remaining.size === 0) return [];

  const messages: ReadMessage[] = [];
  const consumer = kafka.consumer({ groupId: `drill-reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${options.topic} did not reach its end offsets within the time`)),
        options.timeoutMs ?? 120_000,
      );
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const high = remaining.get(batch.partition);
          for (const message of batch.messages) {
            if (high === undefined || Number(message.offset) >= high) continue;
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {})) {
              if (value !== undefined) headers[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
            }
            messages.push({
              partition: batch.partition,
              offset: message.offset,
              timestamp: Number(message.timestamp),
              key: message.key?.toString(),
              headers,
            });
          }
          const last = Number(batch.lastOffset());
          if (high !== undefined && last >= high - 1) remaining.delete(batch.partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
