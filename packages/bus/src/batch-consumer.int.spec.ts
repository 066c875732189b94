import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dlqTopic } from '@l2o/contracts';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import type { ConsumedEvent } from './consumer-runner.ts';
import { PermanentError } from './errors.ts';
import {
  committedOffsets,
  consumerStarter,
  header,
  keyedEvents,
  makeEvent,
  messageCount,
  publishWithoutId,
  readRaw,
  topicFactory,
} from './kafka-test-support.ts';
import { createPublisher } from './publisher.ts';

const topics = topicFactory('batch');
const publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'bus-batch-test' });
const { start, stopAll } = consumerStarter();

// The one-by-one handler where no batch fails: a message reaching it fails, is dead-lettered and never seen.
const noOneByOne = async (): Promise<void> => {
  throw new Error('no batch failed, so no message goes one by one');
};

beforeAll(() => publisher.connect());
afterEach(stopAll);
afterAll(async () => {
  await publisher.disconnect();
  await topics.cleanup();
});

describe('runConsumer with a batch handler', () => {
  it('hands a partition’s fetched messages over at once, each message once, and commits past them', async () => {
    const topic = await topics.create(1);
    const groupId = `g-batch-${uniqueSuffix()}`;
    await publisher.publish(topic, keyedEvents('lead-b', 300));
    const batches: number[] = [];
    const seen: number[] = [];

    await start({
      groupId,
      topics: [topic],
      maxBatchMessages: 120,
      handle: noOneByOne,
      handleBatch: async (messages) => {
        batches.push(messages.length);
        seen.push(...messages.map((message) => message.event.streamversion));
      },
    });

    await waitFor('every message', () => seen.length >= 300, { timeoutMs: 20_000 });
    expect(seen).toEqual(Array.from({ length: 300 }, (_, index) => index + 1));
    expect(Math.max(...batches)).toBeGreaterThan(1);
    expect(Math.max(...batches)).toBeLessThanOrEqual(120);
    await waitFor('offsets committed', async () => (await committedOffsets(groupId, topic))[0] === 300);
  });

  it('falls back to one by one for a batch with a poison message: it alone is dead-lettered, the rest apply once', async () => {
    const topic = await topics.create(1);
    const groupId = `g-poison-${uniqueSuffix()}`;
    const key = 'lead-p';
    await publisher.publish(topic, keyedEvents(key, 10));
    const applied = new Map<number, number>();
    const apply = (message: ConsumedEvent) =>
      applied.set(message.event.streamversion, (applied.get(message.event.streamversion) ?? 0) + 1);

    await start({
      groupId,
      topics: [topic],
      handle: async (message) => {
        if (message.event.streamversion === 6) throw new PermanentError('version 6 can never apply');
        apply(message);
      },
      // All or nothing, as a batch in one transaction is.
      handleBatch: async (messages) => {
        if (messages.some((message) => message.event.streamversion === 6)) throw new Error('a row was refused');
        messages.forEach(apply);
      },
    });

    await waitFor('the messages behind the poison', () => applied.has(10), { timeoutMs: 20_000 });
    expect([...applied.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10]);
    expect([...applied.values()].every((count) => count === 1)).toBe(true);
    const [deadLetter] = await readRaw(dlqTopic(topic, groupId), 1);
    expect(header(deadLetter!, 'ce_id')).toBe(`${key}-v6`);
    expect(await messageCount(dlqTopic(topic, groupId))).toBe(1);
  });

  it('dead-letters an undecodable message in a batch and hands the others on', async () => {
    const topic = await topics.create(1);
    const groupId = `g-undecodable-${uniqueSuffix()}`;
    const key = 'lead-u';
    await publisher.publish(topic, keyedEvents(key, 3));
    await publishWithoutId(topic, key, 4);
    await publisher.publish(topic, [{ key, event: makeEvent({ subject: key, streamversion: 5 }) }]);
    const handled: number[] = [];

    await start({
      groupId,
      topics: [topic],
      handle: async ({ event }) => void handled.push(event.streamversion),
      handleBatch: async (messages) => void handled.push(...messages.map(({ event }) => event.streamversion)),
    });

    await waitFor('the message behind the undecodable one', () => handled.includes(5), { timeoutMs: 20_000 });
    expect(handled).toEqual([1, 2, 3, 5]);
    const [deadLetter] = await readRaw(dlqTopic(topic, groupId), 1);
    expect(header(deadLetter!, 'dlq_error')).toBe('EnvelopeDecodeError');
  });

  it('hands a batch only the types asked for, never an empty one, and commits past the others', async () => {
    const topic = await topics.create(1);
    const groupId = `g-batch-types-${uniqueSuffix()}`;
    const key = 'lead-bt';
    const wanted = 'l2o.lead.qualified.v1';
    const types = ['l2o.lead.captured.v1', wanted, 'l2o.lead.captured.v1', 'l2o.lead.assigned.v1', wanted];
    await publisher.publish(
      topic,
      types.map((type, index) => ({ key, event: makeEvent({ subject: key, streamversion: index + 1, type }) })),
    );
    const batches: number[][] = [];

    await start({
      groupId,
      topics: [topic],
      types: [wanted],
      // In one fetch the chunks are [1, 2], [3, 4] (none wanted) and [5].
      maxBatchMessages: 2,
      handle: noOneByOne,
      handleBatch: async (messages) => void batches.push(messages.map(({ event }) => event.streamversion)),
    });

    await waitFor(
      'offsets committed past every message',
      async () => (await committedOffsets(groupId, topic))[0] === 5,
    );
    expect(batches.flat()).toEqual([2, 5]);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
  });

  it('consumes partitions side by side and keeps each key in order', async () => {
    const topic = await topics.create(3);
    const groupId = `g-lanes-${uniqueSuffix()}`;
    const keys = Array.from({ length: 12 }, (_, index) => `lead-k${index}`);
    for (const key of keys) await publisher.publish(topic, keyedEvents(key, 25));
    const byKey = new Map<string, number[]>();
    let inFlight = 0;
    let mostInFlight = 0;

    await start({
      groupId,
      topics: [topic],
      partitionsConsumedConcurrently: 3,
      handle: noOneByOne,
      handleBatch: async (messages) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        for (const { key, event } of messages)
          byKey.set(key ?? '', [...(byKey.get(key ?? '') ?? []), event.streamversion]);
        inFlight -= 1;
      },
    });

    await waitFor('every key', () => [...byKey.values()].reduce((sum, list) => sum + list.length, 0) >= 300, {
      timeoutMs: 20_000,
    });
    for (const key of keys) expect(byKey.get(key)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(mostInFlight).toBeGreaterThan(1);
  });
});
