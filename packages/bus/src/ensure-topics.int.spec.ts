import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueSuffix } from '@l2o/testing';
import { ensureTopics } from './ensure-topics.ts';
import { testKafka } from './kafka-test-support.ts';

const created: string[] = [];

async function partitionCount(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

afterAll(async () => {
  const admin = testKafka().admin();
  await admin.connect();
  await admin.deleteTopics({ topics: created }).finally(() => admin.disconnect());
});

describe('ensureTopics', () => {
  it('creates missing topics, accepts existing ones and grows partitions to the configured count', async () => {
    const a = `test.bus.ensure.${uniqueSuffix()}`;
    const b = `test.bus.ensure.${uniqueSuffix()}`;
    created.push(a, b);

    await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic: a, partitions: 2 }] });
    expect(await partitionCount(a)).toBe(2);

    await Promise.all([
      ensureTopics({
        brokers: kafkaBrokers(),
        topics: [
          { topic: a, partitions: 4 },
          { topic: b, partitions: 1 },
        ],
      }),
      ensureTopics({
        brokers: kafkaBrokers(),
        topics: [
          { topic: a, partitions: 4 },
          { topic: b, partitions: 1 },
        ],
      }),
    ]);
    expect(await partitionCount(a)).toBe(4);
    expect(await partitionCount(b)).toBe(1);

    await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic: a, partitions: 3 }] });
    expect(await partitionCount(a)).toBe(4);
  });
});
