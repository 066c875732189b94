import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allEligible, monday, pool, throughJson } from './assignment.fixture.ts';
import type { EligibleRep } from './eligibility.ts';
import { emptyPoolState } from './pool-state.ts';
import type { PoolState } from './pool-state.ts';
import type { Pool } from './routing-config.schema.ts';
import { chooseWeighted } from './weighted.strategy.ts';

function weightedPool(weights: number[]): Pool {
  return pool('team', {
    strategy: 'weighted',
    members: weights.map((weight, index) => ({ repId: `r${index}`, weight })),
  });
}

/** Assigns `count` leads in a row, storing the state as JSON between them as the service does. */
function assign(options: { pool: Pool; count: number; eligible?: EligibleRep[]; state?: PoolState }) {
  const { count, eligible = allEligible(options.pool) } = options;
  let state = options.state ?? emptyPoolState();
  const picks: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const choice = chooseWeighted({ pool: options.pool, eligible, state, now: monday });
    if (choice === undefined) break;
    picks.push(choice.repId);
    state = throughJson(choice.nextState);
  }
  return { picks, state };
}

function tally(picks: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const repId of picks) counts[repId] = (counts[repId] ?? 0) + 1;
  return counts;
}

describe('chooseWeighted', () => {
  const twoOneOne = weightedPool([2, 1, 1]);

  it('spreads 2:1:1 as a, b, c, a in every four leads', () => {
    expect(assign({ pool: twoOneOne, count: 8 }).picks).toEqual(['r0', 'r1', 'r2', 'r0', 'r0', 'r1', 'r2', 'r0']);
  });

  it('returns every current weight to zero after a full cycle', () => {
    expect(assign({ pool: twoOneOne, count: 4 }).state.currentWeights).toEqual({ r0: 0, r1: 0, r2: 0 });
  });

  it('breaks a tie by member order', () => {
    expect(assign({ pool: weightedPool([1, 1, 1]), count: 3 }).picks).toEqual(['r0', 'r1', 'r2']);
  });

  it('resumes the sequence from a stored state, as after a restart', () => {
    const first = assign({ pool: twoOneOne, count: 2 });
    expect(assign({ pool: twoOneOne, count: 2, state: first.state }).picks).toEqual(['r2', 'r0']);
  });

  it('splits among the eligible members by their weights while one is ineligible', () => {
    const withoutR0 = allEligible(twoOneOne).filter((rep) => rep.repId !== 'r0');
    expect(tally(assign({ pool: twoOneOne, count: 10, eligible: withoutR0 }).picks)).toEqual({ r1: 5, r2: 5 });
  });

  it('keeps an ineligible member’s current weight until it is eligible again', () => {
    const { state } = assign({ pool: twoOneOne, count: 1 });
    const withoutR0 = allEligible(twoOneOne).filter((rep) => rep.repId !== 'r0');
    expect(assign({ pool: twoOneOne, count: 2, eligible: withoutR0, state }).state.currentWeights.r0).toBe(
      state.currentWeights.r0,
    );
  });

  it('drops the current weight of a rep who left the pool', () => {
    const state = { ...emptyPoolState(), currentWeights: { gone: 3, r0: 0 } };
    expect(Object.keys(assign({ pool: twoOneOne, count: 1, state }).state.currentWeights)).not.toContain('gone');
  });

  it('returns undefined when nobody is eligible', () => {
    expect(chooseWeighted({ pool: twoOneOne, eligible: [], state: emptyPoolState(), now: monday })).toBeUndefined();
  });

  it('stays within one lead of every member’s share after any number of leads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 200 }),
        (weights, count) => {
          const { picks } = assign({ pool: weightedPool(weights), count });
          const counts = tally(picks);
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          weights.forEach((weight, index) => {
            expect(Math.abs((counts[`r${index}`] ?? 0) - (count * weight) / total)).toBeLessThanOrEqual(1);
          });
        },
      ),
    );
  });
});
