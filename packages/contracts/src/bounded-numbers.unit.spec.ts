import { describe, expect, it } from 'vitest';
import {
  boundedInt,
  companySizeSchema,
  countSchema,
  durationDaysSchema,
  durationMinutesSchema,
  fractionalDaysSchema,
  isMoneyAmount,
  maxDurationDays,
  maxDurationMinutes,
  maxMoneyAmount,
  maxPgInteger,
  moneyAmountSchema,
  percentSchema,
  positiveCountSchema,
  weightSchema,
  wholePercentSchema,
} from './bounded-numbers.ts';
import { issuesOf } from './schema-test-support.ts';

describe('money amounts', () => {
  it.each([0, 0.01, 0.07, 0.29, 1234.5, 12_500.55, maxMoneyAmount - 0.01, maxMoneyAmount])('accept %s', (amount) => {
    expect(moneyAmountSchema.parse(amount)).toBe(amount);
    expect(isMoneyAmount(amount)).toBe(true);
  });

  it.each([
    ['one cent over the maximum', maxMoneyAmount + 0.01],
    ['one trillion', 1e12],
    ['the amount the read models dead-lettered', JSON.parse('9007199254740993') as number],
    ['three decimals', 10.005],
    ['three decimals at the maximum', 999_999_999_999.999],
    ['float noise', 0.1 + 0.2],
    ['a negative cent', -0.01],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuse %s', (_, amount) => {
    expect(moneyAmountSchema.safeParse(amount).success).toBe(false);
    expect(isMoneyAmount(amount)).toBe(false);
  });

  it('refuses an amount with one issue naming the bound', () => {
    expect(issuesOf(moneyAmountSchema, maxMoneyAmount + 0.01)).toEqual([
      { field: '', message: expect.stringContaining(String(maxMoneyAmount)) },
    ]);
    expect(issuesOf(moneyAmountSchema, 0.1 + 0.2)).toEqual([{ field: '', message: 'expected at most two decimals' }]);
  });

  it('takes -0 as zero, which every serialisation writes as 0', () => {
    expect(moneyAmountSchema.safeParse(-0).success).toBe(true);
    expect(JSON.stringify({ amount: moneyAmountSchema.parse(-0) })).toBe('{"amount":0}');
  });

  it('keeps the maximum exact in cents, as a safe integer, and as its own decimal text', () => {
    const cents = Math.round(maxMoneyAmount * 100);
    expect(cents).toBe(99_999_999_999_999);
    expect(Number.isSafeInteger(cents)).toBe(true);
    expect(cents / 100).toBe(maxMoneyAmount);
    expect(String(maxMoneyAmount)).toBe('999999999999.99');
    // The read models' numeric(16, 2) holds 14 digits before the point; the maximum has 12.
    expect(String(Math.trunc(maxMoneyAmount)).length).toBeLessThanOrEqual(14);
  });

  it('reads every two-decimal amount near the maximum back as itself', () => {
    for (let cents = 99_999_999_999_999; cents > 99_999_999_999_999 - 10_000; cents -= 1) {
      const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
      const amount = Number(text);
      expect(isMoneyAmount(amount), text).toBe(true);
      expect(Math.round(amount * 100), text).toBe(cents);
    }
  });
});

describe('durations', () => {
  it('bound days and minutes at ten years, whose end is a valid four-digit-year date', () => {
    expect(maxDurationMinutes).toBe(maxDurationDays * 24 * 60);
    expect(maxDurationMinutes).toBeLessThan(maxPgInteger);
    const due = new Date(Date.parse('2099-12-31T23:59:59.999Z') + maxDurationMinutes * 60_000);
    expect(due.toISOString()).toMatch(/^\d{4}-/);
  });

  it.each([
    [durationDaysSchema, 1, maxDurationDays],
    [durationMinutesSchema, 1, maxDurationMinutes],
  ])('accept whole durations from the minimum to the maximum (%#)', (schema, min, max) => {
    expect(schema.parse(min)).toBe(min);
    expect(schema.parse(max)).toBe(max);
    for (const refused of [min - 1, max + 1, 1.5, 9_007_199_254_740_991, -0.5]) {
      expect(schema.safeParse(refused).success, String(refused)).toBe(false);
    }
  });

  it('accept fractional days above zero up to the maximum', () => {
    expect(fractionalDaysSchema.parse(0.5)).toBe(0.5);
    expect(fractionalDaysSchema.parse(maxDurationDays)).toBe(maxDurationDays);
    for (const refused of [0, -1, maxDurationDays + 0.001]) {
      expect(fractionalDaysSchema.safeParse(refused).success, String(refused)).toBe(false);
    }
  });
});

describe('counts, percentages and weights', () => {
  it('fit counts and versions in an integer column', () => {
    expect(countSchema.parse(0)).toBe(0);
    expect(countSchema.parse(maxPgInteger)).toBe(maxPgInteger);
    expect(countSchema.safeParse(maxPgInteger + 1).success).toBe(false);
    expect(countSchema.safeParse(-1).success).toBe(false);
    expect(positiveCountSchema.safeParse(0).success).toBe(false);
  });

  it('refuse an integer bound beyond the integer column', () => {
    expect(() => boundedInt({ min: 0, max: maxPgInteger + 1 })).toThrow(RangeError);
    expect(boundedInt({ min: 2, max: 4 }).safeParse(5).success).toBe(false);
  });

  it('take percentages from 0 to 100, whole ones for probabilities', () => {
    expect(percentSchema.parse(33.3)).toBe(33.3);
    expect(percentSchema.safeParse(100.01).success).toBe(false);
    expect(wholePercentSchema.safeParse(50.5).success).toBe(false);
    expect(wholePercentSchema.safeParse(101).success).toBe(false);
  });

  it('bound weights and company sizes', () => {
    expect(weightSchema.parse(0)).toBe(0);
    expect(weightSchema.safeParse(1e308).success).toBe(false);
    expect(companySizeSchema.safeParse(0).success).toBe(false);
    expect(companySizeSchema.safeParse(10_000_001).success).toBe(false);
  });
});
