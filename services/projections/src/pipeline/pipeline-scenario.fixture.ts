import { randomUUID } from 'node:crypto';
import { leadCapturedV1Example, streamIdFor } from '@l2o/contracts';
import type { Aggregate, EventName, OpportunityStage } from '@l2o/contracts';
import { START } from '@l2o/event-store';
import { streamEventFromRecorded } from '@l2o/stream-consumer';
import type { StreamEvent } from '@l2o/stream-consumer';

const stage = (id: string, probability: number, position: number): OpportunityStage => ({
  id,
  name: id[0]?.toUpperCase() + id.slice(1),
  probability,
  forecastCategory: probability >= 50 ? 'best_case' : 'pipeline',
  position,
});
const qualification = stage('qualification', 10, 0);
const discovery = stage('discovery', 25, 1);
const proposal = stage('proposal', 50, 2);

/**
 * A small pipeline with known figures, all events at noon UTC of March 2025: deal A (ad) moves to
 * proposal and stays open, B (web_form) is won, C (ad) lost for price, D (ad) won then reopened; B and
 * D are attributed by first_touch and linear; campaign spring-webinar costs 400 over two days (one
 * replaced); three leads are captured on 1 March, two by ad.
 */
export function pipelineScenario(tenantId: string): StreamEvent[] {
  const versions = new Map<string, number>();
  const event = (aggregate: Aggregate, id: string, type: EventName, data: Record<string, unknown>) => {
    const streamId = streamIdFor(aggregate, id);
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    return streamEventFromRecorded({
      id: randomUUID(),
      streamId,
      streamVersion: version,
      type,
      schemaVersion: 1,
      data: { ...data, tenantId },
      metadata: { tenantId },
      recordedAt: new Date(`2025-03-01T12:00:00Z`),
      cursor: START,
    }) as StreamEvent;
  };
  const noon = (day: number) => `2025-03-${String(day).padStart(2, '0')}T12:00:00.000Z`;
  const deal = (options: { day: number; amount: number; closeDate: string; channel: 'ad' | 'web_form' }) => {
    const opportunityId = randomUUID();
    const leadId = randomUUID();
    const opp = (type: EventName, data: Record<string, unknown>) =>
      event('opportunity', opportunityId, type, { opportunityId, ...data });
    const opened = opp('OpportunityOpened', {
      leadId,
      openedAt: noon(options.day),
      ownerId: 'rep-ines',
      name: 'Deal',
      amount: options.amount,
      currency: 'EUR',
      expectedCloseDate: options.closeDate,
      pipelineId: 'new-business',
      stage: qualification,
      company: {},
      contact: {},
      source: { channel: options.channel, campaign: 'spring-webinar' },
      fields: {},
    });
    return { opportunityId, leadId, opp, opened };
  };
  const attribution = (options: {
    opportunityId: string;
    leadId: string;
    wonAt: string;
    amount: number;
    split: boolean;
  }) =>
    (['first_touch', 'linear'] as const).map((model) => {
      const half = options.amount / 2;
      const linear = model === 'linear' && options.split;
      return event('attribution', options.opportunityId, 'AttributionCalculated', {
        opportunityId: options.opportunityId,
        leadId: options.leadId,
        model,
        calculatedAt: options.wonAt,
        wonAt: options.wonAt,
        amount: options.amount,
        currency: 'EUR',
        credits: linear
          ? [
              {
                touchId: 't1',
                occurredAt: noon(1),
                channel: 'web_form',
                campaign: 'spring-webinar',
                weight: 0.5,
                amount: half,
              },
              { touchId: 't2', occurredAt: noon(1), channel: 'ad', weight: 0.5, amount: half },
            ]
          : [
              {
                touchId: 't1',
                occurredAt: noon(1),
                channel: 'web_form',
                campaign: 'spring-webinar',
                weight: 1,
                amount: options.amount,
              },
            ],
        byChannel: linear
          ? [
              { channel: 'web_form', amount: half },
              { channel: 'ad', amount: half },
            ]
          : [{ channel: 'web_form', amount: options.amount }],
        byCampaign: linear
          ? [
              { campaign: 'spring-webinar', amount: half },
              { campaign: null, amount: half },
            ]
          : [{ campaign: 'spring-webinar', amount: options.amount }],
        config: {},
        fellBackToLinear: false,
        revision: 1,
      });
    });

  const a = deal({ day: 1, amount: 10_000, closeDate: '2025-04-15', channel: 'ad' });
  const b = deal({ day: 2, amount: 20_000, closeDate: '2025-05-10', channel: 'web_form' });
  const c = deal({ day: 3, amount: 8_000, closeDate: '2025-04-30', channel: 'ad' });
  const d = deal({ day: 4, amount: 5_000, closeDate: '2025-04-20', channel: 'ad' });
  const move = (from: OpportunityStage, to: OpportunityStage, day: number) => ({
    changedAt: noon(day),
    fromStage: from,
    toStage: to,
    direction: 'forward',
    by: 'rep-ines',
  });
  const costs = randomUUID();
  const cost = (date: string, amount: number) =>
    event('attribution', costs, 'CampaignCostRecorded', {
      campaign: 'spring-webinar',
      channel: 'ad',
      date,
      amount,
      currency: 'EUR',
      recordedAt: noon(3),
    });
  const lead = (channel: 'ad' | 'web_form', campaign?: string) => {
    const leadId = randomUUID();
    return event('lead', leadId, 'LeadCaptured', {
      ...leadCapturedV1Example,
      leadId,
      capturedAt: noon(1),
      captureId: `scenario:${leadId}`,
      touchpoint: { channel, occurredAt: noon(1), ...(campaign === undefined ? {} : { campaign }) },
    });
  };
  return [
    a.opened,
    b.opened,
    c.opened,
    d.opened,
    a.opp('OpportunityStageChanged', move(qualification, discovery, 5)),
    a.opp('OpportunityStageChanged', move(discovery, proposal, 10)),
    b.opp('OpportunityStageChanged', move(qualification, discovery, 8)),
    b.opp('OpportunityWon', { wonAt: noon(20), amount: 22_000, currency: 'EUR', stage: discovery }),
    ...attribution({ opportunityId: b.opportunityId, leadId: b.leadId, wonAt: noon(20), amount: 22_000, split: true }),
    c.opp('OpportunityLost', { lostAt: noon(12), reason: 'price', stage: qualification }),
    d.opp('OpportunityWon', { wonAt: noon(6), amount: 5_000, currency: 'EUR', stage: qualification }),
    ...attribution({ opportunityId: d.opportunityId, leadId: d.leadId, wonAt: noon(6), amount: 5_000, split: false }),
    d.opp('OpportunityReopened', { reopenedAt: noon(7), stage: qualification, previousOutcome: 'won' }),
    cost('2025-03-01', 100),
    cost('2025-03-02', 200),
    cost('2025-03-02', 300),
    lead('ad', 'spring-webinar'),
    lead('ad', 'spring-webinar'),
    lead('web_form'),
  ];
}
