import type {
  LeadCompany,
  LeadConsent,
  LeadContactFields,
  LeadCustomFields,
  LeadExternalId,
  LeadGrade,
} from '@l2o/contracts';

/** What is known of the person behind a lead, gathered from its captures and merged leads. */
export type LeadProfile = {
  contact: LeadContactFields;
  company: LeadCompany;
  consent?: LeadConsent;
  externalIds: readonly LeadExternalId[];
  customFields: LeadCustomFields;
};

/** Where a lead is on its way to an opportunity. */
export type LeadStage = 'new' | 'mql' | 'sql' | 'converted' | 'disqualified';

/** The rep who owns a lead and the first-response deadline they work to. */
export type LeadOwnership = {
  ownerId: string;
  poolId: string;
  assignedAt: string;
  responseDueAt?: string;
  /** When the owner first accepted or contacted the lead; the SLA is met from then on. */
  respondedAt?: string;
};

/** The lead's qualification, ownership and conversion, as scoring, routing and pipeline move it. */
export type LeadLifecycle = {
  stage: LeadStage;
  score?: { score: number; grade: LeadGrade };
  /** Set while the lead is owned; cleared by a recycle or a rejection. */
  owner?: LeadOwnership;
  /** Reps who gave the lead up or lost it, oldest first; routing avoids them. */
  previousOwnerIds: readonly string[];
  responseSlaBreaches: number;
  opportunityId?: string;
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
  lifecycle: LeadLifecycle;
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
