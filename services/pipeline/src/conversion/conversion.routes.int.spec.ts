import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opportunityIdForLead } from '@l2o/domain';
import { expectFieldError } from '@l2o/testing';
import { startPipelineTestApp } from '../pipeline-test-app.fixture.ts';
import type { PipelineTestApp, TestTenant } from '../pipeline-test-app.fixture.ts';

describe('conversion routes', () => {
  let env: PipelineTestApp;

  beforeAll(async () => {
    env = await startPipelineTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  const terms = { by: 'rep-ines', amount: 48_000, currency: 'EUR', expectedCloseDate: '2025-06-30' };

  async function qualifiedLead(): Promise<{ tenant: TestTenant; leadId: string }> {
    const tenant = await env.newTenant();
    const leadId = await env.seedLead(tenant);
    const qualify = await env.request({
      url: `/v1/leads/${leadId}/sales-qualify`,
      apiKey: tenant.apiKey,
      body: { by: 'rep-ines', notes: 'budget for Q3' },
    });
    expect(qualify.json()).toEqual({ leadId, status: 'sales_qualified' });
    return { tenant, leadId };
  }

  const convert = (tenant: TestTenant, leadId: string, body: object = terms) =>
    env.request({ url: `/v1/leads/${leadId}/convert`, apiKey: tenant.apiKey, body });

  describe('POST /v1/leads/{leadId}/sales-qualify', () => {
    it('answers already_sales_qualified to a repeat and appends nothing', async () => {
      const { tenant, leadId } = await qualifiedLead();
      const before = await env.eventsOf(tenant.tenantId);

      const again = await env.request({
        url: `/v1/leads/${leadId}/sales-qualify`,
        apiKey: tenant.apiKey,
        body: { by: 'rep-ines' },
      });

      expect(again.json()).toEqual({ leadId, status: 'already_sales_qualified' });
      expect(await env.eventsOf(tenant.tenantId)).toHaveLength(before.length);
    });

    it('refuses a rep who does not own the lead with 409 naming ownerId', async () => {
      const tenant = await env.newTenant();
      const leadId = await env.seedLead(tenant);

      const response = await env.request({
        url: `/v1/leads/${leadId}/sales-qualify`,
        apiKey: tenant.apiKey,
        body: { by: 'rep-other' },
      });

      expectFieldError(response, { status: 409, code: 'rule_violation', field: 'ownerId' });
    });
  });

  describe('POST /v1/leads/{leadId}/convert', () => {
    it('appends LeadConverted and OpportunityOpened in one transaction, with the lead’s company, contact and source', async () => {
      const { tenant, leadId } = await qualifiedLead();
      const opportunityId = opportunityIdForLead(leadId);

      const response = await convert(tenant, leadId);

      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toEqual({ leadId, opportunityId, status: 'converted' });
      const events = await env.eventsOf(tenant.tenantId);
      const converted = events.find((event) => event.type === 'LeadConverted');
      const opened = events.find((event) => event.type === 'OpportunityOpened');
      expect(converted).toMatchObject({ streamId: `lead-${leadId}`, data: { opportunityId, by: 'rep-ines' } });
      expect(opened?.streamId).toBe(`opportunity-${opportunityId}`);
      expect(opened?.transactionId).toBe(converted?.transactionId);
      expect(opened?.data).toEqual({
        opportunityId,
        tenantId: tenant.tenantId,
        leadId,
        openedAt: env.now.toISOString(),
        ownerId: 'rep-ines',
        name: 'Analytical Engines Ltd',
        amount: 48_000,
        currency: 'EUR',
        expectedCloseDate: '2025-06-30',
        pipelineId: 'new-business',
        stage: {
          id: 'qualification',
          name: 'Qualification',
          probability: 10,
          forecastCategory: 'pipeline',
          position: 0,
        },
        company: { name: 'Analytical Engines Ltd', domain: 'engines.example', country: 'GB', employees: 120 },
        contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@engines.example', jobTitle: 'CTO' },
        source: { channel: 'web_form', campaign: 'spring-webinar' },
        fields: {},
      });
    });

    it('answers 200 already_converted to a repeated conversion and opens nothing new', async () => {
      const { tenant, leadId } = await qualifiedLead();
      await convert(tenant, leadId);
      const before = await env.eventsOf(tenant.tenantId);

      const again = await convert(tenant, leadId, { ...terms, amount: 99_000 });

      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({
        leadId,
        opportunityId: opportunityIdForLead(leadId),
        status: 'already_converted',
      });
      expect(await env.eventsOf(tenant.tenantId)).toEqual(before);
    });

    it('opens one opportunity when the same conversion arrives twice at once', async () => {
      const { tenant, leadId } = await qualifiedLead();

      const responses = await Promise.all([convert(tenant, leadId), convert(tenant, leadId)]);

      expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 201]);
      const types = (await env.eventsOf(tenant.tenantId)).map((event) => event.type);
      expect(types.filter((type) => type === 'OpportunityOpened')).toHaveLength(1);
      expect(types.filter((type) => type === 'LeadConverted')).toHaveLength(1);
    });

    it('refuses a lead that is not sales-qualified with 409 and appends nothing', async () => {
      const tenant = await env.newTenant();
      const leadId = await env.seedLead(tenant);
      const before = await env.eventsOf(tenant.tenantId);

      const response = await convert(tenant, leadId);

      expectFieldError(response, { status: 409, code: 'rule_violation', field: 'status' });
      expect(await env.eventsOf(tenant.tenantId)).toEqual(before);
    });

    it.each([
      ['name', { ...terms, name: 'Engines \ud800' }],
      ['pipelineId', { ...terms, pipelineId: 'sales\u0000' }],
    ])('answers 400 naming %s when it holds what PostgreSQL cannot store, and opens nothing', async (field, body) => {
      const { tenant, leadId } = await qualifiedLead();
      const before = await env.eventsOf(tenant.tenantId);

      const response = await convert(tenant, leadId, body);

      expectFieldError(response, { code: 'validation_failed', field });
      expect(await env.eventsOf(tenant.tenantId)).toEqual(before);
    });

    it('refuses a pipeline the tenant does not have with 409 naming pipelineId', async () => {
      const { tenant, leadId } = await qualifiedLead();

      const response = await convert(tenant, leadId, { ...terms, pipelineId: 'renewals' });

      expectFieldError(response, { status: 409, code: 'rule_violation', field: 'pipelineId' });
    });

    it('answers 404 for another tenant’s lead and for an unknown one', async () => {
      const { leadId } = await qualifiedLead();
      const stranger = await env.newTenant();

      const foreign = await convert(stranger, leadId);
      const unknown = await convert(stranger, randomUUID());

      expectFieldError(foreign, { status: 404, code: 'not_found', field: 'leadId' });
      expect(unknown.statusCode).toBe(404);
      expect(await env.eventsOf(stranger.tenantId)).toEqual([]);
    });

    it('answers 400 naming the field for an invalid currency', async () => {
      const { tenant, leadId } = await qualifiedLead();

      const response = await convert(tenant, leadId, { ...terms, currency: 'euro' });

      expectFieldError(response, { code: 'validation_failed', field: 'currency' });
    });

    it('answers 403 to a key without work_leads', async () => {
      const { leadId } = await qualifiedLead();
      const reader = await env.newTenant(['read_reports']);

      expect((await convert(reader, leadId)).statusCode).toBe(403);
    });
  });
});
