import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import { START } from '@l2o/event-store';
import type { EventStore, FeedPage, RecordedEvent } from '@l2o/event-store';
import { quoteIdent, withTransaction } from '@l2o/pg';
import { StreamGapError, streamEventFromRecorded } from '@l2o/stream-consumer';
import type { StreamEvent } from '@l2o/stream-consumer';
import { applyEventsInTransaction } from '../read-model/apply-events.ts';
import type { ReadModel } from '../read-model/read-model.ts';

/** An event the rebuild could not apply, and why; the live consumer would have dead-lettered it. */
export type SkippedEvent = { eventId: string; streamId: string; streamVersion: number; reason: string };

export type RebuildReport = {
  /** Events read from the feed. */
  events: number;
  skipped: SkippedEvent[];
};

/** Events per read and per transaction: large, since a page costs a few statements per read model whatever its size. */
const defaultPageSize = 5_000;

/**
 * Drops the rows and positions of `readModels` for every tenant, then replays the event store's feed
 * from the start through the same batch path as the Kafka consumer, a page per transaction, until the
 * feed has nothing more; the next page is read while one is applied. An event that can never apply
 * (invalid, or past a gap it leaves) is skipped and reported, as the consumer would dead-letter it; an
 * infrastructure error stops the rebuild.
 *
 * The query API shows partial data until it ends. Events appended meanwhile are applied by whichever of
 * the rebuild and the consumer gets them first; the other finds them applied.
 */
export async function rebuildReadModels(options: {
  pool: pg.Pool;
  store: EventStore;
  readModels: readonly ReadModel[];
  /** Events per read and per transaction (default 5,000). */
  pageSize?: number;
  /** Called after each page with the events read so far. */
  onProgress?: (eventsRead: number) => void;
}): Promise<RebuildReport> {
  const { pool, readModels } = options;
  const maxCount = options.pageSize ?? defaultPageSize;
  await resetReadModels({ pool, readModels });
  const report: RebuildReport = { events: 0, skipped: [] };
  const read = (cursor: FeedPage['cursor']) => {
    const page = options.store.readFeed(cursor, { maxCount });
    // Awaited below; until then a failure must not count as unhandled.
    page.catch(() => undefined);
    return page;
  };
  let next = read(START);
  for (;;) {
    const page = await next;
    if (page.events.length > 0) next = read(page.cursor);
    if (page.events.length > 0) await applyPage({ pool, readModels, events: page.events, report });
    report.events += page.events.length;
    options.onProgress?.(report.events);
    if (page.events.length === 0) return report;
  }
}

/** Empties the tables of `readModels` and forgets their positions, in one transaction. */
export async function resetReadModels(options: { pool: pg.Pool; readModels: readonly ReadModel[] }): Promise<void> {
  const tables = options.readModels.flatMap((model) => model.tables).map(quoteIdent);
  await withTransaction(options.pool, async (client) => {
    if (tables.length > 0) await client.query(`TRUNCATE ${tables.join(', ')}`);
    await client.query('DELETE FROM read_model_positions WHERE read_model = ANY($1::text[])', [
      options.readModels.map((model) => model.name),
    ]);
  });
}

async function applyPage(options: {
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  events: readonly RecordedEvent[];
  report: RebuildReport;
}): Promise<void> {
  const { pool, readModels, events, report } = options;
  try {
    await applyRecorded({ pool, readModels, events });
  } catch (error) {
    if (!neverApplies(error)) throw error;
    // Rare: find the culprits one event per transaction, so the page's other events still count.
    for (const event of events) {
      try {
        await applyRecorded({ pool, readModels, events: [event] });
      } catch (eventError) {
        if (!neverApplies(eventError)) throw eventError;
        report.skipped.push({
          eventId: event.id,
          streamId: event.streamId,
          streamVersion: event.streamVersion,
          reason: (eventError as Error).message,
        });
      }
    }
  }
}

// A live consumer delivering the same stream's first events at the same moment makes one of the two
// transactions fail on a key or deadlock; its retry finds the events applied.
const raceCodes = new Set(['23505', '40P01', '40001']);
const raceAttempts = 3;

async function applyRecorded(options: {
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  events: readonly RecordedEvent[];
}): Promise<void> {
  const events = options.events.flatMap((recorded): StreamEvent[] => {
    const event = streamEventFromRecorded(recorded);
    return event === undefined ? [] : [event];
  });
  if (events.length === 0) return;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await withTransaction(options.pool, (client) =>
        applyEventsInTransaction({ client, readModels: options.readModels, events }),
      );
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= raceAttempts || typeof code !== 'string' || !raceCodes.has(code)) throw error;
    }
  }
}

/** The errors for which the consumer would dead-letter the event, where retrying cannot help. */
function neverApplies(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof StreamGapError;
}
