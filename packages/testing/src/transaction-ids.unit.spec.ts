import { describe, expect, it } from 'vitest';
import { idsAroundBoundaries } from './transaction-ids.ts';

describe('ids around the digit boundaries', () => {
  it('gives increasing ids on both sides of 1,000, 10,000 and 100,000', () => {
    const ids = idsAroundBoundaries(12);

    expect(ids).toEqual([
      998n,
      999n,
      1_000n,
      1_001n,
      9_998n,
      9_999n,
      10_000n,
      10_001n,
      99_998n,
      99_999n,
      100_000n,
      100_001n,
    ]);
  });

  it('stays increasing and positive for a history of 40,000 transactions', () => {
    const ids = idsAroundBoundaries(40_000);

    expect(ids).toHaveLength(40_000);
    expect(ids[0]).toBeGreaterThan(0n);
    expect(ids.every((id, index) => index === 0 || id > (ids[index - 1] ?? 0n))).toBe(true);
    expect(ids.filter((id) => id < 10_000n).length).toBeGreaterThan(0);
  });
});
