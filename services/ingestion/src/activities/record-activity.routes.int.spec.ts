import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '@l2o/testing';
import { startIngestionTestApp } from '../ingestion-test-app.fixture.ts';
import type { IngestionTestApp } from '../ingestion-test-app.fixture.ts';

describe('POST /v1/activities', () => {
  let env: IngestionTestApp;

  beforeAll(async () => {
    env = await startIngestionTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  async function capturedLead(apiKey: string, email: string): Promise<string> {
    const response = await env.request({ url: '/v1/leads', apiKey, body: { email } });
    return response.json<{ leadId: string }>().leadId;
  }

  it('records an activity on the lead found by its email, with its time and campaign', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const leadId = await capturedLead(apiKey, 'ada@example.com');
    const response = await env.request({
      url: '/v1/activities',
      apiKey,
      body: {
        email: ' ADA@example.com',
        type: 'pricing_page_view',
        occurredAt: '2025-03-14T09:00:00.000Z',
        campaign: 'spring',
        url: 'https://example.com/pricing',
      },
    });

    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toEqual({ leadId, status: 'recorded' });
    const events = await env.eventsOf(tenantId);
    expect(events.at(-1)).toMatchObject({
      streamId: `lead-${leadId}`,
      type: 'LeadActivityRecorded',
      data: {
        leadId,
        tenantId,
        recordedAt: env.now.toISOString(),
        activity: {
          type: 'pricing_page_view',
          occurredAt: '2025-03-14T09:00:00.000Z',
          campaign: 'spring',
          url: 'https://example.com/pricing',
        },
      },
    });
  });

  it.each(['page_view', 'content_download', 'email_open', 'email_click', 'webinar_attended', 'demo_requested'])(
    'records %s on the lead named by its id',
    async (type) => {
      const { tenantId, apiKey } = await env.newTenant();
      const leadId = await capturedLead(apiKey, 'ada@example.com');
      const response = await env.request({
        url: '/v1/activities',
        apiKey,
        body: { leadId, type, occurredAt: '2025-03-14T09:00:00Z' },
      });

      expect(response.statusCode).toBe(202);
      expect((await env.eventsOf(tenantId)).at(-1)).toMatchObject({
        type: 'LeadActivityRecorded',
        data: { activity: { type } },
      });
    },
  );

  it('answers duplicate to a retry with the same idempotencyKey and records it once', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const leadId = await capturedLead(apiKey, 'ada@example.com');
    const body = { leadId, type: 'email_open', occurredAt: '2025-03-14T09:00:00Z', idempotencyKey: 'mail-1-open' };
    await env.request({ url: '/v1/activities', apiKey, body });
    const retry = await env.request({ url: '/v1/activities', apiKey, body });

    expect(retry.json()).toEqual({ leadId, status: 'duplicate' });
    expect((await env.eventsOf(tenantId)).filter((event) => event.type === 'LeadActivityRecorded')).toHaveLength(1);
  });

  it('answers 404 naming the email or leadId no lead of the tenant has', async () => {
    const { tenantId, apiKey } = await env.newTenant();
    const other = await env.newTenant();
    const othersLead = await capturedLead(other.apiKey, 'other@example.com');
    const activity = { type: 'page_view', occurredAt: '2025-03-14T09:00:00Z' };

    const byEmail = await env.request({
      url: '/v1/activities',
      apiKey,
      body: { ...activity, email: 'nobody@example.com' },
    });
    const byId = await env.request({ url: '/v1/activities', apiKey, body: { ...activity, leadId: randomUUID() } });
    const othersId = await env.request({ url: '/v1/activities', apiKey, body: { ...activity, leadId: othersLead } });

    expectFieldError(byEmail, { status: 404, field: 'email', code: 'not_found' });
    expectFieldError(byId, { status: 404, field: 'leadId', code: 'not_found' });
    expectFieldError(othersId, { status: 404, field: 'leadId', code: 'not_found' });
    expect(await env.eventsOf(tenantId)).toEqual([]);
  });

  it('answers 400 naming the field of an invalid activity', async () => {
    const { apiKey } = await env.newTenant();
    const noLead = await env.request({
      url: '/v1/activities',
      apiKey,
      body: { type: 'page_view', occurredAt: '2025-03-14T09:00:00Z' },
    });
    const badType = await env.request({
      url: '/v1/activities',
      apiKey,
      body: { email: 'a@example.com', type: 'fax_sent', occurredAt: '2025-03-14T09:00:00Z' },
    });

    expectFieldError(noLead, { field: 'leadId', reason: 'a leadId or an email is required' });
    expectFieldError(badType, { field: 'type' });
  });
});
