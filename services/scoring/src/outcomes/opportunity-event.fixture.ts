import { randomUUID } from 'node:crypto';
import {
  cloudEventTypeOf,
  opportunityLostV1Example,
  opportunityOpenedV1Example,
  opportunityReopenedV1Example,
  opportunityWonV1Example,
} from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';

/** An opportunity of a lead and the events of its stream, as the relay publishes them. */
export type TestOpportunity = {
  opportunityId: string;
  opened(): CloudEvent;
  won(): CloudEvent;
  lost(): CloudEvent;
  reopened(previousOutcome: 'won' | 'lost'): CloudEvent;
};

export function testOpportunity(options: { tenantId: string; leadId: string }): TestOpportunity {
  const { tenantId, leadId } = options;
  const opportunityId = randomUUID();
  let version = 0;
  const event = (name: string, data: Record<string, unknown>): CloudEvent => {
    version += 1;
    return {
      specversion: '1.0',
      id: randomUUID(),
      type: cloudEventTypeOf(name, 1),
      source: '/l2o/pipeline',
      subject: opportunityId,
      time: '2025-06-27T16:20:00.000Z',
      datacontenttype: 'application/json',
      tenantid: tenantId,
      streamversion: version,
      data: { ...data, opportunityId, tenantId },
    };
  };
  return {
    opportunityId,
    opened: () => event('OpportunityOpened', { ...opportunityOpenedV1Example, leadId }),
    won: () => event('OpportunityWon', opportunityWonV1Example),
    lost: () => event('OpportunityLost', opportunityLostV1Example),
    reopened: (previousOutcome) => event('OpportunityReopened', { ...opportunityReopenedV1Example, previousOutcome }),
  };
}
