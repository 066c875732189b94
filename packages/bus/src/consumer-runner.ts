import { setTimeout as sleep } from 'node:timers/promises';
import {
  compatibilityPartitioner,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
} from '@platformatic/kafka';
import type { Message, MessagesStream } from '@platformatic/kafka';
import { dlqTopic } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { Attributes, Context } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { createConsumerMetrics } from './bus-metrics.ts';
import type { MessageOutcome } from './bus-metrics.ts';
import { clientOptions } from './client-options.ts';
import { fromKafkaMessage, readHeader } from './cloud-event.codec.ts';
import type { EnvelopeKind } from './cloud-event.codec.ts';
import { toDeadLetterMessage } from './dead-letter.ts';
import { ensureTopics } from './ensure-topics.ts';
import { toKafkaRecord, toProducedRecord } from './kafka-record.ts';
import type { KafkaRecord } from './kafka-record.ts';
import { silentLogger } from './logger.ts';
import type { BusLogger } from './logger.ts';
import { createPartitionLag } from './partition-lag.ts';
import { backoffDelay, classifyError, resolveRetryOptions } from './retry-policy.ts';
import type { RetryOptions } from './retry-policy.ts';
import { extractTraceContext, inConsumerSpan } from './trace-context.ts';

/** What a handler receives: the decoded event and where it came from. */
export type ConsumedEvent = {
  event: CloudEvent;
  topic: string;
  partition: number;
  offset: string;
  /** The Kafka key (the aggregate id), or null when the message had none. */
  key: string | null;
  /** 1 on the first try, then counts this consumer's retries of the same message. */
  attempt: number;
};

/**
 * Handles one event, inside a CONSUMER span `<topic> process` (one per attempt) that continues the
 * producer's trace. Throw to retry; throw a `PermanentError` to dead-letter the message at once.
 * The member heartbeats on a timer of its own, so a slow call does not cost it its group membership.
 */
export type EventHandler = (message: ConsumedEvent) => Promise<void>;

/**
 * Handles a partition's fetched messages at once, in offset order, inside one CONSUMER span linked to
 * each message's trace. A transient error retries the batch; any other error makes the runner hand the
 * same messages to the {@link EventHandler} one by one, so only a message that keeps failing is
 * dead-lettered and the others are applied once.
 */
export type BatchHandler = (messages: readonly ConsumedEvent[]) => Promise<void>;

/** Group membership and fetch timings; the defaults suit production, tests shorten them. */
export type ConsumerTiming = {
  /** Time without heartbeat after which the broker drops the member (default 30 000). */
  sessionTimeoutMs?: number;
  /** Default 3 000. */
  heartbeatIntervalMs?: number;
  /** Default 60 000. */
  rebalanceTimeoutMs?: number;
  /** Longest a fetch waits for new messages; bounds how long `stop()` waits for an idle fetch (default 1 000). */
  maxWaitTimeMs?: number;
  /** Offsets of processed messages are committed at least this often within a long batch, and after every batch (default 1 000). */
  commitIntervalMs?: number;
};

export type RunConsumerOptions = {
  brokers: string[];
  groupId: string;
  topics: readonly string[];
  /** One message: the whole work without `handleBatch`, else the fallback for a batch that failed. */
  handle: EventHandler;
  /** Batch-first handling (see {@link BatchHandler}); at low load a batch is simply what was fetched. */
  handleBatch?: BatchHandler;
  /** Most messages one `handleBatch` call gets (default 500). */
  maxBatchMessages?: number;
  /**
   * Only these `ce_type`s reach the handler; others are skipped (and committed) from the headers alone.
   * A message without a readable `ce_type` is decoded anyway, fails, and is dead-lettered.
   */
  types?: readonly string[];
  /**
   * The attributes a message must carry (see {@link EnvelopeKind}). Default `aggregate`: events from the
   * event store. `intake` for topics external producers write to; a message missing a required header is
   * dead-lettered with the header named.
   */
  envelope?: EnvelopeKind;
  retry?: RetryOptions;
  logger?: BusLogger;
  /** Default: the group id. */
  clientId?: string;
  /**
   * Where a group without committed offsets starts. Default true: a new group must not miss the events
   * published before it first joined.
   */
  fromBeginning?: boolean;
  /**
   * Partitions handled side by side (default 1); each partition stays in order. With 1, a partition
   * stalled by retries also holds back the member's other partitions.
   */
  partitionsConsumedConcurrently?: number;
  deadLetter?: {
    /** Partitions of a dead-letter topic created at start (default 1). */
    partitions?: number;
    /** Create the `<topic>.dlq.<group>` topics at start (default true); turn off where an operator manages topics. */
    ensureTopics?: boolean;
  };
  timing?: ConsumerTiming;
  /**
   * Called when the consumer stops for good: its message stream failed and could not be reopened after
   * several tries with backoff (a broker unreachable for minutes). The process should exit.
   */
  onFatalError?: (error: Error) => void;
  /**
   * The process's Prometheus registry: the runner then counts `l2o_consumer_messages_total{group, topic, outcome}`,
   * `l2o_consumer_handler_failures_total{group, topic, kind}`, times handler calls in
   * `l2o_consumer_handle_duration_seconds{group, topic}` and sets `l2o_consumer_lag{group, topic, partition}`.
   */
  metrics?: Registry;
};

/** A running consumer. */
export type ConsumerRunner = {
  /**
   * Resolves once the group is joined and this member's positions are established (the committed
   * offsets, else the start the group falls back to), so a message published afterwards is seen even
   * when the group starts from the latest offset.
   * Rejects when the consumer fails or is stopped before that.
   */
  ready: Promise<void>;
  /**
   * Graceful shutdown: interrupts retry waits, lets the in-flight handler finish, commits what was
   * processed, leaves the group and disconnects. An interrupted message is not committed and is redelivered.
   * A handler may call it but must not await it: the stop waits for that handler.
   */
  stop(): Promise<void>;
};

type Outcome = MessageOutcome | 'interrupted';

/** Partitions consumed side by side, each in offset order. */
type PartitionBatch = { topic: string; partition: number; messages: Message[] };

// Restarts of a failed message stream in a row before the consumer gives up; with the backoff this
// rides out a few minutes of broker outage.
const maxRestarts = 10;
// As kafkajs's defaults: a fetch brings at most 10 MiB, 1 MiB per partition.
const fetchMaxBytes = 10 * 1024 * 1024;
const fetchMaxBytesPerPartition = 1024 * 1024;

/**
 * Runs a consumer group member: each partition in order, offsets committed only after the handler
 * (or the dead-letter write) succeeded. Transient infrastructure errors retry without limit, so an
 * outage stalls the partition; other errors retry `maxAttempts` times, permanent ones not at all,
 * and then go to `<topic>.dlq.<group>` with the reason in headers before the partition moves on.
 * After every rebalance the member reads on from the group's committed offsets, never from what it had
 * fetched before, so a partition that left and came back cannot skip a message.
 * Resolves once subscribed and joined; see {@link ConsumerRunner.ready}.
 */
export async function runConsumer(options: RunConsumerOptions): Promise<ConsumerRunner> {
  const logger = options.logger ?? silentLogger;
  const retry = resolveRetryOptions(options.retry);
  const timing = {
    sessionTimeoutMs: 30_000,
    heartbeatIntervalMs: 3_000,
    rebalanceTimeoutMs: 60_000,
    maxWaitTimeMs: 1_000,
    commitIntervalMs: 1_000,
    ...options.timing,
  };
  const { groupId } = options;
  const clientId = options.clientId ?? groupId;
  const topics = [...options.topics];
  const deadLetterTopics = new Map(topics.map((topic) => [topic, dlqTopic(topic, groupId)]));
  if (options.deadLetter?.ensureTopics !== false) {
    await ensureTopics({
      brokers: options.brokers,
      logger,
      topics: [...deadLetterTopics.values()].map((topic) => ({
        topic,
        partitions: options.deadLetter?.partitions ?? 1,
      })),
    });
  }

  const consumer = new Consumer({
    ...clientOptions({ brokers: options.brokers, clientId }),
    groupId,
    sessionTimeout: timing.sessionTimeoutMs,
    heartbeatInterval: timing.heartbeatIntervalMs,
    rebalanceTimeout: timing.rebalanceTimeoutMs,
    maxWaitTime: timing.maxWaitTimeMs,
    maxBytes: fetchMaxBytes,
    maxBytesPerPartition: fetchMaxBytesPerPartition,
    autocommit: false,
    // Round robin under the Java client's name and under kafkajs's: a group needs one protocol all
    // members support, so during a rolling upgrade members on kafkajs and on this client share a group.
    protocols: [
      { name: 'roundrobin', version: 1 },
      { name: 'RoundRobinAssigner', version: 1 },
    ],
  });
  // Not idempotent: a duplicate dead letter is harmless, and a bounded retry lets stop() through.
  const deadLetterProducer = new Producer({
    ...clientOptions({ brokers: options.brokers, clientId, retries: 3 }),
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    partitioner: compatibilityPartitioner,
  });
  const stopping = new AbortController();
  const types = options.types ? new Set(options.types) : undefined;
  const metrics = createConsumerMetrics({ registry: options.metrics, groupId });
  const lag = createPartitionLag({
    metrics,
    logger,
    listLatest: () => consumer.listOffsets({ topics }),
  });

  let settleReady: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  ready.catch(() => undefined);
  const finishReady = (error?: Error): void => {
    if (error) settleReady?.reject(error);
    else settleReady?.resolve();
    settleReady = undefined;
  };

  const assignment = (): Record<string, number[]> =>
    Object.fromEntries((consumer.assignments ?? []).map(({ topic, partitions }) => [topic, partitions]));
  const isAssigned = (topic: string, partition: number): boolean =>
    (consumer.assignments ?? []).some((owned) => owned.topic === topic && owned.partitions.includes(partition));

  // Wakes the loop waiting for the stream: new messages, a failure, a rebalance or stop.
  let wake: () => void = () => undefined;
  stopping.signal.addEventListener('abort', () => wake());
  // Set by a rebalance: the stream's buffer may hold messages fetched before it, so it is replaced.
  let rebalanced = false;
  consumer.on('consumer:group:join', () => {
    rebalanced = true;
    lag.assigned(assignment());
    logger.info({ groupId, assignment: consumer.assignments }, 'joined consumer group');
    wake();
  });
  consumer.on('consumer:group:rebalance', () => logger.info({ groupId }, 'consumer group rebalancing'));
  consumer.on('consumer:heartbeat:error', ({ error }) => logger.warn({ groupId, err: error }, 'heartbeat failed'));

  /** Waits `ms`; false when cut short by stop or because the partition went to another member. */
  async function pause(ms: number, location: { topic: string; partition: number }): Promise<boolean> {
    const until = Date.now() + ms;
    while (!stopping.signal.aborted && isAssigned(location.topic, location.partition)) {
      const left = until - Date.now();
      if (left <= 0) return true;
      try {
        // Short slices, so a partition taken away during a long backoff is let go within a second.
        await sleep(Math.min(left, 1_000), undefined, { signal: stopping.signal });
      } catch {
        return false;
      }
    }
    return false;
  }

  async function deadLetter(
    location: { topic: string; partition: number; record: KafkaRecord },
    failure: { error: unknown; attempts: number },
  ): Promise<Outcome> {
    const { topic, partition, record } = location;
    const target = deadLetterTopics.get(topic) ?? dlqTopic(topic, groupId);
    const deadLetterMessage = toDeadLetterMessage({
      message: record,
      topic,
      partition,
      offset: record.offset,
      error: failure.error,
      attempts: failure.attempts,
      failedAt: new Date(),
    });
    for (let write = 1; ; write += 1) {
      try {
        await deadLetterProducer.send({ messages: [toProducedRecord(target, deadLetterMessage)] });
        logger.error(
          {
            topic,
            partition,
            offset: record.offset,
            deadLetterTopic: target,
            attempts: failure.attempts,
            err: failure.error,
          },
          'message dead-lettered',
        );
        return 'dead_lettered';
      } catch (error) {
        // The message is neither handled nor parked: retrying is the only way to keep it.
        const delayMs = backoffDelay(write, retry);
        logger.error(
          { topic, partition, offset: record.offset, deadLetterTopic: target, err: error, delayMs },
          'dead-letter write failed, retrying',
        );
        if (!(await pause(delayMs, location))) return 'interrupted';
      }
    }
  }

  async function processMessage(topic: string, partition: number, record: KafkaRecord): Promise<Outcome> {
    if (isLeftOut(record, types)) return 'skipped';
    let event: CloudEvent;
    try {
      event = fromKafkaMessage(record, { envelope: options.envelope });
    } catch (error) {
      return deadLetter({ topic, partition, record }, { error, attempts: 1 });
    }
    const key = record.key?.toString() ?? null;
    const parent = extractTraceContext(record.headers);
    let countedFailures = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const attributes = spanAttributes({ groupId, topic, partition, offset: record.offset, key, event, attempt });
        const handled = metrics.startHandling({ topic });
        await inConsumerSpan({ topic, parent, attributes }, () =>
          options.handle({ event, topic, partition, offset: record.offset, key, attempt }),
        ).finally(handled);
        return 'handled';
      } catch (error) {
        const kind = classifyError(error);
        metrics.handlerFailed({ topic, kind });
        if (kind !== 'transient') countedFailures += 1;
        if (kind === 'permanent' || countedFailures >= retry.maxAttempts) {
          return deadLetter({ topic, partition, record }, { error, attempts: attempt });
        }
        const delayMs = backoffDelay(attempt, retry);
        logger.warn(
          { topic, partition, offset: record.offset, type: event.type, attempt, kind, delayMs, err: error },
          'handler failed, retrying',
        );
        if (!(await pause(delayMs, { topic, partition }))) return 'interrupted';
      }
    }
  }

  // The last resolved message per partition whose offset is not committed yet.
  const uncommitted = new Map<string, Message>();
  let committedAt = Date.now();

  async function commitResolved(): Promise<void> {
    committedAt = Date.now();
    const messages = [...uncommitted.values()];
    uncommitted.clear();
    await Promise.all(
      messages.map(async (message) => {
        try {
          // A commit waits out a rebalance in progress; a session at most, so a group that does not settle stalls neither the partition nor a stop.
          const timedOut = sleep(timing.sessionTimeoutMs, 'timed out', { ref: false });
          const outcome = await Promise.race([message.commit(), timedOut]);
          if (outcome === 'timed out') throw new Error(`no answer within ${timing.sessionTimeoutMs} ms`);
        } catch (error) {
          // The client keeps the offset queued and sends it with the next commit; until then a restart redelivers.
          logger.warn(
            { groupId, topic: message.topic, partition: message.partition, err: error },
            'offset commit failed',
          );
        }
      }),
    );
  }

  const maxBatchMessages = options.maxBatchMessages ?? 500;
  const stillOwned = (topic: string, partition: number): boolean =>
    !stopping.signal.aborted && !rebalanced && isAssigned(topic, partition);

  /** Marks `message` resolved: its offset is committed with the next commit. */
  async function resolve(message: Message): Promise<void> {
    lag.positioned(message.topic, message.partition, message.offset + 1n);
    uncommitted.set(`${message.topic}:${message.partition}`, message);
    if (Date.now() - committedAt >= timing.commitIntervalMs) await commitResolved();
  }

  /** One partition's share of a fetch, in order; stops early on stop, a rebalance or an interruption. */
  async function processPartition({ topic, partition, messages }: PartitionBatch): Promise<void> {
    if (!options.handleBatch) {
      await processOneByOne(topic, partition, messages);
      return;
    }
    for (let start = 0; start < messages.length; start += maxBatchMessages) {
      const chunk = messages.slice(start, start + maxBatchMessages);
      if ((await processChunk(topic, partition, chunk)) === 'interrupted') return;
    }
  }

  async function processOneByOne(topic: string, partition: number, messages: readonly Message[]): Promise<Outcome> {
    for (const message of messages) {
      if (!stillOwned(topic, partition)) return 'interrupted';
      lag.positioned(topic, partition, message.offset);
      const outcome = await processMessage(topic, partition, toKafkaRecord(message));
      // An interrupted message stays unresolved, so it is neither committed nor skipped.
      if (outcome === 'interrupted') return outcome;
      metrics.resolved({ topic, outcome });
      await resolve(message);
    }
    return 'handled';
  }

  /** A chunk through `handleBatch`; one by one when it holds an undecodable message or the batch failed. */
  async function processChunk(topic: string, partition: number, chunk: readonly Message[]): Promise<Outcome> {
    const handleBatch = options.handleBatch;
    if (!handleBatch || !stillOwned(topic, partition)) return 'interrupted';
    const batch = decodeBatch(topic, partition, chunk);
    if (batch === undefined) return processOneByOne(topic, partition, chunk);
    for (let attempt = 1; batch.consumed.length > 0; attempt += 1) {
      try {
        const handled = metrics.startHandling({ topic });
        await inConsumerSpan(
          {
            topic,
            parent: batch.parents[0] ?? extractTraceContext(undefined),
            links: batch.parents,
            attributes: batchSpanAttributes({ groupId, topic, partition, batch: batch.consumed, attempt }),
          },
          () => handleBatch(batch.consumed.map((message) => ({ ...message, attempt }))),
        ).finally(handled);
        break;
      } catch (error) {
        const kind = classifyError(error);
        metrics.handlerFailed({ topic, kind });
        if (kind !== 'transient') {
          logger.warn({ topic, partition, messages: chunk.length, err: error }, 'batch failed, handling it one by one');
          return processOneByOne(topic, partition, chunk);
        }
        const delayMs = backoffDelay(attempt, retry);
        logger.warn(
          { topic, partition, messages: chunk.length, attempt, delayMs, err: error },
          'batch failed, retrying',
        );
        if (!(await pause(delayMs, { topic, partition }))) return 'interrupted';
      }
    }
    for (const message of chunk)
      metrics.resolved({ topic, outcome: batch.skipped.has(message) ? 'skipped' : 'handled' });
    const last = chunk.at(-1);
    if (last) await resolve(last);
    return 'handled';
  }

  /** The chunk's messages for `handleBatch`, without the types not wanted; undefined when one does not decode. */
  function decodeBatch(
    topic: string,
    partition: number,
    chunk: readonly Message[],
  ): { consumed: ConsumedEvent[]; parents: Context[]; skipped: Set<Message> } | undefined {
    const consumed: ConsumedEvent[] = [];
    const parents: Context[] = [];
    const skipped = new Set<Message>();
    for (const message of chunk) {
      const record = toKafkaRecord(message);
      if (isLeftOut(record, types)) {
        skipped.add(message);
        continue;
      }
      let event: CloudEvent;
      try {
        event = fromKafkaMessage(record, { envelope: options.envelope });
      } catch {
        return undefined;
      }
      const key = record.key?.toString() ?? null;
      consumed.push({ event, topic, partition, offset: record.offset, key, attempt: 1 });
      parents.push(extractTraceContext(record.headers));
    }
    return { consumed, parents, skipped };
  }

  async function processBatch(messages: readonly Message[]): Promise<void> {
    const byPartition = new Map<string, PartitionBatch>();
    for (const message of messages) {
      const key = `${message.topic}:${message.partition}`;
      let batch = byPartition.get(key);
      if (!batch) {
        batch = { topic: message.topic, partition: message.partition, messages: [] };
        byPartition.set(key, batch);
      }
      batch.messages.push(message);
    }
    const queue = [...byPartition.values()];
    const lanes = Math.min(queue.length, Math.max(1, options.partitionsConsumedConcurrently ?? 1));
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let batch = queue.shift(); batch; batch = queue.shift()) await processPartition(batch);
      }),
    );
    await commitResolved();
  }

  const streamFailures = new WeakMap<MessagesStream<Buffer, Buffer, Buffer, Buffer>, Error>();

  async function openStream(): Promise<MessagesStream<Buffer, Buffer, Buffer, Buffer>> {
    const stream = await consumer.consume({
      topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode:
        (options.fromBeginning ?? true) ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
      autocommit: false,
    });
    // Positions are set (from the committed offsets, else the fallback) before the first fetch.
    stream.once('offsets', () => finishReady());
    // Listened to from the start: an unheard 'error' would crash the process.
    stream.on('error', (error) => {
      if (!streamFailures.has(stream)) streamFailures.set(stream, error);
      wake();
    });
    stream.on('end', () => {
      if (!streamFailures.has(stream)) streamFailures.set(stream, new Error('the message stream ended'));
      wake();
    });
    return stream;
  }

  /** Reads and processes until stop or a rebalance, or throws what made the stream fail. */
  async function consumeStream(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
    // Paused mode: what a wake-up finds buffered is one fetched batch.
    stream.on('readable', () => wake());
    while (!stopping.signal.aborted && !rebalanced) {
      const failure = streamFailures.get(stream);
      if (failure) throw failure;
      const batch: Message[] = [];
      for (let message = stream.read(); message !== null; message = stream.read()) batch.push(message);
      if (batch.length > 0) await processBatch(batch);
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  async function run(first: MessagesStream<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
    let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined = first;
    let restarts = 0;
    while (!stopping.signal.aborted) {
      try {
        if (stream) {
          await consumeStream(stream);
          restarts = 0;
        }
        if (stopping.signal.aborted) break;
        // After a rebalance: read on from the committed offsets. The new stream opens before the old
        // one closes, so the member keeps its subscription and does not trigger another rebalance.
        rebalanced = false;
        await commitResolved();
        const previous = stream;
        stream = await openStream();
        // A join that this very stream's opening caused is already behind its starting offsets.
        rebalanced = false;
        restarts = 0;
        await previous?.close().catch(() => undefined);
      } catch (error) {
        if (stopping.signal.aborted) break;
        await stream?.close().catch(() => undefined);
        stream = undefined;
        // A failed stream may never settle its commits; what they covered is redelivered instead.
        uncommitted.clear();
        restarts += 1;
        const err = error instanceof Error ? error : new Error(String(error));
        if (restarts > maxRestarts) {
          logger.error({ groupId, err, restart: false }, 'consumer crashed for good');
          finishReady(err);
          options.onFatalError?.(err);
          return;
        }
        const delayMs = backoffDelay(restarts, { ...retry, initialDelayMs: 1_000 });
        logger.error({ groupId, err, restart: true, delayMs }, 'consumer crashed, restarting');
        await sleep(delayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
    await commitResolved();
    await stream?.close().catch(() => undefined);
  }

  let running: Promise<void>;
  try {
    const stream = await openStream();
    // The group join that opening the stream made is behind it, not a rebalance to follow.
    rebalanced = false;
    running = run(stream);
  } catch (error) {
    stopping.abort();
    await consumer.close(true).catch(() => undefined);
    await deadLetterProducer.close().catch(() => undefined);
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    ready,
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        try {
          await running;
          await consumer.close(true);
        } finally {
          metrics.released();
          await deadLetterProducer.close();
          finishReady(new Error(`consumer ${groupId} stopped before it was ready`));
          logger.info({ groupId }, 'consumer stopped');
        }
      })();
      return stopped;
    },
  };
}

/**
 * Whether the `types` filter leaves the message out, known from its `ce_type` header alone. A header that
 * cannot be read does not leave it out: the decoder then reports why.
 */
function isLeftOut(record: KafkaRecord, types: ReadonlySet<string> | undefined): boolean {
  if (types === undefined) return false;
  let type: string | undefined;
  try {
    type = readHeader(record.headers, 'ce_type');
  } catch {
    return false;
  }
  return type !== undefined && !types.has(type);
}

/** What every CONSUMER span of the runner says about where it reads. */
function processAttributes(options: { groupId: string; topic: string; partition: number }): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': options.topic,
    'messaging.destination.partition.id': String(options.partition),
    'messaging.consumer.group.name': options.groupId,
  };
}

function batchSpanAttributes(options: {
  groupId: string;
  topic: string;
  partition: number;
  batch: readonly ConsumedEvent[];
  attempt: number;
}): Attributes {
  return {
    ...processAttributes(options),
    'messaging.batch.message_count': options.batch.length,
    'messaging.kafka.offset': Number(options.batch[0]?.offset ?? -1),
    'l2o.bus.attempt': options.attempt,
  };
}

function spanAttributes(options: {
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  event: CloudEvent;
  attempt: number;
}): Attributes {
  return {
    ...processAttributes(options),
    'messaging.kafka.offset': Number(options.offset),
    'messaging.message.id': options.event.id,
    ...(options.key === null ? {} : { 'messaging.kafka.message.key': options.key }),
    'cloudevents.event_type': options.event.type,
    'cloudevents.event_subject': options.event.subject,
    'l2o.bus.attempt': options.attempt,
  };
}
