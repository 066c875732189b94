import { describe, expect, it } from 'vitest';
import { expectFieldError } from './expect-field-error.ts';
import type { TestResponse } from './request-with-api-key.ts';

function answer(statusCode: number, body: unknown): TestResponse {
  const text = JSON.stringify(body);
  return { statusCode, headers: {}, body: text, json: <T>() => JSON.parse(text) as T };
}

const refusal = answer(400, {
  status: 400,
  code: 'validation_failed',
  field: 'firstName',
  reason: 'contains a NUL character (\\u0000) at position 3, which cannot be stored; remove it',
});

describe('expectFieldError', () => {
  it('passes for the field, a reason the RegExp matches and the code', () => {
    expectFieldError(refusal, { field: 'firstName', reason: /^contains a NUL character/, code: 'validation_failed' });
    expectFieldError(refusal, { field: 'firstName' });
  });

  it.each([
    ['a reason the RegExp does not match', { field: 'firstName', reason: /lone surrogate/ }],
    ['a reason that is not the string', { field: 'firstName', reason: 'contains a NUL character' }],
    ['another field', { field: 'lastName' }],
    ['another code', { field: 'firstName', code: 'bad_request' }],
    ['another status', { field: 'firstName', status: 409 }],
  ])('fails for %s', (_case, expected) => {
    expect(() => expectFieldError(refusal, expected)).toThrow();
  });

  it('fails for an answer without a reason, or whose body says another status', () => {
    expect(() =>
      expectFieldError(answer(400, { status: 400, code: 'validation_failed', field: 'email' }), { field: 'email' }),
    ).toThrow();
    expect(() =>
      expectFieldError(answer(400, { status: 422, field: 'email', reason: 'invalid' }), { field: 'email' }),
    ).toThrow();
  });
});
