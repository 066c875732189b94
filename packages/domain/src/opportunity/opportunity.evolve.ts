import type { OpportunityEvent } from './opportunity.events.ts';
import type { ActiveOpportunity, Opportunity } from './opportunity.state.ts';

/** The Opportunity after one of its events; event types it does not know leave it unchanged. */
export function evolve(opportunity: Opportunity, event: OpportunityEvent): Opportunity {
  switch (event.type) {
    case 'OpportunityOpened': {
      const { data } = event;
      return {
        status: 'open',
        opportunityId: data.opportunityId,
        tenantId: data.tenantId,
        leadId: data.leadId,
        pipelineId: data.pipelineId,
        stage: data.stage,
        enteredStageAt: data.openedAt,
        amount: data.amount,
        currency: data.currency,
        closeDate: data.expectedCloseDate,
        fields: data.fields,
      };
    }
    case 'OpportunityStageChanged':
      return opportunity.status === 'open'
        ? enteredStage(opportunity, { stage: event.data.toStage, at: event.data.changedAt })
        : opportunity;
    case 'OpportunityDetailsUpdated':
      return opportunity.status === 'open'
        ? { ...opportunity, fields: { ...opportunity.fields, ...event.data.fields } }
        : opportunity;
    case 'OpportunityAmountChanged':
      return opportunity.status === 'open'
        ? { ...opportunity, amount: event.data.amount, currency: event.data.currency }
        : opportunity;
    case 'OpportunityCloseDateChanged':
      return opportunity.status === 'open' ? { ...opportunity, closeDate: event.data.expectedCloseDate } : opportunity;
    case 'OpportunityWon':
      return opportunity.status === 'open'
        ? { ...opportunity, status: 'won', amount: event.data.amount, closedAt: event.data.wonAt }
        : opportunity;
    case 'OpportunityLost': {
      if (opportunity.status !== 'open') return opportunity;
      const { lostAt, reason, competitor } = event.data;
      return {
        ...opportunity,
        status: 'lost',
        closedAt: lostAt,
        lostReason: reason,
        ...(competitor === undefined ? {} : { competitor }),
      };
    }
    case 'OpportunityReopened': {
      if (opportunity.status !== 'won' && opportunity.status !== 'lost') return opportunity;
      const { opportunityId, tenantId, leadId, pipelineId, amount, currency, closeDate, fields } = opportunity;
      return {
        status: 'open',
        opportunityId,
        tenantId,
        leadId,
        pipelineId,
        stage: event.data.stage,
        enteredStageAt: event.data.reopenedAt,
        amount,
        currency,
        closeDate,
        fields,
      };
    }
    case 'OpportunityStalled':
      return opportunity.status === 'open'
        ? { ...opportunity, stalledForStageEntry: event.data.enteredStageAt }
        : opportunity;
    // Streams may hold event types newer than this build; they change nothing it decides on.
    default:
      return opportunity;
  }
}

// A new stage entry: the SLA counts from here and no stall is marked for it yet.
function enteredStage(
  opportunity: ActiveOpportunity,
  entry: { stage: ActiveOpportunity['stage']; at: string },
): ActiveOpportunity {
  const { stalledForStageEntry: _stalled, ...rest } = opportunity;
  return { ...rest, stage: entry.stage, enteredStageAt: entry.at };
}
