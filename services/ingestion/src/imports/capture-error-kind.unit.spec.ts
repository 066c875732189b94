import { describe, expect, it } from 'vitest';
import { DuplicateEventIdError } from '@l2o/event-store';
import { captureErrorKind, describeCaptureError } from './capture-error-kind.ts';

function pgError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('captureErrorKind', () => {
  it.each([
    ['text jsonb cannot hold', pgError('unsupported Unicode escape sequence', '22P05')],
    ['a NUL byte in text', pgError('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
    ['a number out of range', pgError('value "99999999999" is out of range for type integer', '22003')],
    ['a check constraint', pgError('new row violates check constraint', '23514')],
    ['a not-null constraint', pgError('null value in column "tenant_id" violates not-null constraint', '23502')],
    ['such an error as the cause', new Error('append failed', { cause: pgError('bad', '22P05') })],
    ['event ids stored by another append', new DuplicateEventIdError('lead-1', ['e1'], 'in another stream')],
  ])('calls %s permanent: the same row fails again', (_case, error) => {
    expect(captureErrorKind(error)).toBe('permanent');
  });

  it.each([
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a serialization failure', pgError('could not serialize access', '40001')],
    ['a deadlock', pgError('deadlock detected', '40P01')],
    ['a server shutting down', pgError('terminating connection due to administrator command', '57P01')],
    ['a connection exception', pgError('connection failure', '08006')],
  ])('calls %s transient', (_case, error) => {
    expect(captureErrorKind(error)).toBe('transient');
  });

  it.each([
    ['a unique violation, which a concurrent capture can cause', pgError('duplicate key value', '23505')],
    ['a programming error', new TypeError('cannot read properties of undefined')],
  ])('calls %s unknown', (_case, error) => {
    expect(captureErrorKind(error)).toBe('unknown');
  });
});

describe('describeCaptureError', () => {
  it('adds the SQLSTATE of a PostgreSQL error', () => {
    expect(describeCaptureError(pgError('unsupported Unicode escape sequence', '22P05'))).toBe(
      'unsupported Unicode escape sequence (SQLSTATE 22P05)',
    );
    expect(describeCaptureError(new Error('Connection terminated unexpectedly'))).toBe(
      'Connection terminated unexpectedly',
    );
  });
});
