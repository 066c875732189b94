import type { LeadCapturedV1 } from '@l2o/contracts';

/** Commands carry the time they are decided at, so the decider stays pure. */
export type CommandMetadata = { now: Date };

/** Records a new lead; `capturedAt` is taken from `metadata.now`. */
export type CaptureLead = {
  type: 'CaptureLead';
  data: Omit<LeadCapturedV1, 'capturedAt'>;
  metadata: CommandMetadata;
};

export type LeadCommand = CaptureLead;
