import type {
  LeadAcceptedV1,
  LeadAssignedV1,
  LeadContactedV1,
  LeadConvertedV1,
  LeadDisqualifiedV1,
  LeadEscalatedV1,
  LeadQualificationRevokedV1,
  LeadQualifiedV1,
  LeadRecycledV1,
  LeadRejectedV1,
  LeadResponseSlaBreachedV1,
  LeadSalesQualifiedV1,
  LeadScoredV1,
  LeadActivityRecordedV1,
  LeadCapturedV1,
  LeadProfileUpdatedV1,
  LeadsMergedV1,
  LeadTouchRecordedV1,
} from '@l2o/contracts';

// Lead events as the decider returns them; the store adds ids, version and metadata.

/** A new lead entered the platform; always the first event of its stream. */
export type LeadCaptured = { type: 'LeadCaptured'; data: LeadCapturedV1 };
/** A known lead came in again through a channel. */
export type LeadTouchRecorded = { type: 'LeadTouchRecorded'; data: LeadTouchRecordedV1 };
/** Profile fields the lead did not have became known. */
export type LeadProfileUpdated = { type: 'LeadProfileUpdated'; data: LeadProfileUpdatedV1 };
/** A behaviour of the lead was recorded. */
export type LeadActivityRecorded = { type: 'LeadActivityRecorded'; data: LeadActivityRecordedV1 };
/** The lead took part in a merge, as survivor or as the merged lead (`data.role`). */
export type LeadsMerged = { type: 'LeadsMerged'; data: LeadsMergedV1 };

export type LeadScored = { type: 'LeadScored'; data: LeadScoredV1 };
/** The lead became marketing-qualified (MQL). */
export type LeadQualified = { type: 'LeadQualified'; data: LeadQualifiedV1 };
export type LeadQualificationRevoked = { type: 'LeadQualificationRevoked'; data: LeadQualificationRevokedV1 };
export type LeadAssigned = { type: 'LeadAssigned'; data: LeadAssignedV1 };
export type LeadAccepted = { type: 'LeadAccepted'; data: LeadAcceptedV1 };
export type LeadContacted = { type: 'LeadContacted'; data: LeadContactedV1 };
export type LeadRejected = { type: 'LeadRejected'; data: LeadRejectedV1 };
export type LeadDisqualified = { type: 'LeadDisqualified'; data: LeadDisqualifiedV1 };
export type LeadResponseSlaBreached = { type: 'LeadResponseSlaBreached'; data: LeadResponseSlaBreachedV1 };
export type LeadRecycled = { type: 'LeadRecycled'; data: LeadRecycledV1 };
export type LeadEscalated = { type: 'LeadEscalated'; data: LeadEscalatedV1 };
/** The lead became sales-qualified (SQL). */
export type LeadSalesQualified = { type: 'LeadSalesQualified'; data: LeadSalesQualifiedV1 };
export type LeadConverted = { type: 'LeadConverted'; data: LeadConvertedV1 };

export type LeadEvent =
  | LeadCaptured
  | LeadTouchRecorded
  | LeadProfileUpdated
  | LeadActivityRecorded
  | LeadsMerged
  | LeadScored
  | LeadQualified
  | LeadQualificationRevoked
  | LeadAssigned
  | LeadAccepted
  | LeadContacted
  | LeadRejected
  | LeadDisqualified
  | LeadResponseSlaBreached
  | LeadRecycled
  | LeadEscalated
  | LeadSalesQualified
  | LeadConverted;
