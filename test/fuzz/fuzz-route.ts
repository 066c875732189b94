import fc from 'fast-check';
import { requestWithApiKey } from '@l2o/testing';
import type { TestResponse } from '@l2o/testing';
import type { FuzzFailure, RouteReport } from './fuzz-report.ts';
import { fixedParts, fixedRequests, requestArbitrary } from './fuzz-requests.ts';
import type { FuzzRequest } from './fuzz-requests.ts';
import { changedTables, rowCounts } from './row-counts.ts';
import type { ServiceUnderTest } from './service-apps.fixture.ts';
import type { WriteOperation } from './write-operations.ts';

// A request still unanswered by then is a hang (a leaked pool client, a lock never released).
export const answerDeadlineMs = 10_000;

/** Resolves with `undefined` when `work` has not settled within `ms`. */
export async function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with a refusal's body, measured against service-kit's `{status, code, field?, reason}`. */
function errorBodyProblem(response: TestResponse): string | undefined {
  let body: { status?: unknown; code?: unknown; reason?: unknown };
  try {
    body = response.json();
  } catch {
    return 'refused without a JSON error body';
  }
  if (body.status !== response.statusCode) return `refused with an error body whose status is ${String(body.status)}`;
  if (typeof body.code !== 'string' || typeof body.reason !== 'string' || body.reason === '') {
    return 'refused with an error body lacking code or reason';
  }
  return undefined;
}

function isPrototypePolluted(): boolean {
  return (
    Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') ||
    ({} as { polluted?: unknown }).polluted !== undefined
  );
}

/** How one route took its inputs; `hung` when one got no answer, after which the service is not to be trusted. */
export type RouteOutcome = { report: RouteReport; failures: FuzzFailure[]; hung: boolean };

/**
 * Sends `operation` its fixed edge cases and `generated` inputs drawn with `seed`, one at a time,
 * counting every table of the service's schema around each: a 5xx, a hang, a refusal outside the
 * common error body, a refusal that left rows behind, or a polluted `Object.prototype` is a failure.
 */
export async function fuzzRoute(options: {
  service: ServiceUnderTest;
  operation: WriteOperation;
  tables: readonly string[];
  seed: number;
  generated: number;
}): Promise<RouteOutcome> {
  const { service, operation, tables, seed } = options;
  const route = `${operation.method} ${operation.path}`;
  const requests: FuzzRequest[] = [
    ...fixedRequests(operation, fixedParts(operation, service.known, seed)),
    ...fc.sample(requestArbitrary(operation, service.known), { seed, numRuns: options.generated }),
  ];
  const statuses = new Map<number, number>();
  const failures: FuzzFailure[] = [];
  const outcome = (hung: boolean): RouteOutcome => ({
    report: { route, inputs: [...statuses.values()].reduce((sum, count) => sum + count, 0), statuses },
    failures,
    hung,
  });

  let before = await rowCounts(service.pool, tables);
  for (const request of requests) {
    const response = await within(
      answerDeadlineMs,
      requestWithApiKey(service.app, {
        method: request.method,
        url: request.url,
        apiKey: service.apiKey,
        headers: request.headers,
        ...(request.payload === undefined ? {} : { body: request.payload }),
      }),
    );
    if (response === undefined) {
      statuses.set(0, (statuses.get(0) ?? 0) + 1);
      const problem = `no answer within ${answerDeadlineMs} ms; the service's other inputs were skipped`;
      failures.push({ route, request, status: 0, problem, responseBody: '' });
      return outcome(true);
    }
    const status = response.statusCode;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const after = await rowCounts(service.pool, tables);
    const failed = (problem: string) => failures.push({ route, request, status, problem, responseBody: response.body });
    const changed = status >= 400 ? changedTables(before, after) : [];
    const written = changed.length > 0 ? `rows were written to ${changed.join(', ')}` : undefined;
    if (status >= 500) failed(written === undefined ? 'server error' : `server error, yet ${written}`);
    if (status < 500 && written !== undefined) failed(`refused, yet ${written}`);
    const bodyProblem = status >= 400 && status < 500 ? errorBodyProblem(response) : undefined;
    if (bodyProblem !== undefined) failed(bodyProblem);
    if (isPrototypePolluted()) {
      failed('Object.prototype was polluted');
      delete (Object.prototype as { polluted?: unknown }).polluted;
    }
    before = after;
  }
  return outcome(false);
}
