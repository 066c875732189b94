import type { OpportunityFields, OpportunityOpenedV1, OpportunityStage } from '@l2o/contracts';
import type { CommandMetadata } from '../lead/lead.commands.ts';

/** The opportunity a command is for, and the caller's tenant. */
type OpportunityRef = { opportunityId: string; tenantId: string };

/**
 * Opens the opportunity a sales-qualified lead converts into. `opportunityId` must be
 * `opportunityIdForLead(leadId)`; `stage` is the first stage of the pipeline; `openedAt` is `metadata.now`.
 */
export type OpenOpportunity = {
  type: 'OpenOpportunity';
  data: Omit<OpportunityOpenedV1, 'openedAt'>;
  metadata: CommandMetadata;
};

/** Moves an open opportunity to another stage of its pipeline. */
export type MoveStage = {
  type: 'MoveStage';
  data: OpportunityRef & {
    /** The target stage, as the tenant's pipeline defines it now. */
    toStage: OpportunityStage;
    /**
     * The fields that must be set to leave the current stage forward, looked up from the pipeline.
     * A caller that lets a move skip stages adds the exit criteria of the skipped stages.
     */
    exitCriteria: readonly string[];
    /** The user who moves it. */
    by: string;
  };
  metadata: CommandMetadata;
};

/** Sets fields of an open opportunity; a `null` value clears a field. */
export type UpdateDetails = {
  type: 'UpdateDetails';
  data: OpportunityRef & { fields: OpportunityFields };
  metadata: CommandMetadata;
};

/** Changes the expected amount of an open opportunity, in the currency it opened with. */
export type ChangeAmount = {
  type: 'ChangeAmount';
  data: OpportunityRef & { amount: number };
  metadata: CommandMetadata;
};

/** Changes the expected close date (YYYY-MM-DD) of an open opportunity. */
export type ChangeCloseDate = {
  type: 'ChangeCloseDate';
  data: OpportunityRef & { expectedCloseDate: string };
  metadata: CommandMetadata;
};

/** Closes an open opportunity as won, at `amount` or, when omitted, its current amount. */
export type WinOpportunity = {
  type: 'WinOpportunity';
  data: OpportunityRef & { amount?: number };
  metadata: CommandMetadata;
};

/** Closes an open opportunity as lost. */
export type LoseOpportunity = {
  type: 'LoseOpportunity';
  data: OpportunityRef & {
    reason: string;
    competitor?: string;
    /** The tenant's lost reasons, looked up from its settings; `reason` must be one of them. */
    lostReasons: readonly string[];
  };
  metadata: CommandMetadata;
};

/** Opens a won or lost opportunity again, in the given stage. */
export type ReopenOpportunity = {
  type: 'ReopenOpportunity';
  data: OpportunityRef & { stage: OpportunityStage };
  metadata: CommandMetadata;
};

/**
 * Sent by the stage SLA timer when it fires: marks the opportunity stalled if it is still open in the
 * stage entry the timer was set for (`stageId` entered at `enteredStageAt`) and was not marked for it yet.
 */
export type MarkStalled = {
  type: 'MarkStalled';
  data: OpportunityRef & { stageId: string; enteredStageAt: string; slaDays: number };
  metadata: CommandMetadata;
};

/** The commands decided on one Opportunity stream. */
export type OpportunityCommand =
  | OpenOpportunity
  | MoveStage
  | UpdateDetails
  | ChangeAmount
  | ChangeCloseDate
  | WinOpportunity
  | LoseOpportunity
  | ReopenOpportunity
  | MarkStalled;
