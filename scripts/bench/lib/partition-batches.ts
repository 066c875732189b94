// How the consumer benchmarks deliver stored events: spread over partitions by aggregate id as the relay
// publishes them, each partition handed to a consumer kit's handlers batch by batch, as the bus does.
import type { BatchHandler, ConsumedEvent, EventHandler } from '@l2o/bus';
import type { CloudEvent } from '@l2o/contracts';

/** `events` as the bus fetches them from `topic`: keyed by their subject, each partition in the order given. */
export function partitioned(
  events: Iterable<CloudEvent>,
  options: { topic: string; partitions: number },
): ConsumedEvent[][] {
  const partitions: ConsumedEvent[][] = Array.from({ length: options.partitions }, () => []);
  for (const event of events) {
    const number = Number.parseInt(event.subject.slice(0, 8), 16) % options.partitions;
    const partition = partitions[number] as ConsumedEvent[];
    partition.push({
      event,
      topic: options.topic,
      partition: number,
      offset: String(partition.length),
      key: event.subject,
      attempt: 1,
    });
  }
  return partitions;
}

/**
 * Hands every partition to `handlers` in batches of `batchSize` (one message at a time through `handle`
 * when it is 1), `concurrency` partitions side by side as one bus member would; `onHandled` gets the
 * running count of messages. Returns the elapsed time and each batch's duration.
 */
export async function consumePartitions(options: {
  partitions: readonly ConsumedEvent[][];
  handlers: { handle: EventHandler; handleBatch: BatchHandler };
  batchSize: number;
  concurrency: number;
  onHandled: (handled: number) => void;
}): Promise<{ elapsedMs: number; batchLatencies: number[] }> {
  const { partitions, handlers, batchSize } = options;
  const batchLatencies: number[] = [];
  let handled = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let messages = partitions[next++]; messages !== undefined; messages = partitions[next++]) {
        for (let first = 0; first < messages.length; first += batchSize) {
          const batch = messages.slice(first, first + batchSize);
          const before = performance.now();
          await (batchSize === 1 ? handlers.handle(batch[0] as ConsumedEvent) : handlers.handleBatch(batch));
          batchLatencies.push(performance.now() - before);
          handled += batch.length;
          options.onHandled(handled);
        }
      }
    }),
  );
  return { elapsedMs: performance.now() - started, batchLatencies };
}
