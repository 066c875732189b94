import type {
  OpportunityAmountChangedV1,
  OpportunityCloseDateChangedV1,
  OpportunityDetailsUpdatedV1,
  OpportunityLostV1,
  OpportunityOpenedV1,
  OpportunityReopenedV1,
  OpportunityStageChangedV1,
  OpportunityStalledV1,
  OpportunityWonV1,
} from '@l2o/contracts';

// Opportunity events as the decider returns them; the store adds ids, version and metadata.

/** A converted lead became an opportunity; always the first event of its stream. */
export type OpportunityOpened = { type: 'OpportunityOpened'; data: OpportunityOpenedV1 };
/** The opportunity moved to another stage, forward or back. */
export type OpportunityStageChanged = { type: 'OpportunityStageChanged'; data: OpportunityStageChangedV1 };
/** Fields of the opportunity were set. */
export type OpportunityDetailsUpdated = { type: 'OpportunityDetailsUpdated'; data: OpportunityDetailsUpdatedV1 };
/** The expected amount changed. */
export type OpportunityAmountChanged = { type: 'OpportunityAmountChanged'; data: OpportunityAmountChangedV1 };
/** The expected close date changed. */
export type OpportunityCloseDateChanged = { type: 'OpportunityCloseDateChanged'; data: OpportunityCloseDateChangedV1 };
/** The deal was won at its final amount. */
export type OpportunityWon = { type: 'OpportunityWon'; data: OpportunityWonV1 };
/** The deal was lost. */
export type OpportunityLost = { type: 'OpportunityLost'; data: OpportunityLostV1 };
/** A closed opportunity is open again. */
export type OpportunityReopened = { type: 'OpportunityReopened'; data: OpportunityReopenedV1 };
/** The opportunity outstayed its stage SLA. */
export type OpportunityStalled = { type: 'OpportunityStalled'; data: OpportunityStalledV1 };

export type OpportunityEvent =
  | OpportunityOpened
  | OpportunityStageChanged
  | OpportunityDetailsUpdated
  | OpportunityAmountChanged
  | OpportunityCloseDateChanged
  | OpportunityWon
  | OpportunityLost
  | OpportunityReopened
  | OpportunityStalled;
