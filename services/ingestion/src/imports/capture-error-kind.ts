import { classifyError } from '@l2o/bus';
import type { ErrorKind } from '@l2o/bus';

type ErrorLike = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };

/** The SQLSTATE of a PostgreSQL error, or of the error it wraps. */
export function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, cause } = current as ErrorLike;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

/**
 * How the import processor treats an error thrown while capturing a row: `permanent` rejects the
 * row at once, `transient` retries and then gives the import back for a later attempt, `unknown`
 * retries and then rejects the row. Besides the consumers' rules (`classifyError`), the row's own
 * data is at fault for a data exception (SQLSTATE class 22: text PostgreSQL cannot store, a number
 * out of range) and an integrity violation (class 23), but for a unique violation, which a
 * concurrent capture can cause and a retry then resolves.
 */
export function captureErrorKind(error: unknown): ErrorKind {
  const state = sqlStateOf(error);
  if (state !== undefined && (state.startsWith('22') || (state.startsWith('23') && state !== '23505'))) {
    return 'permanent';
  }
  // Some of the events' ids are stored already, but not as this append: resending cannot succeed.
  if (error instanceof Error && error.name === 'DuplicateEventIdError') return 'permanent';
  return classifyError(error);
}

/** The error's message with its SQLSTATE, for a rejection reason or an import's error. */
export function describeCaptureError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const state = sqlStateOf(error);
  return state === undefined ? message : `${message} (SQLSTATE ${state})`;
}
