import type { LeadScalar } from '@l2o/contracts';

/** A string as rules compare it: Unicode-normalised, trimmed, lower case, single spaces. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Whether a field holds a value; an empty CSV cell arrives as `null` or an empty string. */
export function isPresent(value: LeadScalar | undefined): value is string | number | boolean {
  if (value === undefined || value === null) return false;
  return typeof value !== 'string' || value.trim() !== '';
}

/** A number, or a string that is one ("5000" from a CSV); `undefined` for anything else. */
export function numberOf(value: LeadScalar | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Equality as rules see it: numbers by value ("5000" equals 5000), everything else as normalised text. */
export function sameScalar(a: string | number | boolean, b: string | number | boolean): boolean {
  const left = numberOf(a);
  const right = numberOf(b);
  if (left !== undefined && right !== undefined) return left === right;
  return normalizeText(String(a)) === normalizeText(String(b));
}
