const needsCollapsing = /\s{2}|[^\S ]/;
const whitespaceRun = /\s+/g;

/** Trims and collapses inner whitespace to one space; empty or blank is undefined. */
export function normalizeName(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  const trimmed = input.trim();
  if (trimmed === '') return undefined;
  // Most names are already clean: test first so the common case allocates no second string.
  return needsCollapsing.test(trimmed) ? trimmed.replace(whitespaceRun, ' ') : trimmed;
}
