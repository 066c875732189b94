import type { EligibleRep } from './eligibility.ts';
import { afterAssignment } from './pool-state.ts';
import type { ChooseInput, Choice } from './pool-state.ts';

/**
 * The member with the fewest open leads; ties go to the fewest assigned today, then to the longest
 * since their last assignment from this pool (never assigned first), then to member order.
 */
export function chooseLoadBalanced(input: ChooseInput): Choice | undefined {
  const { pool, eligible, state, now } = input;
  const lastAssigned = (rep: EligibleRep): number => {
    const at = state.lastAssignedAt[rep.repId];
    return at === undefined ? Number.NEGATIVE_INFINITY : Date.parse(at);
  };
  let best: EligibleRep | undefined;
  for (const rep of eligible) {
    if (best === undefined || precedes(rep, best, lastAssigned)) best = rep;
  }
  if (best === undefined) return undefined;
  const repId = best.repId;
  return { repId, nextState: afterAssignment({ pool, state, repId, now }) };
}

// Strictly before: on a full tie the earlier member, met first, stays best.
function precedes(a: EligibleRep, b: EligibleRep, lastAssigned: (rep: EligibleRep) => number): boolean {
  if (a.openLeads !== b.openLeads) return a.openLeads < b.openLeads;
  if (a.assignedToday !== b.assignedToday) return a.assignedToday < b.assignedToday;
  return lastAssigned(a) < lastAssigned(b);
}
