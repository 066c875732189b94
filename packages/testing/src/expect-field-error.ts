import { expect } from 'vitest';
import type { TestResponse } from './request-with-api-key.ts';

/** What an error answer in service-kit's format (`{status, code, field, reason}`) must say. */
export type ExpectedFieldError = {
  field: string;
  /** A RegExp must match the reason, a string must equal it; left out, any non-empty reason will do. */
  reason?: string | RegExp;
  /** `validation_failed` for a schema's refusal, `bad_request`, `not_found`…; left out, any code. */
  code?: string;
  /** Default 400. */
  status?: number;
};

function reasonMatcher(reason: string | RegExp | undefined): unknown {
  if (reason === undefined) return expect.stringMatching(/./);
  return reason instanceof RegExp ? expect.stringMatching(reason) : reason;
}

/**
 * Asserts an error answer naming `expected.field`: the status (400 unless given) and a body with the
 * same status, the field, the reason and, when given, the code. A RegExp reason goes through
 * `expect.stringMatching`: a bare RegExp inside `toMatchObject` matches any string.
 */
export function expectFieldError(response: TestResponse, expected: ExpectedFieldError): void {
  const status = expected.status ?? 400;
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toMatchObject({
    status,
    ...(expected.code === undefined ? {} : { code: expected.code }),
    field: expected.field,
    reason: reasonMatcher(expected.reason),
  });
}
