/** One invalid input field: its dotted path and why it was refused, as in `ErrorResponse.errors`. */
export type FieldError = { field: string; reason: string };

/** The parts of a zod issue (or of one Fastify carries as a validation error) that name a field. */
export type IssueLike = {
  code?: unknown;
  path: readonly PropertyKey[];
  message: string;
  /** The key's own issues, on a record key zod refused (`invalid_key`). */
  issues?: unknown;
  /** Each option's issues, on a value no option of a union took (`invalid_union`). */
  errors?: unknown;
};

function isIssue(value: unknown): value is IssueLike {
  if (typeof value !== 'object' || value === null) return false;
  const { path, message } = value as { path?: unknown; message?: unknown };
  return Array.isArray(path) && typeof message === 'string';
}

function issuesIn(value: unknown): IssueLike[] {
  return Array.isArray(value) ? value.filter(isIssue) : [];
}

/**
 * The issue that says why a union refused a value: when exactly one option had the value's type (a
 * string for `string | number | boolean`), that option's first issue; otherwise none, and the union's
 * own "Invalid input" stands.
 */
function unionCause(issue: IssueLike): IssueLike | undefined {
  if (!Array.isArray(issue.errors)) return undefined;
  const typed = (issue.errors as unknown[])
    .map(issuesIn)
    .filter((issues) => issues.length > 0 && issues.some((inner) => inner.code !== 'invalid_type'));
  const [only] = typed;
  if (typed.length !== 1 || only === undefined) return undefined;
  const [first] = only as [IssueLike];
  return { ...first, path: [...issue.path, ...first.path] };
}

/**
 * A zod issue as `{field, reason}`: the field is the dotted path (`company.name`), `root` for the
 * whole input. A refused record key (`customFields` with a key holding a NUL) names the record and
 * quotes the key in the reason, JSON-escaped, so neither the field nor a log line carries the raw key.
 * A value a union refused gives the reason of the one option of its type (`string | number` refusing
 * a string says why the string was refused), not zod's bare "Invalid input".
 */
export function fieldErrorOf(issue: IssueLike, root = 'body'): FieldError {
  const path = issue.path.map(String);
  if (issue.code === 'invalid_key' && path.length > 0) {
    const key = path.pop() as string;
    const why = issuesIn(issue.issues)[0]?.message ?? issue.message;
    return { field: path.length === 0 ? root : path.join('.'), reason: `key ${JSON.stringify(key)}: ${why}` };
  }
  if (issue.code === 'invalid_union') {
    const cause = unionCause(issue);
    if (cause !== undefined) return fieldErrorOf(cause, root);
  }
  return { field: path.length === 0 ? root : path.join('.'), reason: issue.message };
}
