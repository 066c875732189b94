import { describe, expect, it } from 'vitest';
import { allEligible, monday, pool } from './assignment.fixture.ts';
import { chooseRep } from './choose-rep.ts';
import type { PoolState } from './pool-state.ts';
import type { PoolStrategy } from './routing-config.schema.ts';

// A state on which the strategies disagree: the rotation is past b, a leads the weights, b has the fewest open leads.
const state: PoolState = { cursor: 'b', currentWeights: { a: 5, b: 0, c: 0 }, lastAssignedAt: {} };

describe('chooseRep', () => {
  it.each<{ strategy: PoolStrategy; expected: string }>([
    { strategy: 'round_robin', expected: 'c' },
    { strategy: 'weighted', expected: 'a' },
    { strategy: 'load_balanced', expected: 'b' },
  ])('uses the pool’s $strategy strategy', ({ strategy, expected }) => {
    const team = pool('team', { strategy, repIds: ['a', 'b', 'c'] });
    const eligible = allEligible(team, { a: { openLeads: 2 }, b: { openLeads: 1 }, c: { openLeads: 2 } });
    expect(chooseRep({ pool: team, eligible, state, now: monday })?.repId).toBe(expected);
  });
});
