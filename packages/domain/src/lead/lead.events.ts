import type { LeadCapturedV1 } from '@l2o/contracts';

/** Lead events as the decider returns them; the store adds ids, version and metadata. */
export type LeadCaptured = { type: 'LeadCaptured'; data: LeadCapturedV1 };

export type LeadEvent = LeadCaptured;
