import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import { catalogueEntryByCloudEventType } from '@l2o/contracts';
import type { CloudEvent } from '@l2o/contracts';
import type { StreamAppend } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { leadJourney } from '../attribution-events.fixture.ts';
import type { LeadJourney } from '../attribution-events.fixture.ts';
import { startAttributionTestApp } from '../attribution-test-app.fixture.ts';
import type { AttributionTestApp } from '../attribution-test-app.fixture.ts';
import { createAttributionSettingsRepository } from '../settings/attribution-settings.repository.ts';
import { attributionConsumer, createAttributionConsumer } from './attribution-consumer.ts';

describe('attribution consumer batches', () => {
  let t: AttributionTestApp;

  beforeAll(async () => {
    t = await startAttributionTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A lead's three touches, qualification and conversion, and its deal's opening and win, as two partitions deliver them. */
  function wonDeal(journey: LeadJourney): { lead: CloudEvent[]; opportunity: CloudEvent[] } {
    return {
      lead: [
        journey.captured({ channel: 'web_form', campaign: 'spring', occurredAt: '2025-03-01T10:00:00.000Z' }),
        journey.touched({ channel: 'ad', campaign: 'q2', occurredAt: '2025-03-10T10:00:00.000Z' }),
        journey.acted({ channel: 'event', occurredAt: '2025-03-20T10:00:00.000Z' }),
        journey.qualified('2025-03-21T10:00:00.000Z'),
        journey.converted('2025-04-01T10:00:00.000Z'),
      ],
      opportunity: [journey.opened('2025-04-01T10:00:00.000Z'), journey.won('2025-06-01T10:00:00.000Z', 1_000)],
    };
  }

  /** Stores the events as the relay found them, so the consumer can back-fill from the store. */
  async function store(events: readonly CloudEvent[]): Promise<void> {
    const appends = new Map<string, StreamAppend>();
    for (const event of events) {
      const entry = catalogueEntryByCloudEventType(event.type);
      if (entry === undefined) throw new Error(`${event.type} is not catalogued`);
      const streamId = `${entry.aggregate}-${event.subject}`;
      const append = appends.get(streamId) ?? { streamId, events: [], expectedVersion: 'no_stream' };
      append.events.push({
        id: event.id,
        type: entry.name,
        data: event.data as Record<string, unknown>,
        metadata: { tenantId: event.tenantid },
      });
      appends.set(streamId, append);
    }
    await t.store.appendToStreams([...appends.values()]);
  }

  /** What attribution keeps of a lead and its deal: touches, journey, attributions, positions. */
  async function keptOf(journey: LeadJourney) {
    const [touches, journeys, positions] = await Promise.all([
      t.pool.query(
        'SELECT touch_id, channel, milestones FROM attribution_touchpoints WHERE lead_id = $1 ORDER BY occurred_at',
        [journey.leadId],
      ),
      t.pool.query('SELECT * FROM attribution_journeys WHERE opportunity_id = $1', [journey.opportunityId]),
      t.pool.query(
        'SELECT stream_id, version::int AS version FROM consumer_positions WHERE consumer = $1 AND stream_id = ANY($2) ORDER BY 1',
        [attributionConsumer, [`lead-${journey.leadId}`, `opportunity-${journey.opportunityId}`]],
      ),
    ]);
    const attributions = await t.attributionEvents(journey.opportunityId);
    return {
      touches: touches.rows,
      journeys: journeys.rows,
      positions: positions.rows,
      attributions: attributions.map((event) => ({
        id: event.id,
        model: event.data.model,
        revision: event.data.revision,
      })),
    };
  }

  it('back-fills the events a batch misses from the event store instead of skipping them', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const deal = wonDeal(journey);
    await store([...deal.lead, ...deal.opportunity]);

    // The touches, the activity and the qualification between capture and conversion never arrive.
    await t.consumer.handleBatch(t.deliveries([deal.lead[0], deal.lead[4]].filter((event) => event !== undefined)));
    await t.consumer.handleBatch(t.deliveries(deal.opportunity));

    const kept = await keptOf(journey);
    expect(kept.touches.map((touch) => [touch.channel, touch.milestones])).toEqual([
      ['web_form', ['lead_created']],
      ['ad', []],
      ['event', ['mql', 'opportunity_created', 'closed_won']],
    ]);
    expect(kept.positions.map((position) => position.version)).toEqual([5, 2]);
    expect(kept.attributions).toHaveLength(9);
  });

  it('changes nothing when whole batches are delivered again after a crash before the offsets were committed', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const deal = wonDeal(journey);
    await t.consumer.handleBatch(t.deliveries(deal.lead));
    await t.consumer.handleBatch(t.deliveries(deal.opportunity));
    const kept = await keptOf(journey);

    await t.consumer.handleBatch(t.deliveries(deal.lead));
    await t.consumer.handleBatch(t.deliveries(deal.opportunity));

    expect(kept.attributions).toHaveLength(9);
    expect(await keptOf(journey)).toEqual(kept);
  });

  it('attributes a win on a pool of one connection: the batch reads settings and weights on its own transaction', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const deal = wonDeal(journey);
    // Partitions are consumed side by side: a batch that asks the pool for a second connection while it holds one can
    // starve it. Here it would wait until the server ends its idle transaction (30 s), past this test's 20 s.
    const single = createPool({ connectionString: t.databaseUrl, schema: t.schema, max: 1 });
    try {
      const consumer = createAttributionConsumer({
        ...t.deps,
        pool: single,
        settings: createAttributionSettingsRepository({ pool: single }),
      });
      await consumer.handleBatch(t.deliveries(deal.lead));
      await consumer.handleBatch(t.deliveries(deal.opportunity));
    } finally {
      await single.end();
    }

    expect((await keptOf(journey)).attributions).toHaveLength(9);
  }, 20_000);

  it('appends the attributions a batch decided once, by the outbox sweep, when the append failed after the commit', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const deal = wonDeal(journey);
    let storeDown = true;
    const consumer = createAttributionConsumer({
      ...t.deps,
      store: {
        readStream: (streamId, options) => t.store.readStream(streamId, options),
        appendToStream: (streamId, events, options) => t.store.appendToStream(streamId, events, options),
        readStreams: (requests) => t.store.readStreams(requests),
        appendToStreams: async (appends) => {
          if (storeDown) throw new Error('event store unavailable');
          return t.store.appendToStreams(appends);
        },
      },
    });

    await consumer.handleBatch(t.deliveries(deal.lead));
    await consumer.handleBatch(t.deliveries(deal.opportunity));
    expect(await t.attributionEvents(journey.opportunityId)).toEqual([]);

    storeDown = false;
    const swept = [await consumer.sweepOutbox({ minAgeMs: 0 }), await consumer.sweepOutbox({ minAgeMs: 0 })];
    await consumer.handleBatch(t.deliveries(deal.opportunity));

    expect(swept).toEqual([1, 0]);
    expect(await t.attributionEvents(journey.opportunityId)).toHaveLength(9);
  });

  it('isolates a poison message: the batch fails, one by one the others apply once and it is a permanent error', async () => {
    const { tenantId } = await t.newTenant();
    const journey = leadJourney({ tenantId });
    const deal = wonDeal(journey);
    const other = leadJourney({ tenantId });
    const captured = other.captured({ channel: 'api', occurredAt: '2025-03-01T10:00:00.000Z' });
    // Its data names another lead than its subject: misrouted, and it will never apply.
    const poison = { ...captured, subject: leadJourney({ tenantId }).leadId };
    const batch = t.deliveries([...deal.lead.slice(0, 2), poison, ...deal.lead.slice(2)]);

    await expect(t.consumer.handleBatch(batch)).rejects.toBeInstanceOf(PermanentError);
    expect((await keptOf(journey)).touches).toEqual([]);

    const failures: unknown[] = [];
    for (const message of batch) await t.consumer.handle(message).catch((error: unknown) => failures.push(error));
    await t.consumer.handleBatch(t.deliveries(deal.opportunity));

    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(PermanentError);
    const kept = await keptOf(journey);
    expect(kept.touches).toHaveLength(3);
    expect(kept.attributions).toHaveLength(9);
  });

  it('keeps touches and attributes wins as delivering the events one by one does, a win after a reopening included', async () => {
    const outcome = async (deliver: (events: CloudEvent[]) => Promise<void>) => {
      const { tenantId } = await t.newTenant();
      const journey = leadJourney({ tenantId });
      const deal = wonDeal(journey);
      await deliver(deal.lead);
      await deliver([
        ...deal.opportunity,
        journey.reopened('2025-06-05T10:00:00.000Z'),
        journey.won('2025-06-10T10:00:00.000Z', 1_500),
      ]);
      const touches = await t.pool.query<{ channel: string; milestones: string[] }>(
        'SELECT channel, milestones FROM attribution_touchpoints WHERE lead_id = $1 ORDER BY occurred_at',
        [journey.leadId],
      );
      const attributions = await t.attributionEvents(journey.opportunityId);
      return {
        touches: touches.rows,
        attributions: attributions.map(({ data }) => ({
          model: data.model,
          revision: data.revision,
          wonAt: data.wonAt,
          credits: data.credits.map((credit) => [credit.channel, credit.amount]),
        })),
      };
    };

    const oneByOne = await outcome((events) => t.deliver(...events));
    const batched = await outcome((events) => t.consumer.handleBatch(t.deliveries(events)));

    expect(oneByOne.attributions).toHaveLength(18);
    expect(batched).toEqual(oneByOne);
  });
});
