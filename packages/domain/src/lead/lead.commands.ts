import type {
  LeadActivity,
  LeadAssignedV1,
  LeadCapturedV1,
  LeadContactMethod,
  LeadMatchKind,
  LeadScoredV1,
} from '@l2o/contracts';

/** Commands carry the time they are decided at, so the decider stays pure. */
export type CommandMetadata = { now: Date };

/**
 * Captures a person on the lead the caller resolved: a new lead when its stream is empty, a
 * touch (and the profile fields it did not have) when it exists. `capturedAt` is `metadata.now`.
 */
export type CaptureLead = {
  type: 'CaptureLead';
  data: Omit<LeadCapturedV1, 'capturedAt' | 'captureId'>;
  /** The caller's idempotency key for this capture; a lead applies each one once. */
  captureId?: string;
  /** What tied the capture to an existing lead; `lead_id` when omitted. Unused for a new lead. */
  matchedBy?: LeadMatchKind;
  metadata: CommandMetadata;
};

/** Records a behaviour of an existing lead. */
export type RecordActivity = {
  type: 'RecordActivity';
  data: { leadId: string; tenantId: string; activity: LeadActivity };
  /** The caller's idempotency key; shares the lead's set of applied capture ids with `CaptureLead`. */
  captureId?: string;
  metadata: CommandMetadata;
};

/**
 * Merges one lead into another of the same tenant. It spans two streams, so it is decided by
 * `decideMerge` on both states rather than by the single-stream Lead decider.
 */
export type MergeLeads = {
  type: 'MergeLeads';
  data: {
    /** The tenant of the caller; both leads must belong to it. */
    tenantId: string;
    survivorLeadId: string;
    mergedLeadId: string;
    reason?: string;
  };
  metadata: CommandMetadata;
};

/** The lead a lifecycle command is for, and the caller's tenant, which must own it. */
type LeadRef = { leadId: string; tenantId: string };

/**
 * Records a score the scoring service computed. `LeadScored` only when score or grade changed;
 * `LeadQualified` when a lead that is not yet an MQL reaches `mql.threshold`; `LeadQualificationRevoked`
 * only when the policy sets `mql.revokeBelow` and an MQL falls under it.
 */
export type ScoreLead = {
  type: 'ScoreLead';
  data: LeadRef &
    Pick<LeadScoredV1, 'score' | 'grade' | 'components' | 'breakdown' | 'ruleSetVersion' | 'trigger'> & {
      mql: { threshold: number; revokeBelow?: number | null };
    };
  metadata: CommandMetadata;
};

/**
 * Gives the lead to a rep. Automatic reasons (`qualified`, `recycled`, `rejected`) assign only a lead
 * without an owner, so a redelivered trigger never moves a lead twice; `manual` reassigns.
 */
export type AssignLead = {
  type: 'AssignLead';
  data: LeadRef & Pick<LeadAssignedV1, 'ownerId' | 'poolId' | 'ruleId' | 'strategy' | 'reason' | 'responseDueAt'>;
  metadata: CommandMetadata;
};

/** The owner takes the lead on; meets the first-response SLA. */
export type AcceptLead = { type: 'AcceptLead'; data: LeadRef & { ownerId: string }; metadata: CommandMetadata };

/** The owner reached the person; the first contact meets the first-response SLA. */
export type RecordContact = {
  type: 'RecordContact';
  data: LeadRef & { ownerId: string; method: LeadContactMethod; note?: string };
  metadata: CommandMetadata;
};

/** The owner hands the lead back; routing finds another rep. */
export type RejectLead = {
  type: 'RejectLead';
  data: LeadRef & { ownerId: string; reason: string };
  metadata: CommandMetadata;
};

/** Ends a lead that will not be worked. `by` is the owner or an administrator. */
export type DisqualifyLead = {
  type: 'DisqualifyLead';
  data: LeadRef & { by: string; reason: string };
  metadata: CommandMetadata;
};

/**
 * What a first-response timer sends when it fires, naming the assignment it was set for. Nothing
 * happens when that assignment is over or was answered; otherwise the lead is recycled to
 * `sharedPoolId`, and escalated once its breaches reach `escalateAfterBreaches`.
 */
export type BreachResponseSla = {
  type: 'BreachResponseSla';
  data: LeadRef & {
    ownerId: string;
    assignedAt: string;
    sharedPoolId: string;
    escalateAfterBreaches: number;
    managerId?: string;
  };
  metadata: CommandMetadata;
};

/** The owner judges the lead sales-qualified (SQL). */
export type QualifySalesLead = {
  type: 'QualifySalesLead';
  data: LeadRef & { by: string; notes?: string };
  metadata: CommandMetadata;
};

/** Converts an SQL into the opportunity whose id the caller derived from the lead id. */
export type ConvertLead = {
  type: 'ConvertLead';
  data: LeadRef & { by: string; opportunityId: string };
  metadata: CommandMetadata;
};

/** The commands decided on one Lead stream. */
export type LeadCommand =
  | CaptureLead
  | RecordActivity
  | ScoreLead
  | AssignLead
  | AcceptLead
  | RecordContact
  | RejectLead
  | DisqualifyLead
  | BreachResponseSla
  | QualifySalesLead
  | ConvertLead;
