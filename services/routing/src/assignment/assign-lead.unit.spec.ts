import { describe, expect, it } from 'vitest';
import { assignLead } from './assign-lead.ts';
import type { AssignLeadInput, Assignment } from './assign-lead.ts';
import { monday, pool, rep, rule, settings, throughJson } from './assignment.fixture.ts';
import type { PoolState } from './pool-state.ts';
import type { RepLoad } from './rep-load.ts';
import type { Pool, Rep } from './routing-config.schema.ts';
import { onResponseSlaBreach } from './sla-breach.ts';

const reps = ['uk-1', 'uk-2', 'gen-1', 'gen-2', 'shared-1', 'shared-2'].map((id) => rep(id));
const pools = [
  pool('uk', { repIds: ['uk-1', 'uk-2'] }),
  pool('default', { repIds: ['gen-1', 'gen-2'] }),
  pool('shared', { repIds: ['shared-1', 'shared-2'] }),
];
const tenant = settings({
  rules: [rule('uk-rule', { poolId: 'uk', conditions: { countries: ['GB'] }, responseSlaMinutes: 30 })],
});

function route(overrides: Partial<AssignLeadInput> = {}) {
  return assignLead({ lead: {}, settings: tenant, pools, reps, poolStates: {}, loads: {}, now: monday, ...overrides });
}

function assigned(result: ReturnType<typeof assignLead>): Assignment {
  if (result.status !== 'assigned') throw new Error(`expected an assignment, got ${JSON.stringify(result)}`);
  return result;
}

/** Routes `count` leads one after the other, storing states and loads as JSON between them as the service does. */
function routeMany(options: { count: number; pools: Pool[]; reps: Rep[] }) {
  let poolStates: Record<string, PoolState> = {};
  let loads: Record<string, RepLoad> = {};
  const results: Assignment[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const result = assigned(
      assignLead({
        lead: {},
        settings: settings(),
        pools: options.pools,
        reps: options.reps,
        poolStates,
        loads,
        now: monday,
      }),
    );
    results.push(result);
    poolStates = throughJson({ ...poolStates, [result.poolId]: result.nextPoolState });
    loads = throughJson({ ...loads, [result.repId]: result.nextRepLoad });
  }
  return results;
}

function tally(results: Assignment[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { repId } of results) counts[repId] = (counts[repId] ?? 0) + 1;
  return counts;
}

describe('assignLead', () => {
  describe('when a rule matches', () => {
    it('assigns within the rule’s pool', () => {
      expect(assigned(route({ lead: { country: 'gb' } }))).toMatchObject({
        poolId: 'uk',
        ruleId: 'uk-rule',
        repId: 'uk-1',
        fellBackToDefault: false,
      });
    });

    it('sets the response due time from the rule’s SLA', () => {
      expect(assigned(route({ lead: { country: 'GB' } })).responseDueAt).toEqual(new Date('2025-03-10T10:30:00Z'));
    });

    it('falls back to the default pool when nobody in the rule’s pool is eligible', () => {
      const away = reps.map((each) => (each.id.startsWith('uk-') ? { ...each, active: false } : each));
      expect(assigned(route({ lead: { country: 'GB' }, reps: away }))).toMatchObject({
        poolId: 'default',
        ruleId: 'uk-rule',
        repId: 'gen-1',
        fellBackToDefault: true,
        skipped: [
          { poolId: 'uk', repId: 'uk-1', reason: 'inactive' },
          { poolId: 'uk', repId: 'uk-2', reason: 'inactive' },
        ],
      });
    });

    it('keeps the rule’s SLA after falling back', () => {
      const away = reps.map((each) => (each.id.startsWith('uk-') ? { ...each, active: false } : each));
      expect(assigned(route({ lead: { country: 'GB' }, reps: away })).responseDueAt).toEqual(
        new Date('2025-03-10T10:30:00Z'),
      );
    });

    it('falls back to the default pool when the rule names a pool that does not exist', () => {
      const orphan = settings({ rules: [rule('orphan', { poolId: 'deleted', conditions: {} })] });
      expect(assigned(route({ settings: orphan }))).toMatchObject({ poolId: 'default', fellBackToDefault: true });
    });

    it('does not call a rule that names the default pool a fall-back', () => {
      const toDefault = settings({ rules: [rule('all', { poolId: 'default', conditions: {} })] });
      expect(assigned(route({ settings: toDefault })).fellBackToDefault).toBe(false);
    });
  });

  describe('when no rule matches', () => {
    it('assigns within the default pool', () => {
      const result = assigned(route({ lead: { country: 'FR' } }));
      expect(result).toMatchObject({ poolId: 'default', repId: 'gen-1', fellBackToDefault: true });
    });

    it('names no rule', () => {
      expect(assigned(route({ lead: { country: 'FR' } })).ruleId).toBeUndefined();
    });

    it('sets the response due time from the tenant’s default SLA', () => {
      expect(assigned(route()).responseDueAt).toEqual(new Date('2025-03-10T12:00:00Z'));
    });
  });

  it('leaves the lead unassigned when nobody is eligible in the rule’s pool or the default pool', () => {
    const nobody = reps.map((each) => ({ ...each, active: false }));
    expect(route({ lead: { country: 'GB' }, reps: nobody })).toMatchObject({
      status: 'unassigned',
      reason: 'no_eligible_rep',
      ruleId: 'uk-rule',
      triedPoolIds: ['uk', 'default'],
    });
  });

  describe('state', () => {
    it('continues from the pool’s stored state', () => {
      const poolStates = { uk: { currentWeights: {}, lastAssignedAt: {}, cursor: 'uk-1' } };
      expect(assigned(route({ lead: { country: 'GB' }, poolStates })).repId).toBe('uk-2');
    });

    it('returns the chosen rep’s counters with one more lead', () => {
      const loads = { 'uk-1': { openLeads: 2, assignedToday: 1, day: '2025-03-10' } };
      expect(assigned(route({ lead: { country: 'GB' }, loads })).nextRepLoad).toEqual({
        openLeads: 3,
        assignedToday: 2,
        day: '2025-03-10',
      });
    });

    it('starts the daily count again on a new local day', () => {
      const loads = { 'uk-1': { openLeads: 2, assignedToday: 7, day: '2025-03-09' } };
      expect(assigned(route({ lead: { country: 'GB' }, loads })).nextRepLoad).toEqual({
        openLeads: 3,
        assignedToday: 1,
        day: '2025-03-10',
      });
    });
  });

  describe('when a lead is recycled after an SLA breach', () => {
    const recycle = (owner: string, overrides: Partial<AssignLeadInput> = {}) => {
      const { recycleToPoolId } = onResponseSlaBreach({ breachCount: 1, settings: tenant });
      return route({ lead: { country: 'GB' }, poolId: recycleToPoolId, excludeRepIds: [owner], ...overrides });
    };

    it('reassigns it within the shared pool', () => {
      expect(assigned(recycle('uk-1'))).toMatchObject({
        poolId: 'shared',
        ruleId: 'uk-rule',
        fellBackToDefault: false,
      });
    });

    it('reassigns it to a rep other than the previous owner', () => {
      const poolStates = { shared: { currentWeights: {}, lastAssignedAt: {}, cursor: 'shared-2' } };
      expect(assigned(recycle('shared-1', { poolStates })).repId).toBe('shared-2');
    });

    it('goes to the default pool when only the previous owner could take it in the shared pool', () => {
      const result = assigned(recycle('shared-1', { reps: reps.filter((each) => each.id !== 'shared-2') }));
      expect(result).toMatchObject({ poolId: 'default', repId: 'gen-1', fellBackToDefault: true });
    });

    it('stays unassigned rather than go back to the previous owner', () => {
      const onlyOwner = [rep('gen-1')];
      const result = recycle('gen-1', { reps: onlyOwner });
      expect(result.status).toBe('unassigned');
    });
  });

  describe('in a weighted pool of 2:1:1', () => {
    const weighted = pool('default', {
      strategy: 'weighted',
      members: [
        { repId: 'a', weight: 2 },
        { repId: 'b', weight: 1 },
        { repId: 'c', weight: 1 },
      ],
    });

    it('gives 1,000 leads within one lead of 500, 250 and 250', () => {
      const counts = tally(routeMany({ count: 1000, pools: [weighted], reps: [rep('a'), rep('b'), rep('c')] }));
      expect(Math.abs((counts.a ?? 0) - 500)).toBeLessThanOrEqual(1);
      expect(Math.abs((counts.b ?? 0) - 250)).toBeLessThanOrEqual(1);
      expect(Math.abs((counts.c ?? 0) - 250)).toBeLessThanOrEqual(1);
    });

    it('splits the rest 2:1 once a rep reaches their cap mid-way', () => {
      const results = routeMany({
        count: 1000,
        pools: [weighted],
        reps: [rep('a'), rep('b'), rep('c', { maxOpenLeads: 99 })],
      });
      const capped = results.findIndex((result) => result.skipped.some((skip) => skip.repId === 'c'));
      const after = tally(results.slice(capped));
      const rest = results.length - capped;
      expect(tally(results).c).toBe(99);
      expect(Math.abs((after.a ?? 0) - (rest * 2) / 3)).toBeLessThanOrEqual(1);
      expect(Math.abs((after.b ?? 0) - rest / 3)).toBeLessThanOrEqual(1);
    });
  });
});
