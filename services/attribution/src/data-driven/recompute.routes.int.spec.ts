import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadJourney } from '../attribution-events.fixture.ts';
import type { LeadJourney } from '../attribution-events.fixture.ts';
import { startAttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { AttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { RecomputeResult } from './recompute-weights.ts';

describe('POST /v1/attribution/recompute', () => {
  let t: AttributionTestApp;
  let tenant: { tenantId: string; apiKey: string };
  let first: LeadJourney;
  let second: LeadJourney;

  beforeAll(async () => {
    t = await startAttributionTestApp();
    tenant = await t.newTenant();
  });
  afterAll(async () => {
    await t.close();
  });

  async function recompute(): Promise<RecomputeResult> {
    const response = await t.request({ method: 'POST', url: '/v1/attribution/recompute', apiKey: tenant.apiKey });
    expect(response.statusCode).toBe(200);
    return response.json<RecomputeResult>();
  }

  async function win(journey: LeadJourney, channels: Array<'web_form' | 'ad' | 'event'>, amount: number) {
    const touches = channels.map((channel, index) => {
      const touch = { channel, occurredAt: `2025-03-0${index + 1}T10:00:00.000Z` };
      return index === 0 ? journey.captured(touch) : journey.touched(touch);
    });
    await t.deliver(
      ...touches,
      journey.converted('2025-04-01T10:00:00.000Z'),
      journey.opened('2025-04-01T10:00:00.000Z'),
      journey.won('2025-06-01T10:00:00.000Z', amount),
    );
  }

  const latest = async (journey: LeadJourney, model: string) =>
    (await t.attributionEvents(journey.opportunityId)).filter((event) => event.data.model === model).at(-1)?.data;

  it('publishes no revision when the weights learned at the first win are learned again', async () => {
    first = leadJourney({ tenantId: tenant.tenantId });
    await win(first, ['web_form', 'ad', 'event'], 1000);
    const result = await recompute();
    expect(result.models.map((model) => [model.model, model.changed])).toEqual([
      ['markov', false],
      ['shapley', false],
    ]);
    expect(result.revisions).toBe(0);
    expect(await t.attributionEvents(first.opportunityId)).toHaveLength(9);
  });

  it('revises the data-driven credits that changed with new weights, and no others', async () => {
    second = leadJourney({ tenantId: tenant.tenantId });
    await win(second, ['web_form', 'ad'], 500);
    const result = await recompute();

    expect(result).toMatchObject({ journeys: 2, revisions: 2 });
    expect(result.models.map((model) => [model.model, model.changed])).toEqual([
      ['markov', true],
      ['shapley', true],
    ]);
    // Removing the event channel halves the conversions through ad: removal effects 1, 1, 0.5.
    expect(await latest(first, 'markov')).toMatchObject({
      revision: 2,
      credits: [{ amount: 400 }, { amount: 400 }, { amount: 200 }],
    });
    // Each conversion split evenly over its channels: web_form and ad 1/3 + 1/2, event 1/3, of 2 (to the cent).
    const shapley = (await latest(first, 'shapley'))?.credits.map((credit) => credit.amount) ?? [];
    expect(
      [416.67, 416.67, 166.67].map((expected, index) => Math.abs((shapley[index] ?? 0) - expected) <= 0.01),
    ).toEqual([true, true, true]);
    expect(await t.attributionEvents(first.opportunityId)).toHaveLength(11);
    // The second deal's two channels weigh the same under the old and the new weights: its credits did not move.
    expect(await t.attributionEvents(second.opportunityId)).toHaveLength(9);
  });

  it('publishes nothing when recalculated again without new journeys', async () => {
    const result = await recompute();
    expect(result.revisions).toBe(0);
    expect(result.models.every((model) => !model.changed)).toBe(true);
    expect(await t.attributionEvents(first.opportunityId)).toHaveLength(11);
  });

  it('needs the administer_rules scope', async () => {
    const { apiKey } = await t.newTenant(['read_reports']);
    const response = await t.request({ method: 'POST', url: '/v1/attribution/recompute', apiKey });
    expect(response.statusCode).toBe(403);
  });
});
