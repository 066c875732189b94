/**
 * An event arrived whose predecessor in its stream the consumer never applied. The store keeps each
 * stream in order and the relay publishes it in order on one partition, so this means a lost message
 * or a consumer added without a back-fill. Applying it anyway would make the loss permanent and silent;
 * so, under the `refuse` policy, it fails like any other error: retried with backoff (riding out a
 * rebalance that delivers a partition twice), then dead-lettered, and the stream's later events fail the
 * same way until a rebuild or a back-fill repairs it.
 */
export class StreamGapError extends Error {
  readonly consumer: string;
  readonly streamId: string;
  readonly appliedVersion: number;
  readonly receivedVersion: number;

  constructor(options: { consumer: string; streamId: string; appliedVersion: number; receivedVersion: number }) {
    super(
      `${options.consumer}, stream ${options.streamId}: received version ${options.receivedVersion} ` +
        `but the last applied is ${options.appliedVersion}; events ${options.appliedVersion + 1}..` +
        `${options.receivedVersion - 1} are missing`,
    );
    this.name = 'StreamGapError';
    this.consumer = options.consumer;
    this.streamId = options.streamId;
    this.appliedVersion = options.appliedVersion;
    this.receivedVersion = options.receivedVersion;
  }
}
