import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '@l2o/testing';
import { startPipelineTestApp } from '../pipeline-test-app.fixture.ts';
import type { PipelineTestApp, TestTenant } from '../pipeline-test-app.fixture.ts';
import type { OpportunityView } from './opportunity-view.ts';

describe('opportunity routes', () => {
  let env: PipelineTestApp;

  beforeAll(async () => {
    env = await startPipelineTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  async function opportunity(): Promise<{ tenant: TestTenant; id: string }> {
    const tenant = await env.newTenant();
    return { tenant, id: await env.openOpportunity(tenant) };
  }

  const act = (tenant: TestTenant, id: string, action: string, body: object) =>
    env.request({ url: `/v1/opportunities/${id}/${action}`, apiKey: tenant.apiKey, body });
  const moveTo = (tenant: TestTenant, id: string, stageId: string) =>
    act(tenant, id, 'stage', { stageId, by: 'rep-ines' });
  const read = async (tenant: TestTenant, id: string) =>
    (
      await env.request({ method: 'GET', url: `/v1/opportunities/${id}`, apiKey: tenant.apiKey })
    ).json<OpportunityView>();

  describe('GET /v1/opportunities/{id}', () => {
    it('answers the opened opportunity with its owner, first stage and terms', async () => {
      const { tenant, id } = await opportunity();

      expect(await read(tenant, id)).toMatchObject({
        opportunityId: id,
        ownerId: 'rep-ines',
        status: 'open',
        stage: { id: 'qualification', position: 0 },
        stalled: false,
        amount: 48_000,
        currency: 'EUR',
        expectedCloseDate: '2025-06-30',
        version: 1,
      });
    });

    it('answers 404 to another tenant and for an unknown id', async () => {
      const { id } = await opportunity();
      const stranger = await env.newTenant();

      const foreign = await env.request({ method: 'GET', url: `/v1/opportunities/${id}`, apiKey: stranger.apiKey });
      const unknown = await env.request({
        method: 'GET',
        url: `/v1/opportunities/${randomUUID()}`,
        apiKey: stranger.apiKey,
      });
      const foreignMove = await moveTo(stranger, id, 'discovery');

      expect(foreign.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(foreignMove.statusCode).toBe(404);
      expect(await env.eventsOf(stranger.tenantId)).toEqual([]);
    });
  });

  describe('POST /v1/opportunities/{id}/stage', () => {
    it('refuses to leave Proposal before budgetConfirmed is set, with 409 naming fields.budgetConfirmed', async () => {
      const { tenant, id } = await opportunity();
      await moveTo(tenant, id, 'discovery');
      await moveTo(tenant, id, 'proposal');

      const response = await moveTo(tenant, id, 'negotiation');

      expectFieldError(response, { status: 409, code: 'rule_violation', field: 'fields.budgetConfirmed' });
      expect((await read(tenant, id)).stage.id).toBe('proposal');
    });

    it('moves on once the exit criteria are set', async () => {
      const { tenant, id } = await opportunity();
      await moveTo(tenant, id, 'proposal');
      await act(tenant, id, 'details', { fields: { budgetConfirmed: true, decisionMakerIdentified: 'CFO' } });

      const response = await moveTo(tenant, id, 'negotiation');

      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        stage: { id: 'negotiation', probability: 75, forecastCategory: 'commit', position: 3 },
        fields: { budgetConfirmed: true, decisionMakerIdentified: 'CFO' },
      });
    });

    it('applies the exit criteria of a stage a move skips', async () => {
      const { tenant, id } = await opportunity();

      const response = await moveTo(tenant, id, 'negotiation');

      expectFieldError(response, { status: 409, field: 'fields.budgetConfirmed' });
    });

    it('moves back without exit criteria', async () => {
      const { tenant, id } = await opportunity();
      await moveTo(tenant, id, 'proposal');

      const response = await moveTo(tenant, id, 'discovery');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ stage: { id: 'discovery' } });
    });

    it('answers 409 naming stageId for a stage the pipeline does not have', async () => {
      const { tenant, id } = await opportunity();

      const response = await moveTo(tenant, id, 'contracting');

      expectFieldError(response, { status: 409, code: 'rule_violation', field: 'stageId' });
    });
  });

  describe('text PostgreSQL cannot store', () => {
    it.each([
      ['details', { fields: { notes: 'CFO \u0000involved' } }, 'fields.notes', /^contains a NUL character/],
      ['details', { fields: { 'budget\ud800': true } }, 'fields', /^key "budget\\ud800": contains a lone surrogate/],
      ['lose', { reason: 'price', competitor: '\udc00Rival' }, 'competitor', /lone surrogate \\udc00/],
      ['stage', { stageId: 'discovery', by: 'rep\u0000' }, 'by', /NUL/],
    ])('answers 400 to %s naming %s, and appends nothing', async (action, body, field, reason) => {
      const { tenant, id } = await opportunity();
      const before = await env.eventsOf(tenant.tenantId);

      const response = await act(tenant, id, action, body);

      expectFieldError(response, { code: 'validation_failed', field, reason });
      expect(await env.eventsOf(tenant.tenantId)).toEqual(before);
    });

    it('keeps emoji in a field as they are', async () => {
      const { tenant, id } = await opportunity();

      const response = await act(tenant, id, 'details', { fields: { mood: '🚀 \ud83d\ude00' } });

      expect(response.statusCode, response.body).toBe(200);
      expect((await read(tenant, id)).fields).toMatchObject({ mood: '🚀 😀' });
    });
  });

  describe('amount and close date', () => {
    it('changes both and answers the opportunity as it now stands', async () => {
      const { tenant, id } = await opportunity();

      await act(tenant, id, 'amount', { amount: 52_500.5 });
      const response = await act(tenant, id, 'close-date', { expectedCloseDate: '2025-07-15' });

      expect(response.json()).toMatchObject({ amount: 52_500.5, expectedCloseDate: '2025-07-15', version: 3 });
      expect((await env.eventsOf(tenant.tenantId)).map((event) => event.type).slice(-2)).toEqual([
        'OpportunityAmountChanged',
        'OpportunityCloseDateChanged',
      ]);
    });
  });

  describe('closing and reopening', () => {
    it('wins at the final amount', async () => {
      const { tenant, id } = await opportunity();

      const response = await act(tenant, id, 'win', { amount: 51_000 });

      expect(response.json()).toMatchObject({ status: 'won', amount: 51_000, closedAt: env.now.toISOString() });
    });

    it('refuses a lost reason not in the tenant’s list with 409 naming reason', async () => {
      const { tenant, id } = await opportunity();

      const response = await act(tenant, id, 'lose', { reason: 'bad_weather' });

      expectFieldError(response, { status: 409, code: 'rule_violation', field: 'reason' });
      expect((await read(tenant, id)).status).toBe('open');
    });

    it('loses for a listed reason to a competitor, and reopens in a stage', async () => {
      const { tenant, id } = await opportunity();

      const lost = await act(tenant, id, 'lose', { reason: 'competitor', competitor: 'Difference Engines plc' });
      const reopened = await act(tenant, id, 'reopen', { stageId: 'negotiation' });

      expect(lost.json()).toMatchObject({
        status: 'lost',
        lostReason: 'competitor',
        competitor: 'Difference Engines plc',
      });
      expect(reopened.statusCode).toBe(200);
      expect(reopened.json()).toMatchObject({ status: 'open', stage: { id: 'negotiation' } });
      expect(reopened.json()).not.toHaveProperty('lostReason');
    });

    it('takes the tenant’s own lost reasons once saved', async () => {
      const { tenant, id } = await opportunity();
      const settings = await env.settings.get(tenant.tenantId);
      await env.settings.put({
        tenantId: tenant.tenantId,
        settings: { ...settings, lostReasons: ['budget_cut'] },
        now: env.now,
      });

      const price = await act(tenant, id, 'lose', { reason: 'price' });
      const budgetCut = await act(tenant, id, 'lose', { reason: 'budget_cut' });

      expect(price.statusCode).toBe(409);
      expect(budgetCut.json()).toMatchObject({ status: 'lost', lostReason: 'budget_cut' });
    });

    it('refuses changes to a closed opportunity with 409', async () => {
      const { tenant, id } = await opportunity();
      await act(tenant, id, 'win', {});

      const response = await act(tenant, id, 'amount', { amount: 1 });

      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'rule_violation' });
    });
  });

  it('answers 403 to a key without work_leads', async () => {
    const { id } = await opportunity();
    const reader = await env.newTenant(['read_reports']);

    expect((await moveTo(reader, id, 'discovery')).statusCode).toBe(403);
  });
});
