import { describe, expect, it } from 'vitest';
import { monday, pool, rep, settings } from '../assignment/assignment.fixture.ts';
import { chooseOwner } from './choose-owner.ts';

const reps = [rep('ana'), rep('ben'), rep('cy')];
const pools = [pool('default', { repIds: ['ana', 'ben'] }), pool('shared', { repIds: ['ana', 'ben', 'cy'] })];
const base = { lead: {}, settings: settings(), pools, reps, poolStates: {}, loads: {}, now: monday };

describe('chooseOwner', () => {
  it('routes into the trigger’s pool when it names one', () => {
    const result = chooseOwner({
      ...base,
      trigger: { version: 5, reason: 'recycled', poolId: 'shared', avoidRepIds: ['ana'], excludeRepIds: ['ana'] },
    });

    expect(result).toMatchObject({ status: 'assigned', poolId: 'shared', repId: 'ben' });
  });

  it('avoids every rep who had the lead while someone else is eligible', () => {
    const result = chooseOwner({
      ...base,
      trigger: { version: 5, reason: 'rejected', avoidRepIds: ['ana', 'ben'], excludeRepIds: ['ben'] },
    });

    // Nobody in the default pool is left but ana, who had the lead before ben; she is better than nobody.
    expect(result).toMatchObject({ status: 'assigned', repId: 'ana' });
  });

  it('never gives the lead back to the rep it was taken from', () => {
    const result = chooseOwner({
      ...base,
      pools: [pool('default', { repIds: ['ana'] }), pool('shared', { repIds: ['ana'] })],
      trigger: { version: 5, reason: 'recycled', poolId: 'shared', avoidRepIds: ['ana'], excludeRepIds: ['ana'] },
    });

    expect(result).toMatchObject({ status: 'unassigned', reason: 'no_eligible_rep' });
  });
});
