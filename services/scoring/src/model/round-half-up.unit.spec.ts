import { describe, expect, it } from 'vitest';
import { roundHalfUp } from './round-half-up.ts';

describe('roundHalfUp', () => {
  it('rounds a half upwards', () => {
    expect([0.5, 1.5, 2.5, 59.5].map((value) => roundHalfUp(value))).toEqual([1, 2, 3, 60]);
  });

  it('rounds a half that binary arithmetic left just below it upwards', () => {
    // 1.005 × 100 is 100.5 on paper and 100.49999999999999 in floating point.
    expect(roundHalfUp(1.005 * 100)).toBe(101);
  });

  it('rounds to decimals', () => {
    expect(roundHalfUp(10.6066017, 1)).toBe(10.6);
    expect(roundHalfUp(0.15, 1)).toBe(0.2);
  });
});
