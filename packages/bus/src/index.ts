/**
 * @packageDocumentation
 * The platform's Kafka bus: CloudEvents binary-mode codec, topic provisioning, an idempotent publisher,
 * and a consumer runner with ordered per-partition processing, retries, dead-letter topics, trace
 * context and offsets committed only after success; both report Prometheus metrics when given a registry.
 * Services run their consumers on namespaced platform topics, start them behind their HTTP server,
 * report Kafka's reachability and their consumers' state, and parse what they consume against the
 * event catalogue with the helpers here.
 */
export { toKafkaMessage, fromKafkaMessage, readHeader } from './cloud-event.codec.ts';
export type { OutgoingKafkaMessage, IncomingKafkaMessage, MessageHeaders, EnvelopeKind } from './cloud-event.codec.ts';
export { ensureTopics } from './ensure-topics.ts';
export type { TopicSpec } from './ensure-topics.ts';
export { createPublisher } from './publisher.ts';
export type { Publisher, PublisherOptions, PublishItem } from './publisher.ts';
export { runConsumer } from './consumer-runner.ts';
export { consumerReadiness } from './consumer-readiness.ts';
export { startInBackground } from './background-consumer.ts';
export type { BackgroundConsumer, ConsumerState } from './background-consumer.ts';
export { kafkaReadiness } from './kafka-readiness.ts';
export { runNamespacedConsumer } from './namespaced-consumer.ts';
export type { ConsumerConnection } from './namespaced-consumer.ts';
export type { MessageOutcome } from './bus-metrics.ts';
export type {
  BatchHandler,
  ConsumedEvent,
  EventHandler,
  ConsumerRunner,
  ConsumerTiming,
  RunConsumerOptions,
} from './consumer-runner.ts';
export { PermanentError, EnvelopeDecodeError } from './errors.ts';
export { parseConsumedEvent } from './consumed-event.ts';
export { classifyError, backoffDelay, resolveRetryOptions } from './retry-policy.ts';
export type { ErrorKind, RetryOptions, ResolvedRetryOptions } from './retry-policy.ts';
export { deadLetterHeaders, toDeadLetterMessage } from './dead-letter.ts';
export type { DeadLetterMessage } from './dead-letter.ts';
export { silentLogger } from './logger.ts';
export type { BusLogger } from './logger.ts';
