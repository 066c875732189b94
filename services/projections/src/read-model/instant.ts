/**
 * Instants as ISO 8601 text (`2025-03-14T09:26:53.123456Z`, `…+01:00`), compared the way PostgreSQL
 * compares them once stored as timestamptz: to the microsecond, a longer fraction rounded. Folds that
 * apply a batch in memory keep times as text, since a Date would drop the microseconds a row holds.
 */
export type Instant = string;

const isoInstant = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

type Parsed = { secondsMs: number; micros: number };

const parsedCache = new Map<string, Parsed>();

function parse(instant: Instant): Parsed {
  let parsed = parsedCache.get(instant);
  if (parsed !== undefined) return parsed;
  const match = isoInstant.exec(instant);
  const secondsMs = match ? Date.parse(`${match[1]}${match[3]}`) : Number.NaN;
  if (!match || Number.isNaN(secondsMs)) throw new RangeError(`not an ISO 8601 instant: ${instant}`);
  // PostgreSQL reads the fraction as a double and rounds it to whole microseconds, half to even.
  const micros = roundHalfEven(Number(`0.${match[2] ?? '0'}`) * 1_000_000);
  parsed = micros === 1_000_000 ? { secondsMs: secondsMs + 1000, micros: 0 } : { secondsMs, micros };
  if (parsedCache.size > 100_000) parsedCache.clear();
  parsedCache.set(instant, parsed);
  return parsed;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const rest = value - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Negative when `a` is earlier than `b`, zero for the same microsecond, positive when later. */
export function compareInstants(a: Instant, b: Instant): number {
  const left = parse(a);
  const right = parse(b);
  return left.secondsMs - right.secondsMs || left.micros - right.micros;
}

/** PostgreSQL's `GREATEST(a, b)` on timestamps: the later one, null only when both are. */
export function laterInstant(a: Instant | null, b: Instant | null): Instant | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareInstants(b, a) > 0 ? b : a;
}

/** The same microsecond however written: a key for maps of rows keyed by a timestamptz. */
export function instantKey(instant: Instant): string {
  const { secondsMs, micros } = parse(instant);
  return `${secondsMs}.${micros}`;
}
