import type { z } from 'zod';

/** The issues a schema reports for some data, each with its dotted field path. */
export function issuesOf(schema: z.ZodType, data: unknown): Array<{ field: string; message: string }> {
  const result = schema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
}
