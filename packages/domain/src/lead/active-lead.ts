import { RuleViolation } from '../rule-violation.ts';
import type { ActiveLead, Lead } from './lead.state.ts';
import { LeadMergedError } from './lead-merged.error.ts';

/**
 * The lead a command may act on: it exists, belongs to the caller's tenant and was not merged away.
 * The tenant is checked first, so a merged lead's pointer never reaches another tenant.
 * @throws {@link RuleViolation} for a missing lead or another tenant's; {@link LeadMergedError} for a merged one.
 */
export function activeLead(lead: Lead, target: { leadId: string; tenantId: string }): ActiveLead {
  if (lead.status === 'none') throw new RuleViolation('lead does not exist', { field: 'leadId' });
  if (lead.tenantId !== target.tenantId) {
    throw new RuleViolation('lead belongs to another tenant', { field: 'tenantId' });
  }
  if (lead.leadId !== target.leadId) {
    throw new RuleViolation(`the stream holds lead ${lead.leadId}`, { field: 'leadId' });
  }
  if (lead.status === 'merged') {
    throw new LeadMergedError({ mergedLeadId: lead.leadId, survivorLeadId: lead.mergedInto });
  }
  return lead;
}
