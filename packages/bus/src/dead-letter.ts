import type { MessageHeaders } from './cloud-event.codec.ts';

/** A dead letter: the failed record's key, value and headers plus the `dlq_*` headers. */
export type DeadLetterMessage = { key: Buffer | string | null; value: Buffer | string | null; headers: MessageHeaders };

/** The headers a dead-lettered message carries on top of its original ones. */
export const deadLetterHeaders = {
  reason: 'dlq_reason',
  error: 'dlq_error',
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
} as const;

// Keeps a huge error message (a long validation report) from pushing the record past the broker's size limit.
const maxReasonLength = 8_000;

/**
 * The dead-letter copy of a consumed message: original key, value and headers, plus why and where it failed,
 * so it can be inspected and replayed to the original topic.
 */
export function toDeadLetterMessage(options: {
  message: { key: Buffer | string | null; value: Buffer | string | null; headers?: MessageHeaders };
  topic: string;
  partition: number;
  offset: string;
  error: unknown;
  attempts: number;
  failedAt: Date;
}): DeadLetterMessage {
  const { error } = options;
  const reason = error instanceof Error ? error.message : String(error);
  return {
    key: options.message.key,
    value: options.message.value,
    headers: {
      ...options.message.headers,
      [deadLetterHeaders.reason]: reason.length > maxReasonLength ? `${reason.slice(0, maxReasonLength)}…` : reason,
      [deadLetterHeaders.error]: error instanceof Error ? error.name : typeof error,
      [deadLetterHeaders.originalTopic]: options.topic,
      [deadLetterHeaders.originalPartition]: String(options.partition),
      [deadLetterHeaders.originalOffset]: options.offset,
      [deadLetterHeaders.attempts]: String(options.attempts),
      [deadLetterHeaders.failedAt]: options.failedAt.toISOString(),
    },
  };
}
