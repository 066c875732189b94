import type { OpportunityStage } from '@l2o/contracts';
import type { OpportunityEvent } from '@l2o/domain';

/** One row of `pipeline_opportunities`: what the forecast and the stage timers need of an opportunity. */
export type PipelineOpportunity = {
  opportunityId: string;
  tenantId: string;
  leadId: string;
  ownerId: string;
  pipelineId: string;
  stage: OpportunityStage;
  amount: number;
  currency: string;
  /** YYYY-MM-DD */
  closeDate: string;
  status: 'open' | 'won' | 'lost';
  enteredStageAt: string;
  /** It outstayed the SLA of its current stage entry. */
  stalled: boolean;
  closedAt?: string;
};

/** What an event does to the opportunity's stage SLA timers. */
export type TimerChange =
  /** It entered a stage: pending timers end and one starts for this entry. */
  | { kind: 'entered'; stageId: string; enteredAt: string }
  /** It closed: pending timers end. */
  | { kind: 'closed'; at: string }
  /** It was marked stalled for a stage entry: that entry's timer has fired. */
  | { kind: 'stalled'; stageId: string; enteredAt: string; at: string };

/**
 * The row after the next event of its stream, and what the event does to the stage timers. A row
 * starts with `OpportunityOpened`; the consumer kit hands the events over once each, in stream order.
 * @throws Error when a first event is not an opening.
 */
export function projectOpportunityEvent(
  current: PipelineOpportunity | undefined,
  next: { opportunityId: string; event: OpportunityEvent },
): { row: PipelineOpportunity; timer?: TimerChange } {
  const { event } = next;
  if (current === undefined) {
    if (event.type !== 'OpportunityOpened') {
      throw new Error(`opportunity ${next.opportunityId}: its first event is not OpportunityOpened`);
    }
    const { data } = event;
    return {
      row: {
        opportunityId: data.opportunityId,
        tenantId: data.tenantId,
        leadId: data.leadId,
        ownerId: data.ownerId,
        pipelineId: data.pipelineId,
        stage: data.stage,
        amount: data.amount,
        currency: data.currency,
        closeDate: data.expectedCloseDate,
        status: 'open',
        enteredStageAt: data.openedAt,
        stalled: false,
      },
      timer: { kind: 'entered', stageId: data.stage.id, enteredAt: data.openedAt },
    };
  }
  const row = current;
  switch (event.type) {
    case 'OpportunityStageChanged': {
      const { toStage, changedAt } = event.data;
      return {
        row: { ...row, stage: toStage, enteredStageAt: changedAt, stalled: false },
        timer: { kind: 'entered', stageId: toStage.id, enteredAt: changedAt },
      };
    }
    case 'OpportunityAmountChanged':
      return { row: { ...row, amount: event.data.amount, currency: event.data.currency } };
    case 'OpportunityCloseDateChanged':
      return { row: { ...row, closeDate: event.data.expectedCloseDate } };
    case 'OpportunityWon':
      return {
        row: { ...row, status: 'won', amount: event.data.amount, stage: event.data.stage, closedAt: event.data.wonAt },
        timer: { kind: 'closed', at: event.data.wonAt },
      };
    case 'OpportunityLost':
      return {
        row: { ...row, status: 'lost', stage: event.data.stage, closedAt: event.data.lostAt },
        timer: { kind: 'closed', at: event.data.lostAt },
      };
    case 'OpportunityReopened': {
      const { stage, reopenedAt } = event.data;
      const { closedAt: _closedAt, ...reopened } = row;
      return {
        row: { ...reopened, status: 'open', stage, enteredStageAt: reopenedAt, stalled: false },
        timer: { kind: 'entered', stageId: stage.id, enteredAt: reopenedAt },
      };
    }
    case 'OpportunityStalled': {
      const { stage, enteredStageAt, stalledAt } = event.data;
      const current = row.status === 'open' && row.stage.id === stage.id && row.enteredStageAt === enteredStageAt;
      return {
        row: current ? { ...row, stalled: true } : row,
        timer: { kind: 'stalled', stageId: stage.id, enteredAt: enteredStageAt, at: stalledAt },
      };
    }
    // Details change neither the forecast nor the timers.
    default:
      return { row };
  }
}
