import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import { leadJourney } from '../attribution-events.fixture.ts';
import type { LeadJourney } from '../attribution-events.fixture.ts';
import { centsOf, startAttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { AttributionTestApp } from '../attribution-test-app.fixture.ts';

describe('attribution consumer handler', () => {
  let t: AttributionTestApp;

  beforeAll(async () => {
    t = await startAttributionTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A lead with three touches (capture, ad, activity at an event), qualified and converted. */
  function leadEvents(journey: LeadJourney) {
    return [
      journey.captured({
        channel: 'web_form',
        campaign: 'spring',
        medium: 'cpc',
        occurredAt: '2025-03-01T10:00:00.000Z',
      }),
      journey.touched({ channel: 'ad', campaign: 'q2', occurredAt: '2025-03-10T10:00:00.000Z' }),
      journey.acted({ channel: 'event', occurredAt: '2025-03-20T10:00:00.000Z' }),
      journey.qualified('2025-03-21T10:00:00.000Z'),
      journey.converted('2025-04-01T10:00:00.000Z'),
    ];
  }

  async function milestonesOf(leadId: string): Promise<Array<[string, string[]]>> {
    const result = await t.pool.query<{ channel: string; milestones: string[] }>(
      'SELECT channel, milestones FROM attribution_touchpoints WHERE lead_id = $1 ORDER BY occurred_at',
      [leadId],
    );
    return result.rows.map((row) => [row.channel, row.milestones]);
  }

  it('attributes a won deal by all nine models, each summing to the deal amount', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    await t.deliver(
      ...leadEvents(journey),
      journey.opened('2025-04-01T10:00:00.000Z'),
      journey.won('2025-06-01T10:00:00.000Z', 10_000.01),
    );

    const events = await t.attributionEvents(journey.opportunityId);
    expect(events).toHaveLength(9);
    for (const event of events) {
      expect(event.type).toBe('AttributionCalculated');
      expect(event.data).toMatchObject({ revision: 1, amount: 10_000.01, currency: 'EUR', leadId: journey.leadId });
      expect([centsOf(event.data.credits), centsOf(event.data.byChannel), centsOf(event.data.byCampaign)]).toEqual([
        1_000_001, 1_000_001, 1_000_001,
      ]);
    }
    const firstTouch = events.find((event) => event.data.model === 'first_touch');
    expect(firstTouch?.data.byCampaign).toEqual([
      { campaign: 'spring', amount: 10_000.01 },
      { campaign: 'q2', amount: 0 },
      { campaign: null, amount: 0 },
    ]);
  });

  it('tags the touches with the lifecycle milestones', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    await t.deliver(
      ...leadEvents(journey),
      journey.opened('2025-04-01T10:00:00.000Z'),
      journey.won('2025-06-01T10:00:00.000Z', 100),
    );

    expect(await milestonesOf(journey.leadId)).toEqual([
      ['web_form', ['lead_created']],
      ['ad', []],
      ['event', ['mql', 'opportunity_created', 'closed_won']],
    ]);
  });

  it('appends nothing for a redelivered win', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const lead = leadEvents(journey);
    const opened = journey.opened('2025-04-01T10:00:00.000Z');
    const won = journey.won('2025-06-01T10:00:00.000Z', 500);
    await t.deliver(...lead, opened, won);
    await t.deliver(won);
    expect(await t.attributionEvents(journey.opportunityId)).toHaveLength(9);
  });

  it('attributes a win handled before the lead caught up once the conversion arrives', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const lead = leadEvents(journey);
    await t.deliver(journey.opened('2025-04-01T10:00:00.000Z'), journey.won('2025-06-01T10:00:00.000Z', 300));
    expect(await t.attributionEvents(journey.opportunityId)).toHaveLength(0);

    await t.deliver(...lead);
    const events = await t.attributionEvents(journey.opportunityId);
    expect(events).toHaveLength(9);
    const wShaped = events.find((event) => event.data.model === 'w_shaped');
    // First touch and lead creation on the capture (60), opportunity creation on the event touch (30), ad the rest (10).
    expect(wShaped?.data.credits.map((credit) => credit.amount)).toEqual([180, 30, 90]);
  });

  it('credits the touches of a lead merged into the converted one', async () => {
    const { tenantId } = await t.newTenant();
    const survivor = leadJourney({ tenantId });
    const merged = leadJourney({ tenantId });
    await t.deliver(
      merged.captured({ channel: 'partner', occurredAt: '2025-02-01T10:00:00.000Z' }),
      merged.mergedInto(survivor.leadId, '2025-03-05T10:00:00.000Z'),
      ...leadEvents(survivor),
      survivor.opened('2025-04-01T10:00:00.000Z'),
      survivor.won('2025-06-01T10:00:00.000Z', 400),
    );
    const firstTouch = (await t.attributionEvents(survivor.opportunityId)).find(
      (event) => event.data.model === 'first_touch',
    );
    expect(firstTouch?.data.byChannel[0]).toEqual({ channel: 'partner', amount: 400 });
  });

  it('attributes only the models the tenant enabled', async () => {
    const { tenantId, apiKey } = await t.newTenant();
    const saved = await t.request({
      method: 'PUT',
      url: '/v1/attribution/settings',
      apiKey,
      body: { models: ['linear', 'markov'] },
    });
    expect(saved.statusCode).toBe(200);
    const journey = leadJourney({ tenantId });
    await t.deliver(
      ...leadEvents(journey),
      journey.opened('2025-04-01T10:00:00.000Z'),
      journey.won('2025-06-01T10:00:00.000Z', 90),
    );
    const models = (await t.attributionEvents(journey.opportunityId)).map((event) => event.data.model);
    expect(models).toEqual(['linear', 'markov']);
  });

  it('records a lost and a reopened deal as the journey outcome', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const outcome = async () =>
      (
        await t.pool.query<{ outcome: string }>('SELECT outcome FROM attribution_journeys WHERE opportunity_id = $1', [
          journey.opportunityId,
        ])
      ).rows[0]?.outcome;
    await t.deliver(
      ...leadEvents(journey),
      journey.opened('2025-04-01T10:00:00.000Z'),
      journey.lost('2025-05-01T10:00:00.000Z'),
    );
    expect(await outcome()).toBe('lost');
    await t.deliver(journey.reopened('2025-05-02T10:00:00.000Z'));
    expect(await outcome()).toBe('open');
    expect(await t.attributionEvents(journey.opportunityId)).toHaveLength(0);
  });

  it('dead-letters an event whose data names another lead than its subject', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const captured = journey.captured({ channel: 'api', occurredAt: '2025-03-01T10:00:00.000Z' });
    await expect(t.deliver({ ...captured, subject: leadJourney({ tenantId }).leadId })).rejects.toBeInstanceOf(
      PermanentError,
    );
  });
});
