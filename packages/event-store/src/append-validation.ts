import { ConcurrencyError, DuplicateEventIdError } from './event-store.port.ts';
import type { AppendResult, ExpectedVersion, StreamAppend } from './event-store.port.ts';

/**
 * Rejects requests that no store could honour, before any I/O: a blank stream id, a stream named
 * twice in one `appendToStreams`, an event id used twice in one request, a negative or fractional
 * expected version.
 */
export function assertValidAppends(appends: StreamAppend[]): void {
  const streams = new Set<string>();
  const eventIds = new Set<string>();
  for (const { streamId, events, expectedVersion } of appends) {
    if (typeof streamId !== 'string' || streamId.length === 0)
      throw new TypeError('stream id must be a non-empty string');
    if (streams.has(streamId)) throw new TypeError(`stream ${streamId} appears twice in one append; merge its events`);
    streams.add(streamId);
    assertValidExpectedVersion(expectedVersion);
    for (const event of events) {
      if (eventIds.has(event.id)) throw new TypeError(`event id ${event.id} appears twice in one append`);
      eventIds.add(event.id);
      if (event.schemaVersion !== undefined && (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1)) {
        throw new TypeError(`event ${event.id}: schemaVersion must be a positive integer`);
      }
    }
  }
}

function assertValidExpectedVersion(expected: ExpectedVersion): void {
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new RangeError(`expected version must be a non-negative integer, got ${expected}`);
  }
}

/** Whether a stream currently at `actual` meets `expected`; a stream at version 0 does not exist. */
export function satisfiesExpectedVersion(expected: ExpectedVersion, actual: number | 'no_stream'): boolean {
  const version = actual === 'no_stream' ? 0 : actual;
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return version === 0;
    case 'stream_exists':
      return version > 0;
    default:
      return version === expected;
  }
}

/** The result of an append with no events: only the expected version is checked, nothing is written. */
export function settleEmptyAppend(append: StreamAppend, actual: number | 'no_stream'): AppendResult {
  if (!satisfiesExpectedVersion(append.expectedVersion, actual)) {
    throw new ConcurrencyError(append.streamId, append.expectedVersion, actual);
  }
  return { nextExpectedVersion: actual === 'no_stream' ? 0 : actual, appended: 0 };
}

/** The error for a retry that resends only some of the first attempt's events. */
export function partialRetryError(streamId: string, ids: string[], total: number): DuplicateEventIdError {
  return new DuplicateEventIdError(
    streamId,
    ids,
    `${ids.length} of the ${total} events are already in the stream; a retry must resend exactly the events of the first attempt`,
  );
}

/** Validates an optional page size; `undefined` means "no limit" to the caller. */
export function assertValidMaxCount(maxCount: number | undefined): void {
  if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount > 0)) {
    throw new RangeError(`maxCount must be a positive integer, got ${maxCount}`);
  }
}

/** Validates the first stream version to read; versions start at 1. */
export function assertValidFromVersion(fromVersion: number): void {
  if (!(Number.isSafeInteger(fromVersion) && fromVersion >= 1)) {
    throw new RangeError(`fromVersion must be an integer from 1, got ${fromVersion}`);
  }
}
