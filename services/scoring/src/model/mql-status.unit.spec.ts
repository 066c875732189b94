import { describe, expect, it } from 'vitest';
import { isMqlAfter } from './mql-status.ts';

const mql = { threshold: 60, revokeBelow: 45 };

describe('isMqlAfter', () => {
  it('qualifies a lead at the threshold', () => {
    expect(isMqlAfter({ score: 60, wasMql: false, mql })).toBe(true);
  });

  it('does not qualify a lead below the threshold', () => {
    expect(isMqlAfter({ score: 59, wasMql: false, mql })).toBe(false);
  });

  it('keeps an MQL whose score dips but stays at the revocation level', () => {
    expect(isMqlAfter({ score: 45, wasMql: true, mql })).toBe(true);
  });

  it('revokes an MQL whose score drops below the revocation level', () => {
    expect(isMqlAfter({ score: 44, wasMql: true, mql })).toBe(false);
  });

  it('never revokes when the rule set has no revocation level', () => {
    expect(isMqlAfter({ score: 0, wasMql: true, mql: { threshold: 60, revokeBelow: null } })).toBe(true);
  });
});
