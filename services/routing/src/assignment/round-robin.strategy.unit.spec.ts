import { describe, expect, it } from 'vitest';
import { allEligible, monday, pool, throughJson } from './assignment.fixture.ts';
import type { EligibleRep } from './eligibility.ts';
import { emptyPoolState } from './pool-state.ts';
import type { PoolState } from './pool-state.ts';
import { chooseRoundRobin } from './round-robin.strategy.ts';

const team = pool('team', { strategy: 'round_robin', repIds: ['a', 'b', 'c'] });

/** Assigns `count` leads in a row, storing the state as JSON between them as the service does. */
function rotate(options: { count: number; eligible?: EligibleRep[]; state?: PoolState }) {
  const { count, eligible = allEligible(team) } = options;
  let state = options.state ?? emptyPoolState();
  const picks: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const choice = chooseRoundRobin({ pool: team, eligible, state, now: monday });
    if (choice === undefined) break;
    picks.push(choice.repId);
    state = throughJson(choice.nextState);
  }
  return { picks, state };
}

describe('chooseRoundRobin', () => {
  it('starts with the first member', () => {
    expect(rotate({ count: 1 }).picks).toEqual(['a']);
  });

  it('rotates in member order and wraps around', () => {
    expect(rotate({ count: 7 }).picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('stores the rep assigned last as the cursor', () => {
    expect(rotate({ count: 2 }).state.cursor).toBe('b');
  });

  it('continues after the cursor of a stored state, as after a restart', () => {
    expect(rotate({ count: 2, state: { ...emptyPoolState(), cursor: 'b' } }).picks).toEqual(['c', 'a']);
  });

  it('skips an ineligible member, who loses the turn', () => {
    const withoutB = allEligible(team).filter((rep) => rep.repId !== 'b');
    expect(rotate({ count: 4, eligible: withoutB }).picks).toEqual(['a', 'c', 'a', 'c']);
  });

  it('moves on from an ineligible cursor to the next eligible member', () => {
    const withoutB = allEligible(team).filter((rep) => rep.repId !== 'b');
    expect(rotate({ count: 1, eligible: withoutB, state: { ...emptyPoolState(), cursor: 'b' } }).picks).toEqual(['c']);
  });

  it('starts again from the first member when the cursor left the pool', () => {
    expect(rotate({ count: 1, state: { ...emptyPoolState(), cursor: 'gone' } }).picks).toEqual(['a']);
  });

  it('returns undefined when nobody is eligible', () => {
    expect(chooseRoundRobin({ pool: team, eligible: [], state: emptyPoolState(), now: monday })).toBeUndefined();
  });

  it('records when the rep was assigned', () => {
    expect(rotate({ count: 1 }).state.lastAssignedAt).toEqual({ a: monday.toISOString() });
  });
});
