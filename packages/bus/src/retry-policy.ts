import { PermanentError } from './errors.ts';

/**
 * How the consumer treats a handler error:
 * - `transient`: infrastructure trouble; retried without limit, so an outage stalls the partition instead of dead-lettering it.
 * - `permanent`: can never succeed; dead-lettered at once.
 * - `unknown`: anything else; retried `maxAttempts` times, then dead-lettered.
 */
export type ErrorKind = 'transient' | 'permanent' | 'unknown';

/** Backoff between attempts of one message. */
export type RetryOptions = {
  /** Attempts for an `unknown` error before the message is dead-lettered (default 5). */
  maxAttempts?: number;
  /** Delay before the second attempt (default 200 ms). */
  initialDelayMs?: number;
  /** Cap of the delay, also for endless transient retries (default 30 s). */
  maxDelayMs?: number;
  /** Growth factor per attempt (default 2). */
  multiplier?: number;
};

export type ResolvedRetryOptions = Required<RetryOptions>;

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const resolved = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 30_000, multiplier: 2, ...options };
  if (!(resolved.maxAttempts >= 1))
    throw new Error(`retry.maxAttempts must be at least 1, got ${resolved.maxAttempts}`);
  return resolved;
}

/** Exponential backoff with jitter: between half and all of `initial * multiplier^(attempt-1)`, capped. */
export function backoffDelay(
  attempt: number,
  options: ResolvedRetryOptions,
  random: () => number = Math.random,
): number {
  const exponential = options.initialDelayMs * options.multiplier ** Math.max(0, attempt - 1);
  const capped = Math.min(options.maxDelayMs, exponential);
  // Jitter spreads the retries of many consumers hit by the same outage.
  return Math.round(capped / 2 + (random() * capped) / 2);
}

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

// PostgreSQL SQLSTATEs that go away by themselves: server restarting, too many connections, serialization and deadlock aborts.
const transientSqlStates = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

const transientKafkaErrors = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
]);

/**
 * SQLSTATE classes where the message's own data is at fault, so it fails the same way again: a data
 * exception (22: text PostgreSQL cannot store, a number out of range) or an integrity violation (23),
 * but for a unique violation, which a concurrent writer can cause and a retry then resolves.
 */
function isDataFault(sqlState: string): boolean {
  return sqlState.startsWith('22') || (sqlState.startsWith('23') && sqlState !== '23505');
}

// node-postgres reports a lost or unobtainable connection without a SQLSTATE.
const transientMessages =
  /connection terminated|timeout exceeded when trying to connect|not queryable|connection timeout/i;

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  retriable?: unknown;
  canRetry?: unknown;
  issues?: unknown;
  cause?: unknown;
  errors?: unknown;
};

function classifyOne(error: ErrorLike): ErrorKind | undefined {
  const name = typeof error.name === 'string' ? error.name : '';
  if (error instanceof PermanentError || name === 'PermanentError' || name === 'EnvelopeDecodeError')
    return 'permanent';
  if (name === 'ZodError' && Array.isArray(error.issues)) return 'permanent';

  const code = typeof error.code === 'string' ? error.code : '';
  if (networkErrorCodes.has(code)) return 'transient';
  const sqlState = /^[0-9A-Z]{5}$/.test(code) ? code : '';
  if (sqlState !== '' && (sqlState.startsWith('08') || transientSqlStates.has(sqlState))) return 'transient';
  if (sqlState !== '' && isDataFault(sqlState)) return 'permanent';
  if (name.startsWith('KafkaJS') && (error.retriable === true || transientKafkaErrors.has(name))) return 'transient';
  // @platformatic/kafka: a lost connection, a timeout, or a broker error it marks retriable.
  if (code === 'PLT_KFK_NETWORK' || code === 'PLT_KFK_TIMEOUT') return 'transient';
  if (code.startsWith('PLT_KFK_') && error.canRetry === true) return 'transient';
  if (name === 'TimeoutError') return 'transient';
  if (typeof error.message === 'string' && transientMessages.test(error.message)) return 'transient';
  return undefined;
}

/**
 * Classifies a handler error. The outermost error that says something decides, so a handler can wrap
 * a low-level error in a {@link PermanentError}; causes (and the parts of an AggregateError) are searched after it.
 * Besides `PermanentError`, an invalid envelope and a zod error, a PostgreSQL data exception (SQLSTATE
 * class 22) and an integrity violation (class 23, but a unique violation) are permanent.
 */
export function classifyError(error: unknown): ErrorKind {
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < 20) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const candidate = current as ErrorLike;
    const kind = classifyOne(candidate);
    if (kind) return kind;
    if (candidate.cause !== undefined) queue.push(candidate.cause);
    if (Array.isArray(candidate.errors)) queue.push(...(candidate.errors as unknown[]));
  }
  return 'unknown';
}
