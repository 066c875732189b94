import type { ConsumerMetrics } from './bus-metrics.ts';
import type { BusLogger } from './logger.ts';

/** The partitions' latest offsets by topic, one entry per partition (what `Consumer.listOffsets` answers). */
type LatestOffsets = Map<string, bigint[]>;

/**
 * Keeps `l2o_consumer_lag` up to date: the member's position per partition, against the partitions'
 * latest offsets, which are asked of the broker at most once per `refreshMs` (a fetched message does not
 * carry its partition's high watermark). Both a new position and a new answer update the gauge, so a
 * partition held by a slow handler still shows what is queued behind it.
 */
export function createPartitionLag(options: {
  metrics: ConsumerMetrics;
  listLatest: () => Promise<LatestOffsets>;
  logger: BusLogger;
  refreshMs?: number;
}) {
  const refreshMs = options.refreshMs ?? 1_000;
  const positions = new Map<string, { topic: string; partition: number; next: bigint }>();
  const latest = new Map<string, bigint>();
  let refreshedAt = 0;
  let refreshing = false;

  const report = (topic: string, partition: number, next: bigint): void => {
    const end = latest.get(`${topic}:${partition}`) ?? next;
    options.metrics.positioned({
      topic,
      partition,
      nextOffset: Number(next),
      highWatermark: String(end > next ? end : next),
    });
  };

  const refresh = (): void => {
    if (refreshing || Date.now() - refreshedAt < refreshMs) return;
    refreshing = true;
    options
      .listLatest()
      .then((offsets) => {
        for (const [topic, partitions] of offsets) {
          partitions.forEach((offset, partition) => latest.set(`${topic}:${partition}`, offset));
        }
        for (const { topic, partition, next } of positions.values()) report(topic, partition, next);
      })
      // The gauge just stays as it was; the next batch asks again.
      .catch((error: unknown) => options.logger.debug({ err: error }, 'could not read the latest offsets for the lag'))
      .finally(() => {
        refreshing = false;
        refreshedAt = Date.now();
      });
  };

  return {
    /** The member will next process `next` on the partition; asks for fresh latest offsets when due. */
    positioned(topic: string, partition: number, next: bigint): void {
      positions.set(`${topic}:${partition}`, { topic, partition, next });
      report(topic, partition, next);
      refresh();
    },
    /** Forgets positions of partitions the member no longer owns (their gauges are dropped by the metrics). */
    assigned(assignment: Readonly<Record<string, readonly number[]>>): void {
      for (const [key, { topic, partition }] of positions) {
        if (!(assignment[topic] ?? []).includes(partition)) positions.delete(key);
      }
      options.metrics.assigned(assignment);
    },
  };
}
