import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { Registry } from 'prom-client';
import { dlqTopic } from '@l2o/contracts';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import type { ConsumedEvent, ConsumerRunner, RunConsumerOptions } from './consumer-runner.ts';
import { PermanentError } from './errors.ts';
import {
  committedOffsets,
  consumerStarter,
  fastRetry,
  header,
  keyedEvents,
  makeEvent,
  messageCount,
  publishWithoutId,
  readRaw,
  testKafka,
  topicFactory,
} from './kafka-test-support.ts';
import { metricSamples, metricValue } from './metrics-test-support.ts';
import { createPublisher } from './publisher.ts';
import type { PublishItem } from './publisher.ts';

const { Partitioners } = kafkajs;

const topics = topicFactory('consumer');
const publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'bus-consumer-test' });
const { start, stopAll } = consumerStarter();

function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

beforeAll(() => publisher.connect());
afterEach(stopAll);
afterAll(async () => {
  await publisher.disconnect();
  await topics.cleanup();
});

describe('runConsumer', () => {
  describe('when a handler cannot process a message', () => {
    it('dead-letters it with the reason and goes on with the messages behind it', async () => {
      const topic = await topics.create(1);
      const groupId = `g-dlq-${uniqueSuffix()}`;
      const key = 'lead-poison';
      await publisher.publish(topic, keyedEvents(key, 5));
      await publishWithoutId(topic, key, 6);
      await publisher.publish(topic, [{ key, event: makeEvent({ subject: key, streamversion: 7 }) }]);

      const handled: number[] = [];
      const calls = new Map<number, number>();
      await start({
        groupId,
        topics: [topic],
        retry: { ...fastRetry, maxAttempts: 3 },
        handle: async ({ event }) => {
          calls.set(event.streamversion, (calls.get(event.streamversion) ?? 0) + 1);
          if (event.streamversion === 2) throw new Error('cannot handle poison');
          if (event.streamversion === 4) throw new PermanentError('lead 4 violates a rule');
          handled.push(event.streamversion);
        },
      });

      await waitFor('the messages behind the poison', () => handled.includes(7), { timeoutMs: 20_000 });
      expect(handled).toEqual([1, 3, 5, 7]);
      expect(calls.get(2)).toBe(3);
      expect(calls.get(4)).toBe(1);

      const deadLetters = await readRaw(dlqTopic(topic, groupId), 3);
      expect(deadLetters.map((message) => header(message, 'dlq_original_offset'))).toEqual(['1', '3', '5']);
      const [poison, violation, undecodable] = deadLetters;
      if (!poison || !violation || !undecodable) throw new Error('expected three dead letters');
      expect(header(poison, 'dlq_reason')).toBe('cannot handle poison');
      expect(header(poison, 'dlq_error')).toBe('Error');
      expect(header(poison, 'dlq_attempts')).toBe('3');
      expect(header(poison, 'dlq_original_topic')).toBe(topic);
      expect(header(poison, 'dlq_original_partition')).toBe('0');
      expect(Date.parse(header(poison, 'dlq_failed_at') ?? '')).not.toBeNaN();
      expect(header(poison, 'ce_id')).toBe(`${key}-v2`);
      expect(poison.key?.toString()).toBe(key);
      expect(JSON.parse(poison.value?.toString() ?? '')).toEqual({ n: 2 });
      expect(header(violation, 'dlq_error')).toBe('PermanentError');
      expect(header(violation, 'dlq_attempts')).toBe('1');
      expect(header(undecodable, 'dlq_error')).toBe('EnvelopeDecodeError');
      expect(header(undecodable, 'dlq_reason')).toBe('missing header ce_id');

      await waitFor('all seven offsets committed', async () => (await committedOffsets(groupId, topic))[0] === 7);
    });
  });

  describe('when a consumer stops and another takes over', () => {
    it('resumes after the committed offset without losing or repeating messages', async () => {
      const topic = await topics.create(1);
      const groupId = `g-resume-${uniqueSuffix()}`;
      await publisher.publish(topic, keyedEvents('lead-r', 10));

      const first: number[] = [];
      const firstRunner: ConsumerRunner = await start({
        groupId,
        topics: [topic],
        handle: async ({ event }) => {
          first.push(event.streamversion);
          // Stop from inside the handler: the in-flight message must still complete and be committed.
          if (first.length === 4) void firstRunner.stop();
        },
      });
      await waitFor('the first consumer to process four', () => first.length >= 4);
      await firstRunner.stop();
      expect(first).toEqual([1, 2, 3, 4]);
      expect(await committedOffsets(groupId, topic)).toEqual([4]);

      const second: number[] = [];
      await start({ groupId, topics: [topic], handle: async ({ event }) => void second.push(event.streamversion) });
      await waitFor('the second consumer to catch up', () => second.length >= 6);
      expect(second).toEqual([5, 6, 7, 8, 9, 10]);
    });

    it('never commits a message whose handler had not succeeded when it stopped', async () => {
      const topic = await topics.create(1);
      const groupId = `g-inflight-${uniqueSuffix()}`;
      await publisher.publish(topic, keyedEvents('lead-s', 4));

      const attempts: number[] = [];
      const stalled = await start({
        groupId,
        topics: [topic],
        handle: async ({ event }) => {
          attempts.push(event.streamversion);
          if (event.streamversion === 3) throw connectionRefused();
        },
      });
      await waitFor('the consumer to retry message 3', () => attempts.filter((version) => version === 3).length >= 3);
      await stalled.stop();
      expect(await committedOffsets(groupId, topic)).toEqual([2]);

      const resumed: number[] = [];
      await start({ groupId, topics: [topic], handle: async ({ event }) => void resumed.push(event.streamversion) });
      await waitFor('the stalled message to be redelivered', () => resumed.length >= 2);
      expect(resumed).toEqual([3, 4]);
      expect(await messageCount(dlqTopic(topic, groupId))).toBe(0);
    });
  });

  describe('when the error is transient', () => {
    it('retries beyond maxAttempts and never dead-letters', async () => {
      const topic = await topics.create(1);
      const groupId = `g-transient-${uniqueSuffix()}`;
      await publisher.publish(topic, keyedEvents('lead-t', 3));

      const seen: Array<{ version: number; attempt: number }> = [];
      await start({
        groupId,
        topics: [topic],
        retry: { ...fastRetry, maxAttempts: 1 },
        handle: async ({ event, attempt }) => {
          seen.push({ version: event.streamversion, attempt });
          if (event.streamversion === 2 && attempt <= 2) throw connectionRefused();
        },
      });

      await waitFor('all three handled', async () => (await committedOffsets(groupId, topic))[0] === 3);
      expect(seen).toEqual([
        { version: 1, attempt: 1 },
        { version: 2, attempt: 1 },
        { version: 2, attempt: 2 },
        { version: 2, attempt: 3 },
        { version: 3, attempt: 1 },
      ]);
      expect(await messageCount(dlqTopic(topic, groupId))).toBe(0);
    });
  });

  describe('with a types filter', () => {
    it('hands on only the listed types and commits past the others', async () => {
      const topic = await topics.create(2);
      const groupId = `g-types-${uniqueSuffix()}`;
      const wanted = 'l2o.lead.qualified.v1';
      const items: PublishItem[] = ['lead-1', 'lead-2', 'lead-3'].flatMap((key) => [
        { key, event: makeEvent({ subject: key, streamversion: 1, type: 'l2o.lead.captured.v1' }) },
        { key, event: makeEvent({ subject: key, streamversion: 2, type: wanted }) },
        { key, event: makeEvent({ subject: key, streamversion: 3, type: 'l2o.lead.assigned.v1' }) },
      ]);
      await publisher.publish(topic, items);

      const received: ConsumedEvent[] = [];
      await start({
        groupId,
        topics: [topic],
        types: [wanted],
        handle: async (message) => void received.push(message),
      });

      await waitFor('every partition committed to its end', async () => {
        const offsets = await committedOffsets(groupId, topic);
        return offsets.reduce((sum, offset) => sum + Math.max(offset, 0), 0) === 9;
      });
      expect(received.map((message) => message.event.type)).toEqual([wanted, wanted, wanted]);
      expect(received.map((message) => message.key).sort()).toEqual(['lead-1', 'lead-2', 'lead-3']);
    });
  });

  describe('with the intake envelope', () => {
    it('hands on messages without subject or stream version and dead-letters one without a tenant', async () => {
      const topic = await topics.create(1);
      const groupId = `g-intake-${uniqueSuffix()}`;
      const headers = {
        ce_specversion: '1.0',
        ce_type: 'l2o.lead-intake.submitted.v1',
        ce_source: '/partner/portal',
        ce_time: '2025-03-01T10:00:00Z',
        ce_tenantid: 'tenant-a',
        'content-type': 'application/json',
      };
      const { ce_tenantid: _tenant, ...withoutTenant } = headers;
      const raw = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await raw.connect();
      await raw.send({
        topic,
        messages: [
          { key: 'r1', value: '{"n":1}', headers: { ...headers, ce_id: 'intake-1', ce_subject: 'crm-1' } },
          { key: 'r2', value: '{"n":2}', headers: { ...withoutTenant, ce_id: 'intake-2' } },
          { key: 'r3', value: '{"n":3}', headers: { ...headers, ce_id: 'intake-3' } },
        ],
      });
      await raw.disconnect();

      const received: ConsumedEvent[] = [];
      await start({
        groupId,
        topics: [topic],
        envelope: 'intake',
        handle: async (message) => void received.push(message),
      });

      await waitFor('the message behind the one without a tenant', () => received.length === 2, { timeoutMs: 20_000 });
      expect(received.map(({ event }) => [event.id, event.subject, event.streamversion, event.data])).toEqual([
        ['intake-1', 'crm-1', 0, { n: 1 }],
        ['intake-3', 'intake-3', 0, { n: 3 }],
      ]);
      const [deadLetter] = await readRaw(dlqTopic(topic, groupId), 1);
      if (!deadLetter) throw new Error('expected a dead letter');
      expect(header(deadLetter, 'ce_id')).toBe('intake-2');
      expect(header(deadLetter, 'dlq_reason')).toBe('missing header ce_tenantid');
    });
  });

  describe('with a metrics registry', () => {
    it('reports the lag while a partition is behind, and counts outcomes, failures and dead letters', async () => {
      const topic = await topics.create(1);
      const groupId = `g-metrics-${uniqueSuffix()}`;
      const key = 'lead-m';
      const captured = 'l2o.lead.captured.v1';
      await publisher.publish(topic, [
        ...keyedEvents(key, 2, captured),
        { key, event: makeEvent({ subject: key, streamversion: 3, type: 'l2o.lead.assigned.v1' }) },
        { key, event: makeEvent({ subject: key, streamversion: 4, type: captured }) },
        { key, event: makeEvent({ subject: key, streamversion: 5, type: captured }) },
      ]);

      const registry = new Registry();
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const runner = await start({
        groupId,
        topics: [topic],
        types: [captured],
        metrics: registry,
        handle: async ({ event, attempt }) => {
          if (event.streamversion === 2) throw new PermanentError('lead 2 violates a rule');
          if (event.streamversion === 4 && attempt === 1) throw connectionRefused();
          if (event.streamversion === 4) await held;
        },
      });
      const lag = () => metricValue(registry, 'l2o_consumer_lag', { group: groupId, topic, partition: '0' });
      const messages = (outcome: string) =>
        metricValue(registry, 'l2o_consumer_messages_total', { group: groupId, topic, outcome });
      const failures = (kind: string) =>
        metricValue(registry, 'l2o_consumer_handler_failures_total', { group: groupId, topic, kind });

      // Held at offset 3 (version 4) after offsets 0–2: versions 4 and 5 are still to do.
      await waitFor('the lag while version 4 is held', async () => (await lag()) === 2);
      expect(await messages('handled')).toBe(1);
      expect(await messages('dead_lettered')).toBe(1);
      expect(await messages('skipped')).toBe(1);

      release();
      await waitFor('every offset committed', async () => (await committedOffsets(groupId, topic))[0] === 5);
      await waitFor('the lag back to zero', async () => (await lag()) === 0);
      expect(await messages('handled')).toBe(3);
      expect(await messages('dead_lettered')).toBe(1);
      expect(await messages('skipped')).toBe(1);
      expect(await failures('permanent')).toBe(1);
      expect(await failures('transient')).toBe(1);
      expect(await failures('unknown')).toBeUndefined();
      expect(await messageCount(dlqTopic(topic, groupId))).toBe(1);
      const calls = (await metricSamples(registry, 'l2o_consumer_handle_duration_seconds')).find(
        (sample) => sample.metricName === 'l2o_consumer_handle_duration_seconds_count',
      );
      // Versions 1 and 5 once, 2 once (failed), 4 twice; 3 never reaches the handler.
      expect(calls?.value).toBe(5);

      await runner.stop();
      expect(await lag()).toBeUndefined();
    });
  });

  describe('when a second member joins during consumption', () => {
    it('loses no event and keeps each key in order across the rebalance', async () => {
      const topic = await topics.create(4);
      const groupId = `g-rebalance-${uniqueSuffix()}`;
      const keys = Array.from({ length: 12 }, (_, index) => `lead-rb-${index}`);
      const versions = 40;
      await publisher.publish(
        topic,
        Array.from({ length: versions }, (_, index) => index + 1).flatMap((version) =>
          keys.map((key) => ({ key, event: makeEvent({ subject: key, streamversion: version }) })),
        ),
      );

      // Highest version handled per key by either member; a redelivery may repeat, a skip would show as a jump.
      const highest = new Map<string, number>();
      const jumps: string[] = [];
      const handledBy = { first: 0, second: 0 };
      let letFirstGoOn: () => void = () => undefined;
      const secondJoined = new Promise<void>((resolve) => (letFirstGoOn = resolve));
      const handle =
        (member: keyof typeof handledBy): RunConsumerOptions['handle'] =>
        async ({ event, key }) => {
          // The first member holds its 50th event until the second has joined, so the rebalance lands mid-stream.
          if (member === 'first' && handledBy.first === 49) await secondJoined;
          const done = highest.get(key ?? '') ?? 0;
          if (event.streamversion > done + 1) jumps.push(`${member}: ${key} v${event.streamversion} after v${done}`);
          highest.set(key ?? '', Math.max(done, event.streamversion));
          handledBy[member] += 1;
        };

      await start({ groupId, topics: [topic], handle: handle('first') });
      await waitFor('the first member to reach its 50th event', () => handledBy.first >= 49);
      const second = await start({ groupId, topics: [topic], handle: handle('second') });
      await second.ready;
      letFirstGoOn();

      await waitFor('every key handled to its last version', () => keys.every((key) => highest.get(key) === versions));
      expect(jumps).toEqual([]);
      expect(handledBy.second).toBeGreaterThan(0);
      await waitFor('every partition committed to its end', async () => {
        const offsets = await committedOffsets(groupId, topic);
        return offsets.reduce((sum, offset) => sum + Math.max(offset, 0), 0) === keys.length * versions;
      });
    });
  });

  describe('when members still on kafkajs are in the group, as during a rolling upgrade', () => {
    it('joins beside them and the group shares the partitions', async () => {
      const topic = await topics.create(2);
      const groupId = `g-mixed-${uniqueSuffix()}`;
      const byKafkajs: string[] = [];
      const kafkajsMember = testKafka().consumer({
        groupId,
        sessionTimeout: 6_000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 100,
      });
      const kafkajsJoined = new Promise((resolve) => kafkajsMember.on(kafkajsMember.events.GROUP_JOIN, resolve));
      await kafkajsMember.connect();
      try {
        await kafkajsMember.subscribe({ topics: [topic], fromBeginning: true });
        await kafkajsMember.run({
          eachMessage: async ({ message }) => void byKafkajs.push(header(message, 'ce_id') ?? ''),
        });
        await kafkajsJoined;

        const byRunner: string[] = [];
        const runner = await start({
          groupId,
          topics: [topic],
          handle: async ({ event }) => void byRunner.push(event.id),
        });
        await runner.ready;
        const items = Array.from({ length: 20 }, (_, index) => ({
          key: `lead-mixed-${index}`,
          event: makeEvent({ subject: `lead-mixed-${index}`, streamversion: 1 }),
        }));
        await publisher.publish(topic, items);

        await waitFor('every event handled by one member', () => byKafkajs.length + byRunner.length >= items.length);
        expect([...byKafkajs, ...byRunner].sort()).toEqual(items.map(({ event }) => event.id).sort());
        expect(byRunner.length).toBeGreaterThan(0);
        expect(byKafkajs.length).toBeGreaterThan(0);
      } finally {
        await kafkajsMember.disconnect();
      }
    });
  });

  describe('when joining a group that starts from the latest offset', () => {
    it('is ready only once it will see what is published next', async () => {
      const topic = await topics.create(1);
      await publisher.publish(topic, keyedEvents('lead-old', 2));
      const received: number[] = [];
      const runner = await start({
        groupId: `g-latest-${uniqueSuffix()}`,
        topics: [topic],
        fromBeginning: false,
        handle: async ({ event }) => void received.push(event.streamversion),
      });
      await runner.ready;
      await publisher.publish(topic, [
        { key: 'lead-new', event: makeEvent({ subject: 'lead-new', streamversion: 9 }) },
      ]);
      await waitFor('the new event', () => received.length >= 1);
      expect(received).toEqual([9]);
    });
  });
});
