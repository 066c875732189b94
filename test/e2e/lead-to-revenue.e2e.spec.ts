import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsumer } from '@l2o/bus';
import type { ConsumedEvent, ConsumerRunner } from '@l2o/bus';
import { kafkaBrokers, waitFor, withServiceOutput } from '@l2o/testing';
import { captureStrongLead, startPlatform, type E2ePlatform } from './e2e-platform.fixture.ts';

// One lead's whole way through the running services, with the out-of-the-box settings only: the demo
// routing team (DEMO_TENANT), the default scoring rules, the default pipeline and attribution models.
describe('a lead from capture to revenue across the running services', () => {
  const published: ConsumedEvent[] = [];
  let platform: E2ePlatform;
  let reader: ConsumerRunner | undefined;

  beforeAll(async () => {
    platform = await startPlatform({
      label: 'e2e-l2r',
      services: ['relay', 'ingestion', 'scoring', 'routing', 'pipeline', 'attribution'],
      partitions: 2,
      scopes: ['ingest', 'read_reports', 'administer_rules', 'work_leads'],
    });
    const { topics } = platform;
    reader = await runConsumer({
      brokers: kafkaBrokers(),
      groupId: `e2e-l2r-reader-${platform.suffix}`,
      topics: [topics.lead, topics.opportunity, topics.attribution],
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

  const post = (service: string, path: string, body: unknown) => platform.post(service, path, body);

  /** The types of the lead's events on the lead topic, in the order they were published. */
  const leadEventTypes = (leadId: string) =>
    published.filter((message) => message.event.subject === leadId).map((message) => message.event.type);

  let leadId = '';

  it('scores, qualifies and assigns a strong, engaged lead, in that order on l2o.lead.v1', async () => {
    await withServiceOutput(Object.values(platform.services), async () => {
      leadId = await captureStrongLead(platform, 'Scully');

      const types = await waitFor('LeadAssigned on the lead topic', () => {
        const seen = leadEventTypes(leadId);
        return seen.includes('l2o.lead.assigned.v1') ? seen : undefined;
      });
      const first = (type: string) => types.indexOf(type);
      expect(first('l2o.lead.captured.v1')).toBe(0);
      expect(first('l2o.lead.scored.v1')).toBeGreaterThan(first('l2o.lead.captured.v1'));
      expect(first('l2o.lead.qualified.v1')).toBeGreaterThan(first('l2o.lead.scored.v1'));
      expect(first('l2o.lead.assigned.v1')).toBeGreaterThan(first('l2o.lead.qualified.v1'));
      expect(types.filter((type) => type === 'l2o.lead.qualified.v1')).toHaveLength(1);

      const versions = published
        .filter((message) => message.event.subject === leadId)
        .map((message) => message.event.streamversion);
      expect(versions).toEqual([...versions].sort((a, b) => (a ?? 0) - (b ?? 0)));

      const qualified = published.find(
        (message) => message.event.subject === leadId && message.event.type === 'l2o.lead.qualified.v1',
      );
      expect(qualified?.event.data).toMatchObject({ leadId, tenantId: platform.tenantId, threshold: 60 });
      const assigned = published.find(
        (message) => message.event.subject === leadId && message.event.type === 'l2o.lead.assigned.v1',
      );
      expect(assigned?.event.data).toMatchObject({
        leadId,
        tenantId: platform.tenantId,
        reason: 'qualified',
        ownerId: expect.stringMatching(/^rep-/),
        responseDueAt: expect.any(String),
      });
      const scored = published.filter(
        (message) => message.event.subject === leadId && message.event.type === 'l2o.lead.scored.v1',
      );
      expect(scored.at(-1)?.event.data).toMatchObject({ breakdown: expect.arrayContaining([expect.any(Object)]) });
    });
  });

  it('converts the lead, wins the deal and publishes every model’s credit on l2o.attribution.v1', async () => {
    expect(leadId, 'the lead of the first test').not.toBe('');
    await withServiceOutput(Object.values(platform.services), async () => {
      const assigned = published.find(
        (message) => message.event.subject === leadId && message.event.type === 'l2o.lead.assigned.v1',
      );
      const ownerId = String((assigned?.event.data as { ownerId?: string } | undefined)?.ownerId);
      await post('routing', `/v1/leads/${leadId}/accept`, { ownerId });
      await post('pipeline', `/v1/leads/${leadId}/sales-qualify`, { by: ownerId, notes: 'budget confirmed' });
      const converted = await post('pipeline', `/v1/leads/${leadId}/convert`, {
        by: ownerId,
        amount: 48000.1,
        currency: 'EUR',
        expectedCloseDate: '2027-03-31',
      });
      const opportunityId = String(converted.opportunityId);
      await post('pipeline', `/v1/opportunities/${opportunityId}/win`, { amount: 50000.01 });

      const credits = await waitFor(
        'AttributionCalculated for every model',
        () => {
          const calculated = published.filter(
            (message) =>
              message.event.type === 'l2o.attribution.calculated.v1' &&
              (message.event.data as { opportunityId?: string }).opportunityId === opportunityId,
          );
          return calculated.length >= 9 ? calculated : undefined;
        },
        { timeoutMs: 60_000 },
      );
      const models = credits.map((message) => (message.event.data as { model: string }).model).sort();
      expect(models).toEqual([
        'first_touch',
        'full_path',
        'last_touch',
        'linear',
        'markov',
        'position_based',
        'shapley',
        'time_decay',
        'w_shaped',
      ]);
      for (const message of credits) {
        const data = message.event.data as { amount: number; currency: string; byChannel: Array<{ amount: number }> };
        expect(data).toMatchObject({ amount: 50000.01, currency: 'EUR', leadId, tenantId: platform.tenantId });
        const cents = data.byChannel.reduce((sum, channel) => sum + Math.round(channel.amount * 100), 0);
        expect(cents).toBe(5_000_001);
      }

      const leadTypes = leadEventTypes(leadId);
      for (const type of ['l2o.lead.accepted.v1', 'l2o.lead.sales_qualified.v1', 'l2o.lead.converted.v1']) {
        expect(leadTypes).toContain(type);
      }
      const opportunityTypes = published
        .filter((message) => message.event.subject === opportunityId)
        .map((message) => message.event.type);
      expect(opportunityTypes.slice(0, 1)).toEqual(['l2o.opportunity.opened.v1']);
      expect(opportunityTypes).toContain('l2o.opportunity.won.v1');
    });
  });
});
