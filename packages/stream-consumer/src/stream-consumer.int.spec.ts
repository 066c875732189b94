import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import type { ConsumedEvent } from '@l2o/bus';
import { latestCatalogueEntry, toCloudEvent } from '@l2o/contracts';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import type { PostgresEventStore, RecordedEvent } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { freshSchema } from '@l2o/testing';
import { migrateStreamConsumer } from './migrate-stream-consumer.ts';
import { createStreamConsumer } from './stream-batch-handler.ts';
import type { GapPolicy, StreamConsumerOptions } from './stream-batch-handler.ts';
import { StreamGapError } from './stream-gap-error.ts';

type Command = { leadId: string; version: number };

describe('the stream consumer kit', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await freshSchema('stream_consumer');
    await migrateEventStore(db);
    await migrateStreamConsumer(db);
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 6 });
    await pool.query('CREATE TABLE applied (consumer text, event_id uuid, stream_id text, version int)');
    store = createPostgresEventStore({ pool, schema: db.schema });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  /** Appends `names` to a new lead's stream and returns them as the relay would publish them. */
  async function leadHistory(names: string[], tenantId = 'acme'): Promise<ConsumedEvent[]> {
    const leadId = randomUUID();
    const events = names.map((name) => {
      const example = latestCatalogueEntry(name)?.example as Record<string, unknown>;
      return { id: randomUUID(), type: name, data: { ...example, leadId, tenantId }, metadata: { tenantId } };
    });
    await store.appendToStream(`lead-${leadId}`, events, { expectedVersion: 'no_stream' });
    return (await store.readStream(`lead-${leadId}`)).map(consumed);
  }

  function consumerOf(
    name: string,
    overrides: Partial<StreamConsumerOptions<Command>> = {},
  ): ReturnType<typeof createStreamConsumer<Command>> {
    return createStreamConsumer<Command>({
      consumer: name,
      pool,
      handles: (eventName) => eventName !== 'LeadScored',
      gaps: 'refuse',
      apply: async ({ client, events }) => {
        for (const event of events) {
          await client.query('INSERT INTO applied VALUES ($1, $2, $3, $4)', [
            name,
            event.id,
            event.streamId,
            event.streamVersion,
          ]);
        }
      },
      ...overrides,
    });
  }

  async function appliedBy(name: string): Promise<Array<{ stream_id: string; version: number }>> {
    const result = await pool.query<{ stream_id: string; version: number }>(
      'SELECT stream_id, version FROM applied WHERE consumer = $1 ORDER BY stream_id, version',
      [name],
    );
    return result.rows;
  }

  it('applies a batch of interleaved streams once, and a redelivered batch changes nothing', async () => {
    const [a, b] = [await leadHistory(['LeadCaptured', 'LeadTouchRecorded']), await leadHistory(['LeadCaptured'])];
    const consumer = consumerOf('once');
    const batch = [a[0], b[0], a[1]].filter((m) => m !== undefined);

    await consumer.handleBatch(batch);
    await consumer.handleBatch(batch);

    expect(await appliedBy('once')).toHaveLength(3);
  });

  it('moves the position over types it does not handle, without applying them', async () => {
    const history = await leadHistory(['LeadCaptured', 'LeadScored', 'LeadTouchRecorded']);
    const consumer = consumerOf('unhandled');

    await consumer.handleBatch(history);

    expect((await appliedBy('unhandled')).map((row) => row.version)).toEqual([1, 3]);
  });

  it('refuses a gap under the refuse policy and writes nothing of the batch', async () => {
    const [other] = await leadHistory(['LeadCaptured']);
    const gapped = await leadHistory(['LeadCaptured', 'LeadTouchRecorded', 'LeadTouchRecorded']);
    const consumer = consumerOf('refuse');

    const handling = consumer.handleBatch([other, gapped[0], gapped[2]].filter((m) => m !== undefined));

    await expect(handling).rejects.toBeInstanceOf(StreamGapError);
    await expect(handling).rejects.toMatchObject({ appliedVersion: 1, receivedVersion: 3 });
    expect(await appliedBy('refuse')).toEqual([]);
  });

  it('back-fills a gap from the event store and applies the stream in order', async () => {
    const history = await leadHistory(['LeadCaptured', 'LeadTouchRecorded', 'LeadScored', 'LeadTouchRecorded']);
    const gaps: GapPolicy = { backfillFrom: store };
    const consumer = consumerOf('backfill', { gaps });

    await consumer.handleBatch([history[0], history[3]].filter((m) => m !== undefined));

    const streamId = `lead-${history[0]?.event.subject}`;
    expect(await appliedBy('backfill')).toEqual([
      { stream_id: streamId, version: 1 },
      { stream_id: streamId, version: 2 },
      { stream_id: streamId, version: 4 },
    ]);
  });

  it('refuses an event that claims another tenant’s stream', async () => {
    const history = await leadHistory(['LeadCaptured', 'LeadTouchRecorded']);
    const consumer = consumerOf('tenants');
    await consumer.handleBatch(history.slice(0, 1));
    const second = history[1];
    if (!second) throw new Error('history has two events');

    const foreign = { ...second, event: { ...second.event, tenantid: 'globex', data: second.event.data } };

    await expect(consumer.handleBatch([foreign])).rejects.toBeInstanceOf(PermanentError);
  });

  it('applies a stream once when two replicas handle the same batch at the same time', async () => {
    const history = await leadHistory(['LeadCaptured', 'LeadTouchRecorded']);
    const [first, second] = [consumerOf('replicas'), consumerOf('replicas')];

    const outcomes = await Promise.allSettled([first.handleBatch(history), second.handleBatch(history)]);
    // The loser of the first insert fails (as the bus would retry it); its retry is a redelivery.
    for (const outcome of outcomes) if (outcome.status === 'rejected') await first.handleBatch(history);

    expect(await appliedBy('replicas')).toHaveLength(2);
  });

  describe('commands', () => {
    function commandingConsumer(name: string, dispatch: (commands: readonly Command[]) => Promise<void>) {
      return consumerOf(name, {
        apply: async ({ events, send }) => {
          for (const event of events) send({ leadId: event.aggregateId, version: event.streamVersion });
        },
        dispatch,
      });
    }

    it('sends what a batch decided only after it committed', async () => {
      const history = await leadHistory(['LeadCaptured', 'LeadTouchRecorded']);
      const sent: Command[] = [];
      let positionAtSend: number | undefined;
      const consumer = commandingConsumer('send', async (commands) => {
        const position = await pool.query<{ version: string }>(
          "SELECT version FROM consumer_positions WHERE consumer = 'send'",
        );
        positionAtSend = Number(position.rows[0]?.version);
        sent.push(...commands);
      });

      await consumer.handleBatch(history);

      expect(sent.map((command) => command.version)).toEqual([1, 2]);
      expect(positionAtSend).toBe(2);
      expect((await pool.query("SELECT 1 FROM consumer_outbox WHERE consumer = 'send'")).rowCount).toBe(0);
    });

    it('keeps commands whose send failed and sends them once on the sweep', async () => {
      const history = await leadHistory(['LeadCaptured']);
      let failing = true;
      const sent: Command[] = [];
      const consumer = commandingConsumer('sweep', async (commands) => {
        if (failing) throw new Error('event store unavailable');
        sent.push(...commands);
      });

      await consumer.handleBatch(history);
      failing = false;
      const early = await consumer.sweepOutbox();
      const swept = await consumer.sweepOutbox({ minAgeMs: 0 });
      const again = await consumer.sweepOutbox({ minAgeMs: 0 });

      expect([early, swept, again]).toEqual([0, 1, 0]);
      expect(sent).toEqual([{ leadId: history[0]?.event.subject, version: 1 }]);
    });

    it('keeps what work outside a batch sends with its writes, and sends it after the commit', async () => {
      const sent: Command[] = [];
      const consumer = commandingConsumer('timer', async (commands) => void sent.push(...commands));

      const rolledBack = consumer.withOutbox(async ({ send }) => {
        send({ leadId: 'never-sent', version: 1 });
        throw new Error('the timer row could not be claimed');
      });
      await expect(rolledBack).rejects.toThrow('could not be claimed');
      const fired = await consumer.withOutbox(async ({ client, send }) => {
        await client.query("INSERT INTO applied VALUES ('timer', gen_random_uuid(), 'lead-timer', 1)");
        send({ leadId: 'timer', version: 1 });
        return 'fired';
      });

      expect(fired).toBe('fired');
      expect(sent).toEqual([{ leadId: 'timer', version: 1 }]);
      expect(await appliedBy('timer')).toEqual([{ stream_id: 'lead-timer', version: 1 }]);
      expect((await pool.query("SELECT 1 FROM consumer_outbox WHERE consumer = 'timer'")).rowCount).toBe(0);
    });
  });
});

function consumed(recorded: RecordedEvent, index: number): ConsumedEvent {
  return {
    event: toCloudEvent(recorded),
    topic: 'l2o.lead.v1',
    partition: 0,
    offset: String(index),
    key: recorded.streamId.slice('lead-'.length),
    attempt: 1,
  };
}
