import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './money.ts';

describe('allocate', () => {
  it('gives the cents left over to the largest remainders', () => {
    // 999 × (0.4, 0.2, 0.4) = 399.6, 199.8, 399.6 → floors 399, 199, 399 leave 2 cents:
    // one to the remainder .8 (index 1), one to the first .6 (index 0).
    expect(allocate(999, [0.4, 0.2, 0.4])).toEqual([400, 200, 399]);
  });

  it('breaks equal remainders by the earlier index', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });

  it('reads weights in any scale', () => {
    expect(allocate(1000, [40, 20, 40])).toEqual(allocate(1000, [0.4, 0.2, 0.4]));
  });

  it('compares remainders exactly, also where floats run out of precision', () => {
    // (2^53 − 1) / 3 = 3002399751580330.33… and twice it …60660.67…, so the left-over cent goes to the second.
    // In floats the two quotas round to …30.5 and …61.0 and the cent would go to the first.
    expect(allocate(2 ** 53 - 1, [1, 2])).toEqual([3002399751580330, 6004799503160661]);
  });

  it('handles weights far apart in size', () => {
    expect(allocate(1_000_000_000, [Number.MIN_VALUE, 1])).toEqual([0, 1_000_000_000]);
    expect(allocate(3, [Number.MAX_VALUE, Number.MAX_VALUE])).toEqual([2, 1]);
  });

  it('gives everything to the first share when every weight is zero', () => {
    expect(allocate(500, [0, 0, 0])).toEqual([500, 0, 0]);
  });

  it('allocates nothing as zeros', () => {
    expect(allocate(0, [1, 2])).toEqual([0, 0]);
  });

  it('allocates nothing over no shares', () => {
    expect(allocate(0, [])).toEqual([]);
  });

  it('refuses to allocate money over no shares', () => {
    expect(() => allocate(1, [])).toThrow(RangeError);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('refuses the amount %s', (amount) => {
    expect(() => allocate(amount, [1])).toThrow(RangeError);
  });

  it.each([-0.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the weight %s', (weight) => {
    expect(() => allocate(10, [1, weight])).toThrow(RangeError);
  });

  describe('for any amount and weights', () => {
    const amountArb = fc.integer({ min: 0, max: 1_000_000_000 });
    const weightsArb = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 });

    it('sums exactly to the amount with non-negative whole shares', () => {
      fc.assert(
        fc.property(amountArb, weightsArb, (amount, weights) => {
          const shares = allocate(amount, weights);
          expect(shares.every((share) => Number.isSafeInteger(share) && share >= 0)).toBe(true);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
        }),
      );
    });

    it('keeps each share within one cent of its exact proportion', () => {
      fc.assert(
        fc.property(
          amountArb,
          weightsArb.filter((weights) => weights.some((weight) => weight > 0)),
          (amount, weights) => {
            const total = weights.reduce((a, b) => a + b, 0);
            allocate(amount, weights).forEach((share, index) => {
              expect(Math.abs(share - (amount * (weights[index] ?? 0)) / total)).toBeLessThan(1 + 1e-6);
            });
          },
        ),
      );
    });
  });
});
