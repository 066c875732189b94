import { describe, expect, it } from 'vitest';
import { START } from './event-store.port.ts';
import {
  InvalidFeedCursorError,
  decodeLogPositionCursor,
  decodeTransactionCursor,
  encodeLogPositionCursor,
  encodeTransactionCursor,
} from './feed-cursor.ts';

describe('transaction cursor', () => {
  it('round-trips a transaction id and position as "xid:position"', () => {
    const cursor = encodeTransactionCursor({ transactionId: 18_446_744_073_709_551_615n, position: 42n });

    expect(cursor).toBe('18446744073709551615:42');
    expect(decodeTransactionCursor(cursor)).toEqual({ transactionId: 18_446_744_073_709_551_615n, position: 42n });
  });

  it('decodes START as the position before every transaction', () => {
    expect(decodeTransactionCursor(START)).toEqual({ transactionId: 0n, position: 0n });
  });

  it.each([
    '',
    'end',
    '12',
    '12:',
    ':12',
    '-1:3',
    '1:2:3',
    '1.5:2',
    ' 1:2',
    '1:9223372036854775808',
    '18446744073709551616:1',
  ])('refuses %j', (cursor) => {
    expect(() => decodeTransactionCursor(cursor)).toThrow(InvalidFeedCursorError);
  });
});

describe('log position cursor', () => {
  it('round-trips a KurrentDB commit and prepare position as "commit:prepare"', () => {
    const cursor = encodeLogPositionCursor({ commit: 1_234n, prepare: 1_200n });

    expect(cursor).toBe('1234:1200');
    expect(decodeLogPositionCursor(cursor)).toEqual({ commit: 1_234n, prepare: 1_200n });
  });

  it('decodes START as no position (the beginning of $all)', () => {
    expect(decodeLogPositionCursor(START)).toBeUndefined();
  });

  it('refuses a cursor of another shape', () => {
    expect(() => decodeLogPositionCursor('commit:prepare')).toThrow(/expected "start" or "commit:prepare"/);
  });
});
