import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxCompanySize, maxDurationDays, maxDurationMinutes, maxMoneyAmount, maxSettingCount } from '@l2o/contracts';
import { waitFor, withServiceOutput } from '@l2o/testing';
import { startPlatform, type E2ePlatform } from './e2e-platform.fixture.ts';

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

// What every API accepts at most must reach every store that holds it, through the real path: the API, the
// event store, the relay, Kafka and each consumer. Whatever is one step beyond is a 400 naming the field,
// and nothing is stored. The services run as processes with the demo routing team (DEMO_TENANT).
describe('numbers at their bounds, from the APIs to every read model', () => {
  const names = ['relay', 'ingestion', 'routing', 'pipeline', 'attribution', 'projections'] as const;
  type Name = (typeof names)[number];
  let platform: E2ePlatform;

  beforeAll(async () => {
    platform = await startPlatform({
      label: 'e2e-bounds',
      services: names,
      partitions: 1,
      scopes: ['ingest', 'read_reports', 'administer_rules', 'work_leads'],
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /** Sends `body` (JSON text as it is, so numbers beyond a double's precision reach the service unrounded). */
  async function send(
    name: Name,
    method: string,
    path: string,
    body: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(platform.url(name, path), {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.apiKey}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  async function ok(name: Name, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
    const answer = await send(name, method, path, body);
    expect(answer.status, `${name} ${method} ${path}: ${JSON.stringify(answer.json)}`).toBeLessThan(300);
    return answer.json;
  }

  async function storedEvents(): Promise<number> {
    const result = await platform.pool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM events WHERE metadata->>'tenantId' = $1",
      [platform.tenantId],
    );
    return result.rows[0]?.count ?? -1;
  }

  /** Expects a 400 naming `field` for each request, and not one event stored by any of them. */
  async function expectRefused(
    requests: Array<{ name: Name; method: string; path: string; body: unknown; field: string }>,
  ): Promise<void> {
    const before = await storedEvents();
    for (const { name, method, path, body, field } of requests) {
      const answer = await send(name, method, path, body);
      expect([answer.status, answer.json], `${method} ${path} ${field}`).toEqual([
        400,
        expect.objectContaining({ status: 400, code: 'validation_failed', field }),
      ]);
    }
    expect(await storedEvents()).toBe(before);
  }

  const routingSettings = (overrides: Record<string, unknown>) => ({
    rules: [],
    defaultPoolId: 'shared',
    sharedPoolId: 'shared',
    defaultResponseSlaMinutes: maxDurationMinutes,
    escalateAfterBreaches: maxSettingCount,
    ...overrides,
  });
  const pipelineSettings = (slaDays: number) => ({
    defaultPipelineId: 'bounded',
    pipelines: [
      {
        id: 'bounded',
        name: 'Bounded',
        stages: [
          { id: 'long', name: 'Long', probability: 100, forecastCategory: 'commit', exitCriteria: [], slaDays },
          { id: 'short', name: 'Short', probability: 0, forecastCategory: 'pipeline', exitCriteria: [], slaDays: 1 },
        ],
      },
    ],
    lostReasons: ['price'],
  });

  let leadId = '';
  let opportunityId = '';
  const ownerId = 'rep-ines';

  it('refuses one step beyond each bound with 400 naming the field, storing nothing', async () => {
    await withServiceOutput(Object.values(platform.services), async () => {
      await expectRefused([
        {
          name: 'routing',
          method: 'PUT',
          path: '/v1/routing/settings',
          body: routingSettings({ defaultResponseSlaMinutes: 9_007_199_254_740_991 }),
          field: 'defaultResponseSlaMinutes',
        },
        {
          name: 'routing',
          method: 'PUT',
          path: '/v1/routing/settings',
          body: routingSettings({
            rules: [
              { id: 'r', name: 'R', poolId: 'shared', conditions: {}, responseSlaMinutes: maxDurationMinutes + 1 },
            ],
          }),
          field: 'rules.0.responseSlaMinutes',
        },
        {
          name: 'routing',
          method: 'PUT',
          path: '/v1/routing/settings',
          body: routingSettings({ escalateAfterBreaches: maxSettingCount + 1 }),
          field: 'escalateAfterBreaches',
        },
        {
          name: 'routing',
          method: 'PUT',
          path: `/v1/routing/reps/${ownerId}`,
          body: { name: 'Inês', active: true, timezone: 'Europe/Lisbon', dailyQuota: maxSettingCount + 1 },
          field: 'dailyQuota',
        },
        {
          name: 'pipeline',
          method: 'PUT',
          path: '/v1/pipeline/settings',
          body: pipelineSettings(maxDurationDays + 1),
          field: 'pipelines.0.stages.0.slaDays',
        },
        {
          name: 'attribution',
          method: 'PUT',
          path: '/v1/attribution/settings',
          body: { timeDecay: { halfLifeDays: maxDurationDays + 0.5 } },
          field: 'timeDecay.halfLifeDays',
        },
        {
          name: 'ingestion',
          method: 'POST',
          path: '/v1/leads',
          body: { email: `too-big.${platform.suffix}@example.com`, company: { name: 'Big', size: maxCompanySize + 1 } },
          field: 'company.size',
        },
      ]);

      const costs = await send('attribution', 'POST', '/v1/campaign-costs', [
        { campaign: 'too-big', channel: 'ad', date: '2025-04-02', amount: 1e15, currency: 'EUR' },
        { campaign: 'too-big', channel: 'ad', date: '2025-04-03', amount: maxMoneyAmount + 0.01, currency: 'EUR' },
      ]);
      expect(costs.json).toMatchObject({
        results: [
          { index: 0, status: 'rejected', errors: [{ field: 'amount' }] },
          { index: 1, status: 'rejected', errors: [{ field: 'amount' }] },
        ],
        counts: { recorded: 0, rejected: 2 },
      });
      expect(await storedEvents()).toBe(0);
    });
  });

  it('stores the largest settings, company size and first-response SLA in routing and the read models', async () => {
    await withServiceOutput(Object.values(platform.services), async () => {
      await ok('routing', 'PUT', '/v1/routing/settings', routingSettings({}));
      const rep = { name: 'Inês', active: true, timezone: 'Europe/Lisbon' };
      await ok('routing', 'PUT', `/v1/routing/reps/${ownerId}`, {
        ...rep,
        maxOpenLeads: maxSettingCount,
        dailyQuota: maxSettingCount,
      });
      await ok('pipeline', 'PUT', '/v1/pipeline/settings', pipelineSettings(maxDurationDays));

      const captured = await ok('ingestion', 'POST', '/v1/leads', {
        email: `dana.${platform.suffix}@stark-software.example`,
        firstName: 'Dana',
        company: { name: 'Stark Software', size: maxCompanySize, country: 'US' },
        touchpoint: { channel: 'web_form', source: 'website', campaign: 'spring-launch' },
      });
      leadId = String(captured.leadId);
      await ok('routing', 'POST', `/v1/leads/${leadId}/assign`, { ownerId, poolId: 'shared' });

      const assigned = await platform.pool.query<{ data: { assignedAt: string; responseDueAt: string } }>(
        "SELECT data FROM events WHERE stream_id = $1 AND type = 'LeadAssigned'",
        [`lead-${leadId}`],
      );
      const { assignedAt, responseDueAt } = assigned.rows[0]?.data ?? { assignedAt: '', responseDueAt: '' };
      expect(Date.parse(responseDueAt) - Date.parse(assignedAt)).toBe(maxDurationMinutes * minuteMs);
      const due = new Date(responseDueAt);

      const row = await waitFor(
        'the lead with its owner in the leads read model',
        async () =>
          (
            await platform.pool.query<{ company_size: number; response_due_at: Date | null }>(
              'SELECT company_size, response_due_at FROM leads WHERE lead_id = $1 AND owner_id = $2',
              [leadId, ownerId],
            )
          ).rows[0],
        { timeoutMs: 60_000 },
      );
      expect(row).toEqual({ company_size: maxCompanySize, response_due_at: due });
      const assignment = await waitFor('the assignment in the response read model', async () => {
        const result = await platform.pool.query<{ due_at: Date }>(
          'SELECT due_at FROM response_assignments WHERE lead_id = $1',
          [leadId],
        );
        return result.rows[0];
      });
      expect(assignment.due_at).toEqual(due);
      const timer = await waitFor('the first-response timer in routing', async () => {
        const result = await platform.pool.query<{ due_at: Date }>(
          'SELECT due_at FROM routing_timers WHERE lead_id = $1',
          [leadId],
        );
        return result.rows[0];
      });
      expect(timer.due_at).toEqual(due);
      const settings = await ok('routing', 'GET', `/v1/routing/reps/${ownerId}`, undefined);
      expect(settings).toMatchObject({ maxOpenLeads: maxSettingCount, dailyQuota: maxSettingCount });
    });
  });

  it('opens and wins a deal at the largest amount, held to the cent by every store', async () => {
    expect(leadId, 'the lead of the previous test').not.toBe('');
    await withServiceOutput(Object.values(platform.services), async () => {
      await ok('pipeline', 'POST', `/v1/leads/${leadId}/sales-qualify`, { by: ownerId });
      const convert = (amount: string) =>
        `{"by":"${ownerId}","amount":${amount},"currency":"EUR","expectedCloseDate":"2027-03-31"}`;
      await expectRefused(
        ['9007199254740993', '1e17', String(maxMoneyAmount + 0.01), '12.345'].map((amount) => ({
          name: 'pipeline' as const,
          method: 'POST',
          path: `/v1/leads/${leadId}/convert`,
          body: convert(amount),
          field: 'amount',
        })),
      );

      const converted = await ok('pipeline', 'POST', `/v1/leads/${leadId}/convert`, convert(String(maxMoneyAmount)));
      opportunityId = String(converted.opportunityId);
      await expectRefused(
        ['amount', 'win'].map((action) => ({
          name: 'pipeline' as const,
          method: 'POST',
          path: `/v1/opportunities/${opportunityId}/${action}`,
          body: `{"amount":${maxMoneyAmount + 0.01}}`,
          field: 'amount',
        })),
      );
      const opened = await waitFor('the stage timer of the opened deal', async () => {
        const result = await platform.pool.query<{ sla_days: number; entered_at: Date; due_at: Date }>(
          'SELECT sla_days, entered_at, due_at FROM pipeline_stage_timers WHERE opportunity_id = $1',
          [opportunityId],
        );
        return result.rows[0];
      });
      expect(opened.sla_days).toBe(maxDurationDays);
      expect(opened.due_at.getTime() - opened.entered_at.getTime()).toBe(maxDurationDays * dayMs);

      await ok('pipeline', 'POST', `/v1/opportunities/${opportunityId}/win`, { amount: maxMoneyAmount });
      await ok('attribution', 'POST', '/v1/campaign-costs', [
        { campaign: 'spring-launch', channel: 'web_form', date: '2025-04-02', amount: maxMoneyAmount, currency: 'EUR' },
      ]);

      const amount = '999999999999.99';
      const won = await waitFor(
        'the won deal in the pipeline read model',
        async () =>
          (
            await platform.pool.query<{ amount: string }>(
              "SELECT amount::text FROM opportunity_states WHERE opportunity_id = $1 AND status = 'won' AND valid_to IS NULL",
              [opportunityId],
            )
          ).rows[0],
        { timeoutMs: 60_000 },
      );
      expect(won.amount).toBe(amount);
      const states = await platform.pool.query<{ amount: string }>(
        'SELECT DISTINCT amount::text FROM opportunity_states WHERE opportunity_id = $1',
        [opportunityId],
      );
      expect(states.rows).toEqual([{ amount }]);
      const pipelineView = await waitFor('the won deal in pipeline', async () => {
        const result = await platform.pool.query<{ amount: string }>(
          "SELECT amount::text FROM pipeline_opportunities WHERE opportunity_id = $1 AND status = 'won'",
          [opportunityId],
        );
        return result.rows[0];
      });
      expect(pipelineView.amount).toBe(amount);
      const journey = await waitFor('the won journey in attribution', async () => {
        const result = await platform.pool.query<{ amount_cents: string }>(
          "SELECT amount_cents::text FROM attribution_journeys WHERE opportunity_id = $1 AND outcome = 'won'",
          [opportunityId],
        );
        return result.rows[0];
      });
      expect(journey.amount_cents).toBe('99999999999999');
      const credits = await waitFor(
        "every model's credit in the attribution read model",
        async () => {
          const result = await platform.pool.query<{ model: string; amount: string }>(
            `SELECT model, sum(amount)::text AS amount FROM attribution_channel_credits
             WHERE opportunity_id = $1 GROUP BY model ORDER BY model`,
            [opportunityId],
          );
          return result.rows.length === 9 ? result.rows : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(credits.map((credit) => credit.amount)).toEqual(Array.from({ length: 9 }, () => amount));
      const cost = await waitFor('the campaign cost in the attribution read model', async () => {
        const result = await platform.pool.query<{ amount: string }>(
          "SELECT amount::text FROM campaign_costs WHERE tenant_id = $1 AND campaign = 'spring-launch'",
          [platform.tenantId],
        );
        return result.rows[0];
      });
      expect(cost.amount).toBe(amount);
    });
  });

  it('dead-lettered nothing in any consumer', async () => {
    for (const name of ['routing', 'pipeline', 'attribution', 'projections'] as const) {
      const metrics = await (await fetch(platform.url(name, '/metrics'))).text();
      const deadLettered = metrics
        .split('\n')
        .filter((line) => line.startsWith('l2o_consumer_messages_total{') && line.includes('outcome="dead_lettered"'))
        .filter((line) => Number(line.split(' ').at(-1)) > 0);
      expect(deadLettered, name).toEqual([]);
      expect(metrics, `${name} counts the messages it handled`).toMatch(/outcome="handled"[^\n]* [1-9]/);
    }
  });
});
