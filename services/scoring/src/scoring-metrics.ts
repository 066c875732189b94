import type { LeadScoringTrigger } from '@l2o/contracts';

/** What a scoring of a lead came to: new events on the lead, or nothing new to say. */
export type ScoringOutcome = 'recorded' | 'unchanged';

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
