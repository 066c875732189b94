import type { LeadScoringTrigger } from '@l2o/contracts';

/** What a scoring of a lead came to: new events on the lead, nothing new to say, or a lead that refused it for good. */
export type ScoringOutcome = 'recorded' | 'unchanged' | 'refused';

/** The scoring service's own metrics. */
export type ScoringMetrics = {
  leadScored(options: { trigger: LeadScoringTrigger; outcome: ScoringOutcome }): void;
  /** One batch of due leads claimed by the rescore scheduler, and how late the oldest of them was. */
  rescoreBatch(options: { size: number; lagSeconds: number }): void;
};

/** Metrics that record nothing, for tests and tools. */
export const noScoringMetrics: ScoringMetrics = {
  leadScored: () => undefined,
  rescoreBatch: () => undefined,
};
