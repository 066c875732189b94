import type { LeadCompany, LeadConsent, LeadContactFields, LeadCustomFields, LeadExternalId } from '@l2o/contracts';

/** What is known of the person behind a lead, gathered from its captures and merged leads. */
export type LeadProfile = {
  contact: LeadContactFields;
  company: LeadCompany;
  consent?: LeadConsent;
  externalIds: readonly LeadExternalId[];
  customFields: LeadCustomFields;
};

/** A captured lead that takes captures, activities and merges. */
export type ActiveLead = {
  status: 'active';
  leadId: string;
  tenantId: string;
  capturedAt: string;
  profile: LeadProfile;
  /** Every capture id applied to the lead or to a lead merged into it, oldest first, each once. */
  appliedCaptureIds: readonly string[];
};

/** A lead merged into another; what comes for it belongs to `mergedInto`. */
export type MergedLead = {
  status: 'merged';
  leadId: string;
  tenantId: string;
  mergedInto: string;
};

/** What the Lead decider knows of a lead, by lifecycle status; `none` until it is captured. */
export type Lead = { status: 'none' } | ActiveLead | MergedLead;

/** The state of a lead whose stream is empty. */
export function initialState(): Lead {
  return { status: 'none' };
}
