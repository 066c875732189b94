import type { OpportunityFields, OpportunityStage } from '@l2o/contracts';

/** What every opened opportunity keeps, whether open or closed. */
type OpportunityDeal = {
  opportunityId: string;
  tenantId: string;
  leadId: string;
  pipelineId: string;
  stage: OpportunityStage;
  /** When it entered `stage`; the stage SLA counts from here, and a stall is marked once per entry. */
  enteredStageAt: string;
  amount: number;
  currency: string;
  /** The expected close date, YYYY-MM-DD. */
  closeDate: string;
  fields: OpportunityFields;
  /** The `enteredStageAt` of the stage entry already marked stalled, if any. */
  stalledForStageEntry?: string;
};

/** An opportunity being worked: it moves through stages and takes changes. */
export type ActiveOpportunity = OpportunityDeal & { status: 'open' };

/** A won opportunity; `amount` is the final amount. Only a reopen changes it. */
export type WonOpportunity = OpportunityDeal & { status: 'won'; closedAt: string };

/** A lost opportunity. Only a reopen changes it. */
export type LostOpportunity = OpportunityDeal & {
  status: 'lost';
  closedAt: string;
  lostReason: string;
  competitor?: string;
};

/** What the Opportunity decider knows of an opportunity, by status; `none` until it is opened. */
export type Opportunity = { status: 'none' } | ActiveOpportunity | WonOpportunity | LostOpportunity;

/** The state of an opportunity whose stream is empty. */
export function initialState(): Opportunity {
  return { status: 'none' };
}
