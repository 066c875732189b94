import type { z } from 'zod';

export type ConfigIssue = { variable: string; reason: string };

/** The environment does not satisfy a service's config schema; the message names every bad variable. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(`invalid configuration: ${issues.map((issue) => `${issue.variable}: ${issue.reason}`).join('; ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

// Values of these variables may be credentials, so an error never repeats them.
const secretName = /PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL/i;

function describeValue(variable: string, value: string | undefined): string {
  if (value === undefined) return '(not set)';
  if (secretName.test(variable)) return '(value hidden)';
  return `(got ${JSON.stringify(value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@'))})`;
}

/**
 * Parses the environment with a service's zod object schema, once, at start-up.
 * An empty variable counts as unset, so its default applies.
 * @throws {@link ConfigError} naming each bad variable and why, e.g.
 *   `invalid configuration: PORT: expected a number between 1 and 65535 (got "abc")`.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.output<Schema> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const issues: ConfigIssue[] = [];
  for (const issue of result.error.issues) {
    const variable = String(issue.path[0] ?? '(environment)');
    // One line per variable: a list's element issues repeat what its first one says.
    if (issues.some((known) => known.variable === variable)) continue;
    const value = present[variable];
    const reason = value === undefined && issue.code === 'invalid_type' ? 'required' : issue.message;
    issues.push({ variable, reason: `${reason} ${describeValue(variable, value)}` });
  }
  throw new ConfigError(issues);
}
