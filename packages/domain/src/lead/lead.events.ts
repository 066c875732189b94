import type {
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

export type LeadEvent = LeadCaptured | LeadTouchRecorded | LeadProfileUpdated | LeadActivityRecorded | LeadsMerged;
