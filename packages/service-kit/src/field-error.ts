/** One invalid input field: its dotted path and why it was refused, as in `ErrorResponse.errors`. */
export type FieldError = { field: string; reason: string };

/** The parts of a zod issue (or of one Fastify carries as a validation error) that name a field. */
export type IssueLike = {
  code?: unknown;
  path: readonly PropertyKey[];
  message: string;
  /** The key's own issues, on a record key zod refused (`invalid_key`). */
  issues?: unknown;
};

function innerMessage(issues: unknown): string | undefined {
  if (!Array.isArray(issues)) return undefined;
  const [first] = issues as unknown[];
  if (typeof first !== 'object' || first === null) return undefined;
  const message = (first as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * A zod issue as `{field, reason}`: the field is the dotted path (`company.name`), `root` for the
 * whole input. A refused record key (`customFields` with a key holding a NUL) names the record and
 * quotes the key in the reason, JSON-escaped, so neither the field nor a log line carries the raw key.
 */
export function fieldErrorOf(issue: IssueLike, root = 'body'): FieldError {
  const path = issue.path.map(String);
  if (issue.code === 'invalid_key' && path.length > 0) {
    const key = path.pop() as string;
    const why = innerMessage(issue.issues) ?? issue.message;
    return { field: path.length === 0 ? root : path.join('.'), reason: `key ${JSON.stringify(key)}: ${why}` };
  }
  return { field: path.length === 0 ? root : path.join('.'), reason: issue.message };
}
