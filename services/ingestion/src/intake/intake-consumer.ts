import type { MetricsRegistry } from '@l2o/service-kit';
import { runConsumer } from '@l2o/bus';
import type { BusLogger, ConsumerRunner, ConsumerTiming } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import type { LeadCapturer } from '../capture/lead-capturer.ts';
import { onLeadSubmitted } from './on-lead-submitted.ts';

/** The consumer group of the intake; its dead-letter topic is `l2o.lead-intake.v1.dlq.ingestion.intake`. */
export const intakeConsumerGroup = 'ingestion.intake';

/**
 * Starts the consumer group that captures the leads platform producers submit on `l2o.lead-intake.v1`.
 * Offsets are committed only after the capture was appended (or the message dead-lettered), so a
 * restart redelivers what was in flight and the capture id turns it into a duplicate.
 */
export async function startIntakeConsumer(options: {
  brokers: string[];
  /** Prefix of the topic name (see `withNamespace`); empty in production. */
  topicNamespace: string;
  /** Default {@link intakeConsumerGroup}. */
  groupId?: string;
  capturer: LeadCapturer;
  logger?: BusLogger;
  timing?: ConsumerTiming;
  metrics?: MetricsRegistry;
  onFatalError?: (error: Error) => void;
}): Promise<ConsumerRunner> {
  return runConsumer({
    brokers: options.brokers,
    groupId: options.groupId ?? intakeConsumerGroup,
    topics: [withNamespace(Topics.leadIntake, options.topicNamespace)],
    metrics: options.metrics,
    envelope: 'intake',
    handle: onLeadSubmitted({ capturer: options.capturer }),
    logger: options.logger,
    timing: options.timing,
    onFatalError: options.onFatalError,
  });
}
