import { describe, expect, it } from 'vitest';
import { sameWeights } from './learned-weights.ts';

describe('sameWeights', () => {
  it('matches the same weights in another order', () => {
    expect(
      sameWeights(
        [
          { channel: 'ad', weight: 0.25 },
          { channel: 'event', weight: 0.75 },
        ],
        [
          { channel: 'event', weight: 0.75 },
          { channel: 'ad', weight: 0.25 },
        ],
      ),
    ).toBe(true);
  });

  it('tells a moved weight apart', () => {
    expect(sameWeights([{ channel: 'ad', weight: 0.25 }], [{ channel: 'ad', weight: 0.26 }])).toBe(false);
  });

  it('tells a new channel apart', () => {
    expect(sameWeights([{ channel: 'ad', weight: 1 }], [{ channel: 'event', weight: 1 }])).toBe(false);
  });

  it('tells no weights from some', () => {
    expect(sameWeights([], [{ channel: 'ad', weight: 1 }])).toBe(false);
  });
});
