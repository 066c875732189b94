import { assignLead } from '../assignment/index.ts';
import type { Assignment, AssignLeadInput, NoAssignment } from '../assignment/index.ts';
import type { AssignmentTrigger } from '../routing-leads/routing-lead.ts';

/**
 * Routes a lead for a trigger: first avoiding every rep who had the lead, and when that leaves
 * nobody eligible, avoiding only the rep it was just taken from, who never gets it back.
 */
export function chooseOwner(
  input: Omit<AssignLeadInput, 'excludeRepIds' | 'poolId'> & { trigger: AssignmentTrigger },
): Assignment | NoAssignment {
  const { trigger, ...rest } = input;
  const base: AssignLeadInput = { ...rest, ...(trigger.poolId === undefined ? {} : { poolId: trigger.poolId }) };
  const avoiding = [...new Set([...trigger.avoidRepIds, ...trigger.excludeRepIds])];
  const first = assignLead({ ...base, excludeRepIds: avoiding });
  if (first.status === 'assigned' || avoiding.length === new Set(trigger.excludeRepIds).size) return first;
  return assignLead({ ...base, excludeRepIds: trigger.excludeRepIds });
}
