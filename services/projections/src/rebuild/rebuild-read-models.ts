import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import { START } from '@l2o/event-store';
import type { EventStore, RecordedEvent } from '@l2o/event-store';
import { quoteIdent, withTransaction } from '@l2o/pg';
import { applyEventInTransaction, StreamGapError } from '../read-model/apply-event.ts';
import { projectedFromRecordedEvent } from '../read-model/projected-event.ts';
import type { ReadModel } from '../read-model/read-model.ts';

/** An event the rebuild could not apply, and why; the live consumer would have dead-lettered it. */
export type SkippedEvent = { eventId: string; streamId: string; streamVersion: number; reason: string };

export type RebuildReport = {
  /** Events read from the feed. */
  events: number;
  skipped: SkippedEvent[];
};

/**
 * Drops the rows and positions of `readModels` for every tenant, then replays the event store's feed
 * from the start through the same apply path as the Kafka consumer, a page per transaction, until the
 * feed has nothing more. An event that can never apply (invalid, or past a gap it leaves) is skipped and
 * reported, as the consumer would dead-letter it; an infrastructure error stops the rebuild.
 *
 * The query API shows partial data until it ends. Events appended meanwhile are applied by whichever of
 * the rebuild and the consumer gets them first; the other finds them applied.
 */
export async function rebuildReadModels(options: {
  pool: pg.Pool;
  store: EventStore;
  readModels: readonly ReadModel[];
  /** Events per read and per transaction (default 1000). */
  pageSize?: number;
  /** Called after each page with the events read so far. */
  onProgress?: (eventsRead: number) => void;
}): Promise<RebuildReport> {
  const { pool, readModels } = options;
  const pageSize = options.pageSize ?? 1000;
  await resetReadModels({ pool, readModels });
  const report: RebuildReport = { events: 0, skipped: [] };
  let cursor = START;
  for (;;) {
    const page = await options.store.readFeed(cursor, { maxCount: pageSize });
    if (page.events.length > 0) await applyPage({ pool, readModels, events: page.events, report });
    report.events += page.events.length;
    cursor = page.cursor;
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
  events: RecordedEvent[];
  report: RebuildReport;
}): Promise<void> {
  const { pool, readModels, events, report } = options;
  try {
    await withTransaction(pool, async (client) => {
      for (const event of events) await applyRecorded({ client, readModels, event });
    });
  } catch (error) {
    if (!neverApplies(error)) throw error;
    // Rare: find the culprits one event per transaction, so the page's other events still count.
    for (const event of events) {
      try {
        await withTransaction(pool, (client) => applyRecorded({ client, readModels, event }));
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

async function applyRecorded(options: {
  client: pg.PoolClient;
  readModels: readonly ReadModel[];
  event: RecordedEvent;
}): Promise<void> {
  const projected = projectedFromRecordedEvent(options.event);
  if (projected === undefined) return;
  await applyEventInTransaction({ client: options.client, readModels: options.readModels, event: projected });
}

/** The errors for which the consumer would dead-letter the event, where retrying cannot help. */
function neverApplies(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof StreamGapError;
}
