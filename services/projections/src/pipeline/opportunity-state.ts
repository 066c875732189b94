import type { OpportunityOpenedV1, OpportunityStage } from '@l2o/contracts';
import type { StreamEvent } from '@l2o/stream-consumer';
import { compareInstants } from '../read-model/instant.ts';
import type { Instant } from '../read-model/instant.ts';

/** Where an opportunity stands between two of its events: one row of `opportunity_states`. */
export type OpportunityState = {
  status: 'open' | 'won' | 'lost';
  leadId: string;
  ownerId: string;
  pipelineId: string;
  channel: string | null;
  campaign: string | null;
  openedAt: string;
  stage: OpportunityStage;
  amount: number;
  currency: string;
  expectedCloseDate: string;
  closedAt: string | null;
  lostReason: string | null;
  competitor: string | null;
  stalled: boolean;
  /** When the opportunity entered this state (ISO 8601). */
  validFrom: string;
};

/** The state an opportunity opens in. */
export function openedState(data: OpportunityOpenedV1): OpportunityState {
  return {
    status: 'open',
    leadId: data.leadId,
    ownerId: data.ownerId,
    pipelineId: data.pipelineId,
    channel: data.source?.channel ?? null,
    campaign: data.source?.campaign ?? null,
    openedAt: data.openedAt,
    stage: data.stage,
    amount: data.amount,
    currency: data.currency,
    expectedCloseDate: data.expectedCloseDate,
    closedAt: null,
    lostReason: null,
    competitor: null,
    stalled: false,
    validFrom: data.openedAt,
  };
}

/**
 * The state after `event`, or `undefined` when the event changes nothing reported on (details, an
 * event of another aggregate). A state never starts before the one it follows: a clock that ran
 * backwards between two events would otherwise make an interval end before it began.
 */
export function nextOpportunityState(state: OpportunityState, event: StreamEvent): OpportunityState | undefined {
  const from = (at: Instant) => (compareInstants(at, state.validFrom) < 0 ? state.validFrom : at);
  switch (event.type) {
    case 'OpportunityStageChanged':
      return { ...state, stage: event.data.toStage, stalled: false, validFrom: from(event.data.changedAt) };
    case 'OpportunityAmountChanged':
      return { ...state, amount: event.data.amount, validFrom: from(event.data.changedAt) };
    case 'OpportunityCloseDateChanged':
      return { ...state, expectedCloseDate: event.data.expectedCloseDate, validFrom: from(event.data.changedAt) };
    case 'OpportunityStalled':
      return { ...state, stalled: true, validFrom: from(event.data.stalledAt) };
    case 'OpportunityWon': {
      const at = from(event.data.wonAt);
      return {
        ...state,
        status: 'won',
        stage: event.data.stage,
        amount: event.data.amount,
        closedAt: at,
        validFrom: at,
      };
    }
    case 'OpportunityLost': {
      const { stage, reason, competitor } = event.data;
      const at = from(event.data.lostAt);
      return {
        ...state,
        status: 'lost',
        stage,
        lostReason: reason,
        competitor: competitor ?? null,
        closedAt: at,
        validFrom: at,
      };
    }
    case 'OpportunityReopened': {
      const at = from(event.data.reopenedAt);
      const reopened = { closedAt: null, lostReason: null, competitor: null, stalled: false };
      return { ...state, ...reopened, status: 'open', stage: event.data.stage, validFrom: at };
    }
    default:
      return undefined;
  }
}

/** How a stay in a stage ended. */
export type StageExit = 'forward' | 'backward' | 'won' | 'lost';

/** What an event does to the opportunity's stays in stages: end the current one, begin another, or both. */
export type StageVisitChange = {
  leave?: { at: string; exit: StageExit };
  enter?: { at: string; stage: OpportunityStage };
};

/** The stage stays `event` ends and begins, at the times its state says (see {@link nextOpportunityState}). */
export function stageVisitChange(event: StreamEvent, next: OpportunityState): StageVisitChange {
  switch (event.type) {
    case 'OpportunityOpened':
      return { enter: { at: next.validFrom, stage: next.stage } };
    case 'OpportunityStageChanged':
      return {
        leave: { at: next.validFrom, exit: event.data.direction },
        enter: { at: next.validFrom, stage: next.stage },
      };
    case 'OpportunityWon':
      return { leave: { at: next.validFrom, exit: 'won' } };
    case 'OpportunityLost':
      return { leave: { at: next.validFrom, exit: 'lost' } };
    case 'OpportunityReopened':
      return { enter: { at: next.validFrom, stage: next.stage } };
    default:
      return {};
  }
}
