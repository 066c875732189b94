import { START } from './event-store.port.ts';
import type { FeedCursor } from './event-store.port.ts';

/** Where the PostgreSQL feed stands: after the event at `position` written by transaction `transactionId`. */
export type TransactionCursor = { transactionId: bigint; position: bigint };

/** Where the KurrentDB feed stands: the `$all` log position of the last event read. */
export type LogPositionCursor = { commit: bigint; prepare: bigint };

const twoNumbers = /^(\d{1,20}):(\d{1,20})$/;
const maxUint64 = 0xffff_ffff_ffff_ffffn;
const maxInt64 = 0x7fff_ffff_ffff_ffffn;

/** Encodes a PostgreSQL feed position as the opaque `xid:position` cursor. */
export function encodeTransactionCursor(cursor: TransactionCursor): FeedCursor {
  return `${cursor.transactionId}:${cursor.position}`;
}

/** Decodes an `xid:position` cursor; `START` is the position before every transaction. */
export function decodeTransactionCursor(cursor: FeedCursor): TransactionCursor {
  if (cursor === START) return { transactionId: 0n, position: 0n };
  const [transactionId, position] = parseTwoNumbers(cursor, 'xid:position', maxUint64, maxInt64);
  return { transactionId, position };
}

/** Encodes a KurrentDB `$all` position as the opaque `commit:prepare` cursor. */
export function encodeLogPositionCursor(cursor: LogPositionCursor): FeedCursor {
  return `${cursor.commit}:${cursor.prepare}`;
}

/** Decodes a `commit:prepare` cursor; `START` is returned as `undefined` (the beginning of `$all`). */
export function decodeLogPositionCursor(cursor: FeedCursor): LogPositionCursor | undefined {
  if (cursor === START) return undefined;
  const [commit, prepare] = parseTwoNumbers(cursor, 'commit:prepare', maxUint64, maxUint64);
  return { commit, prepare };
}

// The bounds are those of the database columns (xid8 and bigint in PostgreSQL, uint64 in KurrentDB),
// so a cursor that parses can always be sent back as a query parameter.
function parseTwoNumbers(cursor: string, shape: string, maxFirst: bigint, maxSecond: bigint): [bigint, bigint] {
  const match = twoNumbers.exec(cursor);
  if (!match?.[1] || !match[2]) throw new InvalidFeedCursorError(cursor, shape);
  const first = BigInt(match[1]);
  const second = BigInt(match[2]);
  if (first > maxFirst || second > maxSecond) throw new InvalidFeedCursorError(cursor, shape);
  return [first, second];
}

/** A cursor that this store never issued (wrong shape, or from the other adapter). */
export class InvalidFeedCursorError extends Error {
  readonly cursor: string;
  constructor(cursor: string, shape: string) {
    super(`invalid feed cursor ${JSON.stringify(cursor)}: expected "${START}" or "${shape}"`);
    this.name = 'InvalidFeedCursorError';
    this.cursor = cursor;
  }
}
