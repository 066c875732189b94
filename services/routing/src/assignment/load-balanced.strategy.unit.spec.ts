import { describe, expect, it } from 'vitest';
import { allEligible, monday, pool } from './assignment.fixture.ts';
import { chooseLoadBalanced } from './load-balanced.strategy.ts';
import { emptyPoolState } from './pool-state.ts';
import type { PoolState } from './pool-state.ts';

const team = pool('team', { strategy: 'load_balanced', repIds: ['a', 'b', 'c'] });

function pick(options: {
  loads?: Record<string, { openLeads?: number; assignedToday?: number }>;
  lastAssignedAt?: Record<string, string>;
}): string | undefined {
  const state: PoolState = { ...emptyPoolState(), lastAssignedAt: options.lastAssignedAt ?? {} };
  return chooseLoadBalanced({ pool: team, eligible: allEligible(team, options.loads), state, now: monday })?.repId;
}

describe('chooseLoadBalanced', () => {
  it('picks the rep with the fewest open leads', () => {
    expect(pick({ loads: { a: { openLeads: 3 }, b: { openLeads: 1 }, c: { openLeads: 2 } } })).toBe('b');
  });

  it('breaks a tie on open leads by the fewest assigned today', () => {
    expect(
      pick({
        loads: { a: { openLeads: 1, assignedToday: 4 }, b: { openLeads: 5 }, c: { openLeads: 1, assignedToday: 2 } },
      }),
    ).toBe('c');
  });

  it('then by the longest since the last assignment', () => {
    const lastAssignedAt = {
      a: '2025-03-10T09:00:00.000Z',
      b: '2025-03-10T08:00:00.000Z',
      c: '2025-03-10T09:30:00.000Z',
    };
    expect(pick({ lastAssignedAt })).toBe('b');
  });

  it('puts a rep never assigned from the pool before one assigned', () => {
    expect(pick({ lastAssignedAt: { a: '2025-03-10T09:00:00.000Z', b: '2025-03-01T09:00:00.000Z' } })).toBe('c');
  });

  it('then by member order', () => {
    expect(pick({})).toBe('a');
  });

  it('records the assignment time of the chosen rep', () => {
    const choice = chooseLoadBalanced({
      pool: team,
      eligible: allEligible(team),
      state: emptyPoolState(),
      now: monday,
    });
    expect(choice?.nextState.lastAssignedAt).toEqual({ a: monday.toISOString() });
  });

  it('returns undefined when nobody is eligible', () => {
    expect(chooseLoadBalanced({ pool: team, eligible: [], state: emptyPoolState(), now: monday })).toBeUndefined();
  });
});
