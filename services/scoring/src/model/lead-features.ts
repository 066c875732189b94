import type { LeadScalar } from '@l2o/contracts';
import { isPresent, normalizeText, numberOf } from './scalar-value.ts';
import { fieldValue } from './scoring-input.ts';
import type { FieldPath, ScoringInput } from './scoring-input.ts';
import type { LeadFeatures } from './naive-bayes.ts';

/** The value of a feature the lead lacks; it is learnt like any other value. */
export const unknownFeatureValue = 'unknown';

const employeeBands: readonly [number, string][] = [
  [5000, '5000+'],
  [1000, '1000-4999'],
  [200, '200-999'],
  [50, '50-199'],
  [1, '1-49'],
];

/** A company size as a band, so that 120 and 130 employees count as the same value. */
export function employeeBand(employees: number): string {
  return employeeBands.find(([lowest]) => employees >= lowest)?.[1] ?? unknownFeatureValue;
}

/** Any other number by its order of magnitude: 0, 1-9, 10-99, 100-999, … */
function magnitudeBand(number: number): string {
  if (number < 0) return 'negative';
  if (number < 1) return '0';
  const lowest = 10 ** Math.floor(Math.log10(number));
  return `${lowest}-${lowest * 10 - 1}`;
}

function featureValue(path: FieldPath, value: LeadScalar | undefined): string {
  if (!isPresent(value)) return unknownFeatureValue;
  if (typeof value === 'boolean') return String(value);
  if (path === 'company.size') return employeeBand(numberOf(value) ?? Number.NaN);
  if (typeof value === 'number') return magnitudeBand(value);
  return normalizeText(value);
}

/**
 * A lead as string features for the predictive model: text normalised, company size in bands
 * (1-49, 50-199, 200-999, 1000-4999, 5000+), other numbers by order of magnitude, and a missing
 * value as `unknown`.
 */
export function featuresOf(
  input: Pick<ScoringInput, 'profile' | 'firstTouch'>,
  featurePaths: readonly FieldPath[],
): LeadFeatures {
  return Object.fromEntries(featurePaths.map((path) => [path, featureValue(path, fieldValue(input, path))]));
}
