/**
 * Thrown by a handler for a message that can never succeed (invalid content, a rule violation that
 * will not change): the consumer sends it to the dead-letter topic at once instead of retrying.
 */
export class PermanentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** A Kafka message is not a valid CloudEvent in binary mode; `header` names the first offending header. */
export class EnvelopeDecodeError extends PermanentError {
  readonly header: string | undefined;

  constructor(message: string, options: { header?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'EnvelopeDecodeError';
    this.header = options.header;
  }
}
