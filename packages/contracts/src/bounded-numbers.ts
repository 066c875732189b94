import { z } from 'zod';

/**
 * The largest PostgreSQL `integer` (int4). Counts, versions and settings that a read model keeps in an
 * `integer` column stay at or below it; a larger one would make the insert fail and the event dead-letter.
 */
export const maxPgInteger = 2_147_483_647;

/**
 * The largest amount of money, in major units, that any API accepts and any event carries: just under
 * one trillion. Why this bound:
 * - the read models keep amounts in `numeric(16, 2)` (at most 99,999,999,999,999.99): a hundredfold margin;
 * - in cents it is 99,999,999,999,999, below 2^53 (9,007,199,254,740,992), so `Math.round(amount * 100)`,
 *   the attribution's cent allocation and the `bigint` cents column are exact;
 * - 14 significant digits are fewer than the 15 a double always keeps, so an amount comes back from
 *   JSON, jsonb and SQL parameters as the same two-decimal number;
 * - the reports add amounts up in SQL `numeric`, which cannot overflow; they stay exact to the cent in a
 *   double up to 90 deals at this maximum, and are only rounded (never refused) beyond.
 */
export const maxMoneyAmount = 999_999_999_999.99;

/**
 * Whether `amount` is money the platform accepts: finite, from 0 to `maxMoneyAmount`, and exactly the
 * number a decimal with at most two places parses to (12.3 and 12.34, not 12.345 or 0.30000000000000004).
 * -0 counts as 0: it is written as 0 in every serialisation.
 */
export function isMoneyAmount(amount: number): boolean {
  return Number.isFinite(amount) && amount >= 0 && amount <= maxMoneyAmount && hasAtMostTwoDecimals(amount);
}

function hasAtMostTwoDecimals(amount: number): boolean {
  // Below 2^53 cents, an integer divided by 100 is the double nearest to that two-decimal number.
  return Math.round(amount * 100) / 100 === amount;
}

/** A money amount in major units (12500.5 is 12,500.50): 0 to `maxMoneyAmount`, at most two decimals. */
export const moneyAmountSchema = z
  .number()
  .min(0)
  .max(maxMoneyAmount)
  .multipleOf(0.01)
  .refine(hasAtMostTwoDecimals, {
    message: 'expected at most two decimals',
    // multipleOf already names most of them; this catches the float noise it lets through.
    when: (payload) => payload.issues.length === 0,
  })
  .describe(`Major units of the currency, 0 to ${maxMoneyAmount}, at most two decimals.`);

/** A percentage from 0 to 100, fractions allowed (shares of a deal, score thresholds). */
export const percentSchema = z.number().min(0).max(100);

/** A whole percentage from 0 to 100 (a stage's win probability). */
export const wholePercentSchema = z.int().min(0).max(100);

/**
 * The longest duration any setting may give, in days: ten years. Stage SLAs, first-response SLAs and
 * half-lives are all within it, so `now + duration` is always a valid date in JavaScript, in ISO 8601
 * with four-digit years (what the event contracts accept) and in PostgreSQL.
 */
export const maxDurationDays = 3650;
/** `maxDurationDays` in hours. */
export const maxDurationHours = maxDurationDays * 24;
/** `maxDurationDays` in minutes (5,256,000: an `integer` column holds it). */
export const maxDurationMinutes = maxDurationHours * 60;

/** A whole number of days from 1 to `maxDurationDays` (a stage SLA). */
export const durationDaysSchema = z.int().min(1).max(maxDurationDays);

/** A whole number of minutes from 1 to `maxDurationMinutes` (a first-response SLA). */
export const durationMinutesSchema = z.int().min(1).max(maxDurationMinutes);

/** A positive number of days, fractions allowed, at most `maxDurationDays` (a half-life). */
export const fractionalDaysSchema = z.number().positive().max(maxDurationDays);

/**
 * The largest count a tenant's setting may give: caps, quotas and thresholds counted in leads, breaches or
 * outcomes. Far beyond any real team, and well within the `integer` columns the counts are compared with.
 */
export const maxSettingCount = 1_000_000;

/** The largest relative weight a setting may give (a rep's share in a pool, a part of the score). */
export const maxWeight = 1000;

/** A relative weight from 0 to `maxWeight`, fractions allowed. */
export const weightSchema = z.number().min(0).max(maxWeight);

/**
 * A whole number from `min` to `max`. `max` may not exceed `maxPgInteger`, so whatever stores the number
 * in an `integer` column holds it.
 */
export function boundedInt(options: { min: number; max: number }): z.ZodInt {
  if (!Number.isSafeInteger(options.min) || !Number.isSafeInteger(options.max) || options.max > maxPgInteger) {
    throw new RangeError(`bounds must be whole numbers up to ${maxPgInteger}: ${options.min}..${options.max}`);
  }
  return z.int().min(options.min).max(options.max);
}

/** A count of things an event reports (breaches, revisions, versions, positions): 0 to `maxPgInteger`. */
export const countSchema = boundedInt({ min: 0, max: maxPgInteger });

/** A count from 1 to `maxPgInteger` (a version or revision number, a breach that happened). */
export const positiveCountSchema = boundedInt({ min: 1, max: maxPgInteger });

/** The largest number of employees a company may be said to have. */
export const maxCompanySize = 10_000_000;

/** A company's number of employees, 1 to `maxCompanySize`. */
export const companySizeSchema = boundedInt({ min: 1, max: maxCompanySize });
