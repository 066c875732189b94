import { uuidV5 } from './uuid-v5.ts';

/**
 * The namespace of opportunity ids derived from lead ids. Fixed for good: changing it would give a
 * converted lead a second opportunity id, and a redelivered conversion a second opportunity.
 */
export const opportunityIdNamespace = '582fcee9-f754-407a-8de2-55dc068f61d1';

/**
 * The id of the opportunity a lead converts into: a UUID v5 of the lead id (lower-cased) in
 * {@link opportunityIdNamespace}. Deterministic, so a redelivered conversion opens the same stream.
 */
export function opportunityIdForLead(leadId: string): string {
  return uuidV5(leadId.toLowerCase(), opportunityIdNamespace);
}
