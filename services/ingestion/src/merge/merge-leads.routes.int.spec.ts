import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFieldError } from '@l2o/testing';
import { startIngestionTestApp } from '../ingestion-test-app.fixture.ts';
import type { IngestionTestApp } from '../ingestion-test-app.fixture.ts';

describe('POST /v1/leads/merge', () => {
  let env: IngestionTestApp;

  beforeAll(async () => {
    env = await startIngestionTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  async function tenantWithTwoLeads() {
    const { tenantId, apiKey } = await env.newTenant(['ingest', 'administer_rules']);
    const capture = async (body: unknown) =>
      (await env.request({ url: '/v1/leads', apiKey, body })).json<{ leadId: string }>().leadId;
    const survivorLeadId = await capture({ email: 'ada@engines.example', firstName: 'Ada' });
    const mergedLeadId = await capture({ email: 'ada.lovelace@gmail.com', phone: '+14155550123', jobTitle: 'CTO' });
    const merge = () =>
      env.request({ url: '/v1/leads/merge', apiKey, body: { survivorLeadId, mergedLeadId, reason: 'same person' } });
    return { tenantId, apiKey, survivorLeadId, mergedLeadId, merge };
  }

  it('appends LeadsMerged to both leads, keeps both histories and fills the survivor’s unknown fields', async () => {
    const { tenantId, survivorLeadId, mergedLeadId, merge } = await tenantWithTwoLeads();
    const response = await merge();

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ survivorLeadId, mergedLeadId, status: 'merged' });
    const events = await env.eventsOf(tenantId);
    const streamTypes = (leadId: string) =>
      events.filter((event) => event.streamId === `lead-${leadId}`).map((event) => event.type);
    expect(streamTypes(survivorLeadId)).toEqual(['LeadCaptured', 'LeadsMerged', 'LeadProfileUpdated']);
    expect(streamTypes(mergedLeadId)).toEqual(['LeadCaptured', 'LeadsMerged']);
    expect(events.find((event) => event.type === 'LeadProfileUpdated')?.data).toMatchObject({
      source: 'merge',
      contact: { phone: '+14155550123', jobTitle: 'CTO' },
    });
  });

  it('sends later captures and activities of the merged lead to the survivor', async () => {
    const { tenantId, apiKey, survivorLeadId, mergedLeadId, merge } = await tenantWithTwoLeads();
    await merge();

    const capture = await env.request({ url: '/v1/leads', apiKey, body: { email: 'Ada.Lovelace@gmail.com' } });
    const activity = await env.request({
      url: '/v1/activities',
      apiKey,
      body: { leadId: mergedLeadId, type: 'demo_requested', occurredAt: '2025-03-14T09:00:00Z' },
    });

    expect(capture.json()).toEqual({ leadId: survivorLeadId, status: 'merged', matchedBy: 'email' });
    expect(activity.json()).toEqual({ leadId: survivorLeadId, status: 'recorded' });
    expect(new Set((await env.identitiesOf(tenantId)).map((identity) => identity.leadId))).toEqual(
      new Set([survivorLeadId]),
    );
  });

  it('follows the merge when the identities still point at the merged lead (a crash before repointing)', async () => {
    const { tenantId, apiKey, survivorLeadId, mergedLeadId, merge } = await tenantWithTwoLeads();
    await merge();
    await env.pool.query(
      `UPDATE lead_identities SET lead_id = $2 WHERE tenant_id = $1 AND value = 'ada.lovelace@gmail.com'`,
      [tenantId, mergedLeadId],
    );

    const capture = await env.request({ url: '/v1/leads', apiKey, body: { email: 'ada.lovelace@gmail.com' } });

    expect(capture.json()).toEqual({ leadId: survivorLeadId, status: 'merged', matchedBy: 'email' });
    expect((await env.identitiesOf(tenantId)).every((identity) => identity.leadId === survivorLeadId)).toBe(true);
  });

  it('answers already_merged to a repeated merge and appends nothing', async () => {
    const { tenantId, merge } = await tenantWithTwoLeads();
    await merge();
    const before = (await env.eventsOf(tenantId)).length;
    const again = await merge();

    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'already_merged' });
    expect(await env.eventsOf(tenantId)).toHaveLength(before);
  });

  it('answers 409 naming the field for a lead merged into itself or already merged elsewhere', async () => {
    const { apiKey, survivorLeadId, mergedLeadId, merge } = await tenantWithTwoLeads();
    await merge();
    const third = (await env.request({ url: '/v1/leads', apiKey, body: { email: 'third@example.com' } })).json<{
      leadId: string;
    }>().leadId;

    const itself = await env.request({
      url: '/v1/leads/merge',
      apiKey,
      body: { survivorLeadId, mergedLeadId: survivorLeadId },
    });
    const elsewhere = await env.request({
      url: '/v1/leads/merge',
      apiKey,
      body: { survivorLeadId: third, mergedLeadId },
    });

    expectFieldError(itself, { status: 409, field: 'mergedLeadId', code: 'rule_violation' });
    expectFieldError(elsewhere, { status: 409, field: 'mergedLeadId', code: 'rule_violation' });
  });

  it('answers 404 for a lead the tenant does not have, and 403 to a key without administer_rules', async () => {
    const { survivorLeadId, mergedLeadId } = await tenantWithTwoLeads();
    const stranger = await env.newTenant(['ingest', 'administer_rules']);
    const ingestOnly = await env.newTenant(['ingest']);

    const unknown = await env.request({
      url: '/v1/leads/merge',
      apiKey: stranger.apiKey,
      body: { survivorLeadId: randomUUID(), mergedLeadId },
    });
    const forbidden = await env.request({
      url: '/v1/leads/merge',
      apiKey: ingestOnly.apiKey,
      body: { survivorLeadId, mergedLeadId },
    });

    expectFieldError(unknown, { status: 404, field: 'survivorLeadId', code: 'not_found' });
    expect(forbidden.statusCode).toBe(403);
  });
});
