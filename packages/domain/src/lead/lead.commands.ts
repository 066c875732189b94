import type { LeadActivity, LeadCapturedV1, LeadMatchKind } from '@l2o/contracts';

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

/** The commands decided on one Lead stream. */
export type LeadCommand = CaptureLead | RecordActivity;
