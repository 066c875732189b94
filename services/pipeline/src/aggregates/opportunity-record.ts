import type { OpportunityOpenedV1 } from '@l2o/contracts';
import { evolveOpportunity, initialOpportunityState } from '@l2o/domain';
import type { Opportunity, OpportunityEvent } from '@l2o/domain';
import type { RecordedEvent } from '@l2o/event-store';
import { HttpError } from '@l2o/service-kit';

/**
 * An opportunity as pipeline answers for it: the decider's state plus what only the opening carries
 * (owner, name, company, contact, source), which the decider does not need to keep.
 */
export type OpportunityRecord = { opportunity: Opportunity; opened?: OpportunityOpenedV1 };

/** An opportunity that was opened, with its opening. */
export type OpenedRecord = {
  opportunity: Exclude<Opportunity, { status: 'none' }>;
  opened: OpportunityOpenedV1;
};

export function initialOpportunityRecord(): OpportunityRecord {
  return { opportunity: initialOpportunityState() };
}

export function evolveOpportunityRecord(record: OpportunityRecord, event: OpportunityEvent): OpportunityRecord {
  const opportunity = evolveOpportunity(record.opportunity, event);
  return event.type === 'OpportunityOpened' ? { opportunity, opened: event.data } : { ...record, opportunity };
}

/** The record a stream's events add up to. */
export function foldOpportunity(past: readonly RecordedEvent[]): OpportunityRecord {
  return past.reduce(
    (record, recorded) =>
      evolveOpportunityRecord(record, { type: recorded.type, data: recorded.data } as OpportunityEvent),
    initialOpportunityRecord(),
  );
}

/**
 * The opportunity if it was opened for the caller's tenant. Another tenant's opportunity is answered
 * as missing, so ids cannot be probed across tenants.
 * @throws HttpError 404 otherwise.
 */
export function tenantOpportunity(record: OpportunityRecord, tenantId: string): OpenedRecord {
  const { opportunity, opened } = record;
  if (opportunity.status === 'none' || opened === undefined || opportunity.tenantId !== tenantId) {
    throw new HttpError({ status: 404, code: 'not_found', field: 'opportunityId', reason: 'no such opportunity' });
  }
  return { opportunity, opened };
}
