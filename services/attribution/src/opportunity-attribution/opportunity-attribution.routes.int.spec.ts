import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributionCalculatedV1 } from '@l2o/contracts';
import { leadJourney } from '../attribution-events.fixture.ts';
import type { LeadJourney } from '../attribution-events.fixture.ts';
import { startAttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { AttributionTestApp } from '../attribution-test-app.fixture.ts';

type OpportunityAttribution = { opportunityId: string; attributions: AttributionCalculatedV1[] };

describe('GET /v1/attribution/opportunities/{id}', () => {
  let t: AttributionTestApp;
  let tenant: { tenantId: string; apiKey: string };
  let journey: LeadJourney;

  beforeAll(async () => {
    t = await startAttributionTestApp();
    tenant = await t.newTenant(['read_reports', 'administer_rules']);
    journey = leadJourney({ tenantId: tenant.tenantId });
    await t.deliver(
      journey.captured({ channel: 'web_form', occurredAt: '2025-03-01T10:00:00.000Z' }),
      journey.touched({ channel: 'ad', occurredAt: '2025-03-02T10:00:00.000Z' }),
      journey.converted('2025-04-01T10:00:00.000Z'),
      journey.opened('2025-04-01T10:00:00.000Z'),
      journey.won('2025-06-01T10:00:00.000Z', 200),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (apiKey: string, id: string) => t.request({ url: `/v1/attribution/opportunities/${id}`, apiKey });

  it('answers the latest attribution of each model', async () => {
    const other = leadJourney({ tenantId: tenant.tenantId });
    // A second deal through web_form alone moves the learned weights towards it: a revision for the first.
    await t.deliver(
      other.captured({ channel: 'web_form', occurredAt: '2025-03-01T10:00:00.000Z' }),
      other.converted('2025-04-01T10:00:00.000Z'),
      other.opened('2025-04-01T10:00:00.000Z'),
      other.won('2025-06-01T10:00:00.000Z', 50),
    );
    await t.request({ method: 'POST', url: '/v1/attribution/recompute', apiKey: tenant.apiKey });

    const response = await get(tenant.apiKey, journey.opportunityId);
    expect(response.statusCode).toBe(200);
    const body = response.json<OpportunityAttribution>();
    expect(body.attributions.map((attribution) => attribution.model)).toEqual([
      'first_touch',
      'last_touch',
      'linear',
      'position_based',
      'w_shaped',
      'full_path',
      'time_decay',
      'markov',
      'shapley',
    ]);
    const markov = body.attributions.find((attribution) => attribution.model === 'markov');
    const history = (await t.attributionEvents(journey.opportunityId)).filter((event) => event.data.model === 'markov');
    expect(markov?.revision).toBe(history.length);
    expect(markov?.revision).toBeGreaterThan(1);
  });

  it("answers another tenant's opportunity as not found", async () => {
    const { apiKey } = await t.newTenant(['read_reports']);
    expect((await get(apiKey, journey.opportunityId)).statusCode).toBe(404);
  });

  it('answers an opportunity without attribution as not found', async () => {
    expect((await get(tenant.apiKey, randomUUID())).statusCode).toBe(404);
  });

  it('refuses an id that is not a UUID', async () => {
    expect((await get(tenant.apiKey, 'not-a-uuid')).statusCode).toBe(400);
  });

  it('needs the read_reports scope', async () => {
    const { apiKey } = await t.newTenant(['administer_rules']);
    expect((await get(apiKey, journey.opportunityId)).statusCode).toBe(403);
  });
});
