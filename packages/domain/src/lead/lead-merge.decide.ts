import { RuleViolation } from '../rule-violation.ts';
import type { MergeLeads } from './lead.commands.ts';
import type { LeadEvent, LeadsMerged } from './lead.events.ts';
import type { ActiveLead, Lead } from './lead.state.ts';
import { LeadMergedError } from './lead-merged.error.ts';
import { profileChanges } from './lead-profile.ts';

/** The events of a merge, per stream; the caller appends both lists in one transaction. */
export type MergeDecision = { survivorEvents: LeadEvent[]; mergedEvents: LeadEvent[] };

/**
 * Decides a merge on the states of both leads. On success the survivor gets `LeadsMerged` (role
 * survivor, with the merged lead's capture ids) and a `LeadProfileUpdated` filling its unknown fields
 * from the merged lead's profile; the merged lead gets `LeadsMerged` (role merged). Both lists are
 * empty when the merged lead was already merged into this survivor.
 * @throws {@link RuleViolation} (field `survivorLeadId` or `mergedLeadId`) for a missing lead, a lead
 *   of another tenant, a merge into itself, or a lead already merged into a third one.
 * @throws {@link LeadMergedError} when the survivor was itself merged: merge into its survivor instead.
 */
export function decideMerge(options: { survivor: Lead; merged: Lead; command: MergeLeads }): MergeDecision {
  const { command } = options;
  const { tenantId, survivorLeadId, mergedLeadId, reason } = command.data;
  if (survivorLeadId === mergedLeadId) {
    throw new RuleViolation('a lead cannot be merged into itself', { field: 'mergedLeadId' });
  }
  const survivor = existingLead(options.survivor, { leadId: survivorLeadId, tenantId, field: 'survivorLeadId' });
  const merged = existingLead(options.merged, { leadId: mergedLeadId, tenantId, field: 'mergedLeadId' });

  if (merged.status === 'merged') {
    if (merged.mergedInto === survivorLeadId) return { survivorEvents: [], mergedEvents: [] };
    throw new RuleViolation(`lead ${mergedLeadId} was already merged into another lead`, { field: 'mergedLeadId' });
  }
  if (survivor.status === 'merged') {
    throw new LeadMergedError({
      mergedLeadId: survivorLeadId,
      survivorLeadId: survivor.mergedInto,
      field: 'survivorLeadId',
    });
  }

  const mergedAt = command.metadata.now.toISOString();
  const merge = { tenantId, survivorLeadId, mergedLeadId, mergedAt, ...(reason === undefined ? {} : { reason }) };
  const onSurvivor: LeadsMerged = {
    type: 'LeadsMerged',
    data: { leadId: survivorLeadId, ...merge, role: 'survivor', ...absorbed(merged) },
  };
  const survivorEvents: LeadEvent[] = [onSurvivor];
  const changes = profileChanges(survivor.profile, merged.profile);
  if (changes !== undefined) {
    survivorEvents.push({
      type: 'LeadProfileUpdated',
      data: { leadId: survivorLeadId, tenantId, updatedAt: mergedAt, source: 'merge', ...changes },
    });
  }
  return {
    survivorEvents,
    mergedEvents: [{ type: 'LeadsMerged', data: { leadId: mergedLeadId, ...merge, role: 'merged' } }],
  };
}

function existingLead(
  lead: Lead,
  expected: { leadId: string; tenantId: string; field: 'survivorLeadId' | 'mergedLeadId' },
): Exclude<Lead, { status: 'none' }> {
  const { field } = expected;
  if (lead.status === 'none') throw new RuleViolation('lead does not exist', { field });
  if (lead.tenantId !== expected.tenantId) throw new RuleViolation('lead belongs to another tenant', { field });
  if (lead.leadId !== expected.leadId) throw new RuleViolation(`the stream holds lead ${lead.leadId}`, { field });
  return lead;
}

function absorbed(merged: ActiveLead): { absorbedCaptureIds?: string[] } {
  return merged.appliedCaptureIds.length === 0 ? {} : { absorbedCaptureIds: [...merged.appliedCaptureIds] };
}
