import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import { dlqTopic } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { Attributes } from '@opentelemetry/api';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Registry } from 'prom-client';
import { createConsumerMetrics } from './bus-metrics.ts';
import type { MessageOutcome } from './bus-metrics.ts';
import { fromKafkaMessage, readHeader } from './cloud-event.codec.ts';
import type { EnvelopeKind } from './cloud-event.codec.ts';
import { toDeadLetterMessage } from './dead-letter.ts';
import { ensureTopics } from './ensure-topics.ts';
import { createKafkaClient } from './kafka-client.ts';
import { silentLogger } from './logger.ts';
import type { BusLogger } from './logger.ts';
import { backoffDelay, classifyError, resolveRetryOptions } from './retry-policy.ts';
import type { RetryOptions } from './retry-policy.ts';
import { extractTraceContext, inConsumerSpan } from './trace-context.ts';

const { Partitioners } = kafkajs;

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
 * kafkajs heartbeats only between messages, so one call must finish within the session timeout.
 */
export type EventHandler = (message: ConsumedEvent) => Promise<void>;

/** Group membership and fetch timings; the defaults suit production, tests shorten them. */
export type ConsumerTiming = {
  /** Time without heartbeat after which the broker drops the member (default 30 000). */
  sessionTimeoutMs?: number;
  /** Default 3 000; also the longest a retry wait goes without a heartbeat. */
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
  handle: EventHandler;
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
  /** Called when the consumer stops for good after an error kafkajs does not restart from; the process should exit. */
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
   * Resolves once the group is joined and the first fetch has established this member's positions, so
   * a message published afterwards is seen even when the group starts from the latest offset.
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

/**
 * Runs a consumer group member: each partition in order, offsets committed only after the handler
 * (or the dead-letter write) succeeded. Transient infrastructure errors retry without limit, so an
 * outage stalls the partition; other errors retry `maxAttempts` times, permanent ones not at all,
 * and then go to `<topic>.dlq.<group>` with the reason in headers before the partition moves on.
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
  const deadLetterTopics = new Map(options.topics.map((topic) => [topic, dlqTopic(topic, groupId)]));
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

  const kafka = createKafkaClient({ brokers: options.brokers, clientId: options.clientId ?? groupId, logger });
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: timing.sessionTimeoutMs,
    heartbeatInterval: timing.heartbeatIntervalMs,
    rebalanceTimeout: timing.rebalanceTimeoutMs,
    maxWaitTimeInMs: timing.maxWaitTimeMs,
  });
  // Not idempotent: kafkajs would then retry a send forever, and stop() could not interrupt it. A duplicate dead letter is harmless.
  const deadLetterProducer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 3 },
  });
  const stopping = new AbortController();
  const types = options.types ? new Set(options.types) : undefined;
  const metrics = createConsumerMetrics({ registry: options.metrics, groupId });

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
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    joined = true;
    metrics.assigned(event.payload.memberAssignment);
    logger.info({ groupId, assignment: event.payload.memberAssignment }, 'joined consumer group');
  });
  consumer.on(consumer.events.FETCH, () => {
    if (joined) finishReady();
  });
  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload;
    logger.error(
      { groupId, err: error, restart },
      restart ? 'consumer crashed, restarting' : 'consumer crashed for good',
    );
    if (!restart && !stopping.signal.aborted) {
      finishReady(error);
      options.onFatalError?.(error);
    }
  });

  /** Waits `ms`, heartbeating so the group keeps the member; false when the wait was cut short by stop or a rebalance. */
  async function pause(ms: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + ms;
    while (!stopping.signal.aborted && payload.isRunning() && !payload.isStale()) {
      const left = until - Date.now();
      if (left <= 0) return true;
      try {
        await sleep(Math.min(left, timing.heartbeatIntervalMs), undefined, { signal: stopping.signal });
      } catch {
        return false;
      }
      await payload.heartbeat();
    }
    return false;
  }

  async function deadLetter(
    location: { topic: string; partition: number; message: KafkaMessage },
    failure: { error: unknown; attempts: number },
    payload: EachBatchPayload,
  ): Promise<Outcome> {
    const { topic, partition, message } = location;
    const target = deadLetterTopics.get(topic) ?? dlqTopic(topic, groupId);
    const deadLetterMessage = toDeadLetterMessage({
      message,
      topic,
      partition,
      offset: message.offset,
      error: failure.error,
      attempts: failure.attempts,
      failedAt: new Date(),
    });
    for (let write = 1; ; write += 1) {
      try {
        await deadLetterProducer.send({ topic: target, acks: -1, messages: [deadLetterMessage] });
        logger.error(
          {
            topic,
            partition,
            offset: message.offset,
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
          { topic, partition, offset: message.offset, deadLetterTopic: target, err: error, delayMs },
          'dead-letter write failed, retrying',
        );
        if (!(await pause(delayMs, payload))) return 'interrupted';
      }
    }
  }

  async function processMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    payload: EachBatchPayload,
  ): Promise<Outcome> {
    if (types) {
      const type = peekType(message);
      if (type !== undefined && !types.has(type)) return 'skipped';
    }
    let event: CloudEvent;
    try {
      event = fromKafkaMessage(message, { envelope: options.envelope });
    } catch (error) {
      return deadLetter({ topic, partition, message }, { error, attempts: 1 }, payload);
    }
    const key = message.key?.toString() ?? null;
    const parent = extractTraceContext(message.headers);
    let countedFailures = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const attributes = spanAttributes({ groupId, topic, partition, offset: message.offset, key, event, attempt });
        const handled = metrics.startHandling({ topic });
        await inConsumerSpan({ topic, parent, attributes }, () =>
          options.handle({ event, topic, partition, offset: message.offset, key, attempt }),
        ).finally(handled);
        return 'handled';
      } catch (error) {
        const kind = classifyError(error);
        metrics.handlerFailed({ topic, kind });
        if (kind !== 'transient') countedFailures += 1;
        if (kind === 'permanent' || countedFailures >= retry.maxAttempts) {
          return deadLetter({ topic, partition, message }, { error, attempts: attempt }, payload);
        }
        const delayMs = backoffDelay(attempt, retry);
        logger.warn(
          { topic, partition, offset: message.offset, type: event.type, attempt, kind, delayMs, err: error },
          'handler failed, retrying',
        );
        if (!(await pause(delayMs, payload))) return 'interrupted';
      }
    }
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, highWatermark } = payload.batch;
    // The batch's high watermark comes with the fetch, so the lag costs no request to the broker.
    const first = payload.batch.messages[0];
    if (first !== undefined) metrics.positioned({ topic, partition, nextOffset: Number(first.offset), highWatermark });
    for (const message of payload.batch.messages) {
      if (stopping.signal.aborted || !payload.isRunning() || payload.isStale()) return;
      const outcome = await processMessage(topic, partition, message, payload);
      // An interrupted message stays unresolved, so it is neither committed nor skipped.
      if (outcome === 'interrupted') return;
      metrics.resolved({ topic, outcome });
      metrics.positioned({ topic, partition, nextOffset: Number(message.offset) + 1, highWatermark });
      payload.resolveOffset(message.offset);
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    }
  }

  try {
    await deadLetterProducer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: timing.commitIntervalMs,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch,
    });
  } catch (error) {
    stopping.abort();
    await consumer.disconnect().catch(() => undefined);
    await deadLetterProducer.disconnect().catch(() => undefined);
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    ready,
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        try {
          await consumer.disconnect();
        } finally {
          metrics.released();
          await deadLetterProducer.disconnect();
          finishReady(new Error(`consumer ${groupId} stopped before it was ready`));
          logger.info({ groupId }, 'consumer stopped');
        }
      })();
      return stopped;
    },
  };
}

/** The `ce_type` header, or undefined when it cannot be read (the decoder then reports why). */
function peekType(message: KafkaMessage): string | undefined {
  try {
    return readHeader(message.headers, 'ce_type');
  } catch {
    return undefined;
  }
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
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': options.topic,
    'messaging.destination.partition.id': String(options.partition),
    'messaging.consumer.group.name': options.groupId,
    'messaging.kafka.offset': Number(options.offset),
    'messaging.message.id': options.event.id,
    ...(options.key === null ? {} : { 'messaging.kafka.message.key': options.key }),
    'cloudevents.event_type': options.event.type,
    'cloudevents.event_subject': options.event.subject,
    'l2o.bus.attempt': options.attempt,
  };
}
