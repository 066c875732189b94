import { runNamespacedConsumer } from '@l2o/bus';
import type { ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
import type { LeadCapturer } from '../capture/lead-capturer.ts';
import { onLeadSubmitted } from './on-lead-submitted.ts';

/** The consumer group of the intake; its dead-letter topic is `l2o.lead-intake.v1.dlq.ingestion.intake`. */
export const intakeConsumerGroup = 'ingestion.intake';

/**
 * Starts the consumer group that captures the leads platform producers submit on `l2o.lead-intake.v1`.
 * Offsets are committed only after the capture was appended (or the message dead-lettered), so a
 * restart redelivers what was in flight and the capture id turns it into a duplicate.
 */
export async function startIntakeConsumer(
  options: ConsumerConnection & { capturer: LeadCapturer },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: intakeConsumerGroup,
    topics: [Topics.leadIntake],
    envelope: 'intake',
    handle: onLeadSubmitted({ capturer: options.capturer }),
  });
}
