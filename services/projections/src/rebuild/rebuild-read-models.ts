import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import { START } from '@l2o/event-store';
import type { EventStore, FeedCursor, FeedPage, RecordedEvent } from '@l2o/event-store';
import { quoteIdent, withTransaction } from '@l2o/pg';
import { StreamGapError, streamEventFromRecorded } from '@l2o/stream-consumer';
import type { StreamEvent } from '@l2o/stream-consumer';
import { applyEventsInTransaction } from '../read-model/apply-events.ts';
import type { ReadModel } from '../read-model/read-model.ts';

/** An event a read model could not take in the rebuild, and why; the live consumer would have dead-lettered it. */
export type SkippedEvent = {
  readModel: string;
  eventId: string;
  streamId: string;
  streamVersion: number;
  reason: string;
};

export type RebuildReport = {
  /** Events read from the feed. */
  events: number;
  skipped: SkippedEvent[];
};

/** Events per read and per transaction at most: large, since a page costs a few statements per read model whatever its size. */
const defaultPageSize = 10_000;

/**
 * Event data per page, in characters of JSON: the process holds a page several times over while it parses
 * and writes it, and the next one meanwhile, so its memory follows the page's data, not its count. Pages
 * of wide events (many custom fields, long score breakdowns) hold fewer of them.
 */
const defaultPageDataChars = 8_000_000;

/** The first read, before the size of any event is known. */
const firstPageSize = 500;

/**
 * Drops the rows and positions of `readModels` for every tenant, then replays the event store's feed
 * from the start through the same batch path as the Kafka consumer, until the feed has nothing more.
 * Each model takes a page in a transaction of its own: a model's rows and positions are its alone, so
 * the models of a page are applied side by side, on a connection each, while the next page is read.
 * An event a model can never take (invalid, or past a gap it leaves) is skipped by that model and
 * reported, as the consumer would dead-letter it; an infrastructure error stops the rebuild.
 *
 * The query API shows partial data until it ends. Events appended meanwhile are applied by whichever of
 * the rebuild and the consumer gets them first; the other finds them applied.
 */
export async function rebuildReadModels(options: {
  pool: pg.Pool;
  store: EventStore;
  readModels: readonly ReadModel[];
  /** Events per read and per transaction at most (default 10,000); fewer when events are wide. */
  pageSize?: number;
  /** The events' data a page aims at, in characters of JSON (default 8,000,000), sized by the page before. */
  pageDataChars?: number;
  /** Called after each page with the events read so far. */
  onProgress?: (eventsRead: number) => void;
}): Promise<RebuildReport> {
  const { pool, readModels } = options;
  const maxCount = options.pageSize ?? defaultPageSize;
  const dataChars = options.pageDataChars ?? defaultPageDataChars;
  await resetReadModels({ pool, readModels });
  const report: RebuildReport = { events: 0, skipped: [] };
  const read = (cursor: FeedCursor, count: number): Promise<ReadPage> => {
    // Parsed as soon as read, while the page before is applied; the stored events are kept only if that fails.
    const page = options.store.readFeed(cursor, { maxCount: count }).then(parsedPage);
    // Awaited below; until then a failure must not count as unhandled.
    page.catch(() => undefined);
    return page;
  };
  let next = read(START, Math.min(firstPageSize, maxCount));
  for (;;) {
    const page = await next;
    if (page.count > 0) {
      const perEvent = page.dataChars / page.count;
      next = read(page.cursor, Math.max(1, Math.min(maxCount, Math.floor(dataChars / perEvent))));
      const applied = await Promise.allSettled(
        readModels.map((readModel) => applyPage({ pool, readModel, page, report })),
      );
      const failed = applied.find((outcome) => outcome.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
    report.events += page.count;
    options.onProgress?.(report.events);
    if (page.count === 0) return report;
  }
}

/**
 * A page of the feed: its stream events, or the stored ones and why one of them cannot be parsed; and the
 * length of its events' data as JSON.
 */
type ReadPage = { cursor: FeedCursor; count: number; dataChars: number } & (
  { events: StreamEvent[] } | { stored: RecordedEvent[]; failure: unknown }
);

function parsedPage(page: FeedPage): ReadPage {
  const { cursor, events } = page;
  const read = { cursor, count: events.length, dataChars: dataCharsOf(events) };
  try {
    return { ...read, events: parseRecorded(events) };
  } catch (failure) {
    return { ...read, stored: events, failure };
  }
}

function dataCharsOf(events: readonly RecordedEvent[]): number {
  let chars = 0;
  for (const event of events) chars += JSON.stringify(event.data)?.length ?? 0;
  return chars;
}

function parseRecorded(events: readonly RecordedEvent[]): StreamEvent[] {
  return events.flatMap((recorded) => {
    const event = streamEventFromRecorded(recorded);
    return event === undefined ? [] : [event];
  });
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
  readModel: ReadModel;
  page: ReadPage;
  report: RebuildReport;
}): Promise<void> {
  const { pool, readModel, page, report } = options;
  const readModels = [readModel];
  try {
    if ('failure' in page) throw page.failure;
    await applyParsed({ pool, readModels, events: page.events });
  } catch (error) {
    if (!neverApplies(error)) throw error;
    // Rare: find the culprits one event per transaction, so the page's other events still count.
    const events: Array<StreamEvent | RecordedEvent> = 'failure' in page ? page.stored : page.events;
    for (const event of events) {
      try {
        const parsed = 'metadata' in event ? parseRecorded([event]) : [event];
        await applyParsed({ pool, readModels, events: parsed });
      } catch (eventError) {
        if (!neverApplies(eventError)) throw eventError;
        report.skipped.push({
          readModel: readModel.name,
          eventId: event.id,
          streamId: event.streamId,
          streamVersion: event.streamVersion,
          reason: (eventError as Error).message,
        });
      }
    }
  }
}

// The live consumer applying the same streams at the same moment makes one of the two transactions fail
// on a key, a deadlock or moved positions; its retry finds the events applied.
const raceCodes = new Set(['23505', '40P01', '40001']);
const raceAttempts = 3;

async function applyParsed(options: {
  pool: pg.Pool;
  readModels: readonly ReadModel[];
  events: readonly StreamEvent[];
}): Promise<void> {
  if (options.events.length === 0) return;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await withTransaction(options.pool, (client) =>
        applyEventsInTransaction({ client, readModels: options.readModels, events: options.events }),
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
