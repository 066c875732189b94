import { randomUUID } from 'node:crypto';
import {
  cloudEventTypeOf,
  leadActivityRecordedV1Example,
  leadCapturedV1Example,
  leadConvertedV1Example,
  leadQualifiedV1Example,
  leadTouchRecordedV1Example,
  opportunityLostV1Example,
  opportunityOpenedV1Example,
  opportunityReopenedV1Example,
  opportunityWonV1Example,
  parseEventData,
} from '@l2o/contracts';
import type { CloudEvent, EventName, LeadChannel } from '@l2o/contracts';

type Touch = { channel: LeadChannel; occurredAt: string; campaign?: string; medium?: string };

function cloudEvent(options: {
  name: EventName;
  subject: string;
  tenantId: string;
  streamversion: number;
  data: Record<string, unknown>;
}): CloudEvent {
  // Parsed so that a fixture that breaks the contract fails here, not deep in a handler.
  const data = parseEventData(options.name, 1, options.data);
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: cloudEventTypeOf(options.name, 1),
    source: '/l2o/attribution-test',
    subject: options.subject,
    time: '2025-03-14T09:26:53.120Z',
    datacontenttype: 'application/json',
    tenantid: options.tenantId,
    streamversion: options.streamversion,
    correlationid: 'req-fixture',
    data,
  };
}

/**
 * The events of one lead's stream and of the opportunity it converts into, numbered as the store numbers
 * them: each call returns the next event of its stream.
 */
export function leadJourney(options: { tenantId: string; leadId?: string; opportunityId?: string }) {
  const { tenantId } = options;
  const leadId = options.leadId ?? randomUUID();
  const opportunityId = options.opportunityId ?? randomUUID();
  let leadVersion = 0;
  let opportunityVersion = 0;
  const leadEvent = (name: EventName, data: Record<string, unknown>) =>
    cloudEvent({ name, subject: leadId, tenantId, streamversion: ++leadVersion, data: { ...data, leadId, tenantId } });
  const opportunityEvent = (name: EventName, data: Record<string, unknown>) =>
    cloudEvent({
      name,
      subject: opportunityId,
      tenantId,
      streamversion: ++opportunityVersion,
      data: { ...data, opportunityId, tenantId },
    });
  const touchpoint = (touch: Touch) => ({
    channel: touch.channel,
    occurredAt: touch.occurredAt,
    ...(touch.campaign === undefined ? {} : { campaign: touch.campaign }),
    ...(touch.medium === undefined ? {} : { medium: touch.medium }),
  });

  return {
    leadId,
    opportunityId,
    tenantId,
    captured: (touch: Touch) =>
      leadEvent('LeadCaptured', {
        ...leadCapturedV1Example,
        capturedAt: touch.occurredAt,
        touchpoint: touchpoint(touch),
      }),
    touched: (touch: Touch) =>
      leadEvent('LeadTouchRecorded', {
        ...leadTouchRecordedV1Example,
        recordedAt: touch.occurredAt,
        touchpoint: touchpoint(touch),
      }),
    acted: (activity: { occurredAt: string; channel?: LeadChannel; campaign?: string }) =>
      leadEvent('LeadActivityRecorded', {
        ...leadActivityRecordedV1Example,
        recordedAt: activity.occurredAt,
        activity: { type: 'webinar_attended', ...activity },
      }),
    qualified: (qualifiedAt: string) => leadEvent('LeadQualified', { ...leadQualifiedV1Example, qualifiedAt }),
    converted: (convertedAt: string) =>
      leadEvent('LeadConverted', { ...leadConvertedV1Example, convertedAt, opportunityId }),
    mergedInto: (survivorLeadId: string, mergedAt: string) =>
      leadEvent('LeadsMerged', { survivorLeadId, mergedLeadId: leadId, role: 'merged', mergedAt }),
    opened: (openedAt: string) =>
      opportunityEvent('OpportunityOpened', { ...opportunityOpenedV1Example, leadId, openedAt }),
    won: (wonAt: string, amount: number) =>
      opportunityEvent('OpportunityWon', { ...opportunityWonV1Example, wonAt, amount, currency: 'EUR' }),
    lost: (lostAt: string) => opportunityEvent('OpportunityLost', { ...opportunityLostV1Example, lostAt }),
    reopened: (reopenedAt: string) =>
      opportunityEvent('OpportunityReopened', { ...opportunityReopenedV1Example, reopenedAt, previousOutcome: 'won' }),
  };
}

export type LeadJourney = ReturnType<typeof leadJourney>;
