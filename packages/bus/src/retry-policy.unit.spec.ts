import { describe, expect, it } from 'vitest';
import { MultipleErrors, NetworkError, ProtocolError, TimeoutError } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import { cloudEventAttributesSchema } from '@l2o/contracts';
import { EnvelopeDecodeError, PermanentError } from './errors.ts';
import { backoffDelay, classifyError, resolveRetryOptions } from './retry-policy.ts';

const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function zodError(): unknown {
  try {
    cloudEventAttributesSchema.parse({});
  } catch (error) {
    return error;
  }
  throw new Error('expected a ZodError');
}

describe('classifyError', () => {
  describe('permanent', () => {
    it.each([
      ['a PermanentError', new PermanentError('lead does not exist')],
      ['an envelope decode error', new EnvelopeDecodeError('missing header ce_id', { header: 'ce_id' })],
      ['a zod validation error', zodError()],
      [
        'a PermanentError wrapping a connection error',
        new PermanentError('gave up', { cause: withCode('refused', 'ECONNREFUSED') }),
      ],
      ['pg text jsonb cannot hold (class 22)', withCode('unsupported Unicode escape sequence', '22P05')],
      ['pg NUL byte in text', withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
      ['pg number out of range', withCode('value "99999999999" is out of range for type integer', '22003')],
      ['pg check constraint (class 23)', withCode('new row violates check constraint', '23514')],
      ['pg not-null constraint', withCode('null value in column "tenant_id" violates not-null constraint', '23502')],
      ['pg foreign key violation', withCode('insert or update violates foreign key constraint', '23503')],
      ['a wrapped pg data exception', new Error('apply failed', { cause: withCode('bad', '22P05') })],
    ])('%s', (_label, error) => {
      expect(classifyError(error)).toBe('permanent');
    });
  });

  describe('transient', () => {
    it.each([
      ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
      ['connection reset', withCode('read ECONNRESET', 'ECONNRESET')],
      ['a socket timeout', withCode('timed out', 'ETIMEDOUT')],
      ['pg connection failure (class 08)', withCode('connection failure', '08006')],
      ['pg admin shutdown', withCode('terminating connection due to administrator command', '57P01')],
      ['pg too many connections', withCode('sorry, too many clients already', '53300')],
      ['pg serialization failure', withCode('could not serialize access', '40001')],
      ['pg deadlock', withCode('deadlock detected', '40P01')],
      ['pg lost connection', new Error('Connection terminated unexpectedly')],
      ['pg pool timeout', new Error('timeout exceeded when trying to connect')],
      ['a KafkaJS connection error', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED')],
      [
        'KafkaJS retries exhausted',
        new KafkaJSNumberOfRetriesExceeded(new Error('boom'), { retryCount: 5, retryTime: 100 }),
      ],
      [
        'a retriable KafkaJS protocol error',
        new KafkaJSProtocolError(
          Object.assign(new Error('leader not available'), { type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true }),
        ),
      ],
      ['a @platformatic/kafka network error', new NetworkError('Connection closed')],
      ['a @platformatic/kafka request timeout', new TimeoutError('Request timed out')],
      ['a retriable @platformatic/kafka protocol error', new ProtocolError('LEADER_NOT_AVAILABLE')],
      [
        '@platformatic/kafka retries exhausted on a lost connection',
        new MultipleErrors('produce failed 6 times.', [new NetworkError('Connection closed')]),
      ],
      ['an abort timeout', new DOMException('The operation timed out', 'TimeoutError')],
      [
        'a wrapped connection error',
        new Error('fetch failed', { cause: withCode('connect', 'UND_ERR_CONNECT_TIMEOUT') }),
      ],
      [
        'an AggregateError of refused connections',
        new AggregateError([withCode('a', 'ECONNREFUSED'), withCode('b', 'ECONNREFUSED')], 'all failed'),
      ],
    ])('%s', (_label, error) => {
      expect(classifyError(error)).toBe('transient');
    });
  });

  describe('unknown', () => {
    it.each([
      ['a plain error', new Error('something odd')],
      ['a pg unique violation, which a concurrent writer can cause', withCode('duplicate key value', '23505')],
      ['a pg syntax error (class 42, the code at fault)', withCode('syntax error at or near "SELEC"', '42601')],
      [
        'a non-retriable KafkaJS protocol error',
        new KafkaJSProtocolError(
          Object.assign(new Error('bad'), { type: 'INVALID_REQUEST', code: 42, retriable: false }),
        ),
      ],
      ['a non-retriable @platformatic/kafka protocol error', new ProtocolError('INVALID_REQUEST')],
      ['a thrown string', 'oops'],
      ['undefined', undefined],
    ])('%s', (_label, error) => {
      expect(classifyError(error)).toBe('unknown');
    });
  });
});

describe('backoffDelay', () => {
  const options = resolveRetryOptions({ initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2 });

  it('grows exponentially with jitter between half and all of the step', () => {
    expect(backoffDelay(1, options, () => 0)).toBe(50);
    expect(backoffDelay(1, options, () => 1)).toBe(100);
    expect(backoffDelay(3, options, () => 0)).toBe(200);
    expect(backoffDelay(3, options, () => 1)).toBe(400);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelay(60, options, () => 1)).toBe(1_000);
    expect(backoffDelay(10_000, options, () => 1)).toBe(1_000);
  });

  it('rejects a maxAttempts below one', () => {
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
