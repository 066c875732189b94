import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsumer } from '@l2o/bus';
import type { ConsumedEvent, ConsumerRunner } from '@l2o/bus';
import { migrateProjections } from '@l2o/projections/migrations';
import { createApiKey } from '@l2o/tenancy';
import type { ApiScope } from '@l2o/tenancy';
import { kafkaBrokers, waitFor, withServiceOutput } from '@l2o/testing';
import { startPlatform, type E2ePlatform } from './e2e-platform.fixture.ts';

const { Kafka, logLevel } = kafkajs;

describe('lead capture across the running services', () => {
  const published: ConsumedEvent[] = [];
  let platform: E2ePlatform;
  let reader: ConsumerRunner | undefined;

  beforeAll(async () => {
    platform = await startPlatform({
      label: 'e2e',
      services: ['ingestion', 'projections', 'relay'],
      partitions: 3,
      scopes: ['ingest', 'read_reports'],
      migrations: [migrateProjections],
    });
    reader = await runConsumer({
      brokers: kafkaBrokers(),
      groupId: `e2e-reader-${platform.suffix}`,
      topics: [platform.topics.lead],
      deadLetter: { ensureTopics: false },
      handle: async (message) => {
        published.push(message);
      },
    });
  });

  afterAll(async () => {
    await reader?.stop();
    await platform?.stop();
  });

  const services = () => Object.values(platform.services);

  /** A key of `tenant`, created in the services' schema. */
  async function keyOf(tenant: string, scopes: ApiScope[]): Promise<string> {
    return (await createApiKey({ pool: platform.pool, tenantId: tenant, name: 'e2e', scopes })).apiKey;
  }

  async function storedEvents(filter: { tenantId?: string } = {}): Promise<number> {
    const result = await platform.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM events WHERE $1::text IS NULL OR metadata->>'tenantId' = $1`,
      [filter.tenantId ?? null],
    );
    return result.rows[0]?.count ?? -1;
  }

  it('captures a lead over HTTP, publishes LeadCaptured and shows the lead in the query API', async () => {
    const traceId = randomUUID().replaceAll('-', '');
    await withServiceOutput(services(), async () => {
      const response = await fetch(platform.url('ingestion', '/v1/leads'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${platform.apiKey}`,
          'x-request-id': `e2e-${platform.suffix}`,
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
        body: JSON.stringify({
          email: ' Grace.Hopper@Example.com',
          firstName: 'Grace',
          lastName: 'Hopper',
          company: { name: 'Navy Computing', domain: 'navy.example' },
          touchpoint: { channel: 'web_form', source: 'website', campaign: 'cobol-days' },
        }),
      });
      const body = (await response.json()) as { leadId: string; status: string };
      expect(response.status, JSON.stringify(body)).toBe(201);
      expect(body.status).toBe('captured');
      const { leadId } = body;

      const lead = await waitFor('the lead in the query API', async () => {
        const answer = await fetch(platform.url('projections', `/v1/leads/${leadId}`), {
          headers: { authorization: `Bearer ${platform.apiKey}` },
        });
        return answer.status === 200 ? ((await answer.json()) as Record<string, unknown>) : undefined;
      });
      expect(lead).toMatchObject({
        leadId,
        status: 'captured',
        email: 'grace.hopper@example.com',
        firstName: 'Grace',
        lastName: 'Hopper',
        companyName: 'Navy Computing',
        companyDomain: 'navy.example',
        channel: 'web_form',
        source: 'website',
        campaign: 'cobol-days',
        version: 1,
      });

      const message = await waitFor('LeadCaptured on the lead topic', () =>
        published.find((candidate) => candidate.event.subject === leadId),
      );
      expect(message.key).toBe(leadId);
      expect(message.event).toMatchObject({
        type: 'l2o.lead.captured.v1',
        subject: leadId,
        source: '/l2o/ingestion',
        tenantid: platform.tenantId,
        streamversion: 1,
        correlationid: `e2e-${platform.suffix}`,
        data: { leadId, tenantId: platform.tenantId, contact: { email: 'grace.hopper@example.com' } },
      });
      // The caller's trace continues through the event store and Kafka.
      expect(message.event.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-[0-9a-f]{2}$`));

      const otherTenantKey = await keyOf(`other-${platform.suffix}`, ['read_reports']);
      const asOtherTenant = await fetch(platform.url('projections', `/v1/leads/${leadId}`), {
        headers: { authorization: `Bearer ${otherTenantKey}` },
      });
      expect(asOtherTenant.status).toBe(404);
    });
  });

  it('refuses a bad body with 400 naming the field and stores no event', async () => {
    const refusedTenant = `refused-${platform.suffix}`;
    const refusedKey = await keyOf(refusedTenant, ['ingest']);
    await withServiceOutput(services(), async () => {
      const before = await storedEvents();
      const response = await fetch(platform.url('ingestion', '/v1/leads'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${refusedKey}` },
        body: JSON.stringify({ email: 'not-an-email', firstName: 'Grace' }),
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        status: 400,
        code: 'validation_failed',
        field: 'email',
        reason: 'is not an email address: it needs a part before the @ and a domain after it',
      });
      expect(await storedEvents({ tenantId: refusedTenant })).toBe(0);
      expect(await storedEvents()).toBe(before);
    });
  });

  it('refuses a request without an API key with 401 on both services', async () => {
    await withServiceOutput(services(), async () => {
      const capture = await fetch(platform.url('ingestion', '/v1/leads'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'grace@example.com' }),
      });
      const read = await fetch(platform.url('projections', `/v1/leads/${randomUUID()}`));

      expect(capture.status).toBe(401);
      expect(await capture.json()).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(read.status).toBe(401);
    });
  });
  it('captures a lead a platform producer publishes on the intake topic and serves it from the query API', async () => {
    await withServiceOutput(services(), async () => {
      const submissionId = randomUUID();
      const email = `intake-${platform.suffix}@example.com`;
      const producer = new Kafka({
        brokers: kafkaBrokers(),
        clientId: 'e2e-intake-producer',
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      try {
        await producer.send({
          topic: platform.topics.intake,
          messages: [
            {
              key: email,
              value: JSON.stringify({
                email,
                firstName: 'Katherine',
                lastName: 'Johnson',
                touchpoint: { source: 'crm-sync' },
              }),
              headers: {
                ce_specversion: '1.0',
                ce_id: submissionId,
                ce_type: 'l2o.lead-intake.submitted.v1',
                ce_source: '/crm/sync',
                ce_time: new Date().toISOString(),
                ce_tenantid: platform.tenantId,
                'content-type': 'application/json',
              },
            },
          ],
        });
      } finally {
        await producer.disconnect();
      }

      const message = await waitFor('the intake lead published as LeadCaptured', () =>
        published.find(
          (candidate) => (candidate.event.data as { contact?: { email?: string } }).contact?.email === email,
        ),
      );
      expect(message.event).toMatchObject({ type: 'l2o.lead.captured.v1', tenantid: platform.tenantId });
      expect(message.event.data).toMatchObject({ touchpoint: { channel: 'kafka_intake', source: 'crm-sync' } });
      const lead = await waitFor('the intake lead in the query API', async () => {
        const answer = await fetch(platform.url('projections', `/v1/leads/${message.event.subject}`), {
          headers: { authorization: `Bearer ${platform.apiKey}` },
        });
        return answer.status === 200 ? ((await answer.json()) as Record<string, unknown>) : undefined;
      });
      expect(lead).toMatchObject({ email, channel: 'kafka_intake', firstName: 'Katherine' });
    });
  });
});
