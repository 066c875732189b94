import { describe, expect, it } from 'vitest';
import {
  assertValidAppends,
  assertValidFromVersion,
  assertValidMaxCount,
  satisfiesExpectedVersion,
} from './append-validation.ts';
import type { NewEvent } from './event-store.port.ts';

const event = (id: string, schemaVersion?: number): NewEvent => ({
  id,
  type: 'LeadCaptured',
  ...(schemaVersion === undefined ? {} : { schemaVersion }),
  data: {},
  metadata: { tenantId: 'tenant-1' },
});

describe('assertValidAppends', () => {
  it('accepts distinct streams with distinct event ids', () => {
    expect(() =>
      assertValidAppends([
        { streamId: 'lead-1', events: [event('a'), event('b', 2)], expectedVersion: 3 },
        { streamId: 'lead-2', events: [], expectedVersion: 'no_stream' },
      ]),
    ).not.toThrow();
  });

  it('refuses a stream named twice', () => {
    expect(() =>
      assertValidAppends([
        { streamId: 'lead-1', events: [event('a')], expectedVersion: 'any' },
        { streamId: 'lead-1', events: [event('b')], expectedVersion: 'any' },
      ]),
    ).toThrow('stream lead-1 appears twice');
  });

  it('refuses an event id used twice, also across streams', () => {
    expect(() =>
      assertValidAppends([
        { streamId: 'lead-1', events: [event('a')], expectedVersion: 'any' },
        { streamId: 'lead-2', events: [event('a')], expectedVersion: 'any' },
      ]),
    ).toThrow('event id a appears twice');
  });

  it.each([-1, 1.5, Number.NaN])('refuses the expected version %s', (expectedVersion) => {
    expect(() => assertValidAppends([{ streamId: 'lead-1', events: [event('a')], expectedVersion }])).toThrow(
      RangeError,
    );
  });

  it('refuses a blank stream id and a schema version below 1', () => {
    expect(() => assertValidAppends([{ streamId: '', events: [], expectedVersion: 'any' }])).toThrow('non-empty');
    expect(() => assertValidAppends([{ streamId: 'lead-1', events: [event('a', 0)], expectedVersion: 'any' }])).toThrow(
      'schemaVersion',
    );
  });
});

describe('satisfiesExpectedVersion', () => {
  it.each([
    ['any', 'no_stream', true],
    ['any', 4, true],
    ['no_stream', 'no_stream', true],
    ['no_stream', 1, false],
    ['stream_exists', 'no_stream', false],
    ['stream_exists', 2, true],
    [0, 'no_stream', true],
    [2, 2, true],
    [2, 3, false],
    [1, 'no_stream', false],
  ] as const)('expected %j on a stream at %j: %s', (expected, actual, satisfied) => {
    expect(satisfiesExpectedVersion(expected, actual)).toBe(satisfied);
  });
});

describe('assertValidMaxCount', () => {
  it('accepts no limit or a positive integer, refuses anything else', () => {
    expect(() => assertValidMaxCount(undefined)).not.toThrow();
    expect(() => assertValidMaxCount(10)).not.toThrow();
    expect(() => assertValidMaxCount(0)).toThrow(RangeError);
    expect(() => assertValidMaxCount(2.5)).toThrow(RangeError);
  });
});

describe('assertValidFromVersion', () => {
  it('accepts versions from 1 and refuses 0, negatives and fractions', () => {
    expect(() => assertValidFromVersion(1)).not.toThrow();
    expect(() => assertValidFromVersion(0)).toThrow(RangeError);
    expect(() => assertValidFromVersion(-2)).toThrow(RangeError);
    expect(() => assertValidFromVersion(1.5)).toThrow(RangeError);
  });
});
