import { chooseRep } from './choose-rep.ts';
import { eligibleReps } from './eligibility.ts';
import type { SkipReason } from './eligibility.ts';
import { matchRule } from './match-rule.ts';
import type { RoutableLead } from './match-rule.ts';
import { emptyPoolState } from './pool-state.ts';
import type { PoolState } from './pool-state.ts';
import { withAssignment } from './rep-load.ts';
import type { RepLoad } from './rep-load.ts';
import type { Pool, Rep, RoutingSettings } from './routing-config.schema.ts';

export type AssignLeadInput = {
  lead: RoutableLead;
  settings: RoutingSettings;
  pools: readonly Pool[];
  reps: readonly Rep[];
  /** Per pool id; a pool without an entry starts empty. */
  poolStates: Readonly<Record<string, PoolState>>;
  /** Per rep id; a rep without an entry has no load. */
  loads: Readonly<Record<string, RepLoad>>;
  now: Date;
  /** Reps that must not get the lead: a recycled lead excludes the owner it is taken from. */
  excludeRepIds?: readonly string[];
  /** Route into this pool instead of the matched rule's (recycling uses the shared pool); the rule still sets the SLA. */
  poolId?: string;
};

export type SkippedInPool = { poolId: string; repId: string; reason: SkipReason };

export type Assignment = {
  status: 'assigned';
  poolId: string;
  ruleId?: string;
  repId: string;
  responseDueAt: Date;
  /** The pool's state to store, replacing the one read. */
  nextPoolState: PoolState;
  /** The chosen rep's counters to store, counted on the rep's local day. */
  nextRepLoad: RepLoad;
  /** The lead went to the default pool because no rule matched or the intended pool had nobody eligible. */
  fellBackToDefault: boolean;
  skipped: SkippedInPool[];
};

export type NoAssignment = {
  status: 'unassigned';
  reason: 'no_eligible_rep';
  ruleId?: string;
  /** The pools tried in order; a pool id the configuration does not define counts as empty. */
  triedPoolIds: string[];
  skipped: SkippedInPool[];
};

/**
 * Routes a lead: the first matching rule names the pool (or `poolId` overrides it), the pool's
 * strategy picks an eligible rep, and when nobody is eligible there the default pool is tried. Pure:
 * the caller stores `nextPoolState` and `nextRepLoad` under the pool's lock.
 */
export function assignLead(input: AssignLeadInput): Assignment | NoAssignment {
  const { lead, settings, now } = input;
  const rule = matchRule(lead, settings.rules);
  const ruleId = rule === undefined ? {} : { ruleId: rule.id };
  const namedPoolId = input.poolId ?? rule?.poolId;
  const candidates = [...new Set([namedPoolId ?? settings.defaultPoolId, settings.defaultPoolId])];
  const slaMinutes = rule?.responseSlaMinutes ?? settings.defaultResponseSlaMinutes;

  const skipped: SkippedInPool[] = [];
  for (const poolId of candidates) {
    const pool = input.pools.find((candidate) => candidate.id === poolId);
    if (pool === undefined) continue;
    const eligibility = eligibleReps({
      members: pool.members,
      reps: input.reps,
      loads: input.loads,
      now,
      exclude: input.excludeRepIds ?? [],
    });
    skipped.push(...eligibility.skipped.map((skip) => ({ poolId, ...skip })));
    const choice = chooseRep({
      pool,
      eligible: eligibility.eligible,
      state: input.poolStates[poolId] ?? emptyPoolState(),
      now,
    });
    const chosen = eligibility.eligible.find((rep) => rep.repId === choice?.repId);
    if (choice === undefined || chosen === undefined) continue;
    return {
      status: 'assigned',
      poolId,
      ...ruleId,
      repId: choice.repId,
      responseDueAt: new Date(now.getTime() + slaMinutes * 60_000),
      nextPoolState: choice.nextState,
      nextRepLoad: withAssignment(input.loads[choice.repId], chosen.localDay),
      fellBackToDefault: poolId !== namedPoolId,
      skipped,
    };
  }
  return { status: 'unassigned', reason: 'no_eligible_rep', ...ruleId, triedPoolIds: candidates, skipped };
}
