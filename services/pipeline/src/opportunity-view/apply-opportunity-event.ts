import { catalogueEntryOf, streamIdFor } from '@l2o/contracts';
import type { CatalogueEntry } from '@l2o/contracts';
import type { OpportunityEvent } from '@l2o/domain';
import type { EventStore } from '@l2o/event-store';
import { withTransaction } from '@l2o/pg';
import type pg from 'pg';
import type { Db } from '../db.ts';
import type { PipelineSettingsRepository } from '../settings/pipeline-settings.repository.ts';
import { findPipeline, stageSlaDays } from '../settings/pipeline-stages.ts';
import {
  cancelStageTimers,
  insertStageTimer,
  markStageTimerFired,
  stageDueAt,
} from '../stage-sla/stage-timers.repository.ts';
import { lockPipelineOpportunity, savePipelineOpportunity } from './pipeline-opportunities.repository.ts';
import { projectOpportunityEvent } from './pipeline-opportunity.projection.ts';
import type { PipelineOpportunity, StreamEvent, TimerChange } from './pipeline-opportunity.projection.ts';

/** `applied`: the row took the event (and any missing before it); `duplicate`: it had it already. */
export type ApplyOutcome = 'applied' | 'duplicate';

/**
 * The typed event of a catalogue entry, its data validated; undefined for a type this build does not know.
 * @throws `z.ZodError` when the data does not match the entry's schema.
 */
export function opportunityEventOf(entry: CatalogueEntry | undefined, data: unknown): OpportunityEvent | undefined {
  if (entry === undefined || entry.aggregate !== 'opportunity') return undefined;
  return { type: entry.name, data: entry.schema.parse(data) } as OpportunityEvent;
}

/**
 * Applies an event of an opportunity's stream to its `pipeline_opportunities` row and its stage timers,
 * in one transaction with the row's version: a replay changes nothing. When events before it never
 * arrived (a type skipped upstream, a lost message), they are read from the event store and applied
 * first, so the row never skips an event and never stalls behind one.
 */
export async function applyOpportunityEvent(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream'>;
  settings: PipelineSettingsRepository;
  opportunityId: string;
  next: StreamEvent;
}): Promise<ApplyOutcome> {
  const { opportunityId, next } = options;
  return withTransaction(options.pool, async (client) => {
    const current = await lockPipelineOpportunity(client, opportunityId);
    const lastVersion = current?.lastVersion ?? 0;
    if (next.version <= lastVersion) return 'duplicate';
    const missing = await missingEvents({
      store: options.store,
      opportunityId,
      from: lastVersion + 1,
      to: next.version,
    });
    let row = current;
    for (const event of [...missing, next]) {
      const projected = projectOpportunityEvent(row, { ...event, opportunityId });
      row = projected.row;
      if (projected.timer !== undefined) {
        await applyTimerChange({ db: client, settings: options.settings, row, change: projected.timer });
      }
    }
    if (row !== undefined) await savePipelineOpportunity(client, { row, isNew: current === undefined });
    return 'applied';
  });
}

async function missingEvents(options: {
  store: Pick<EventStore, 'readStream'>;
  opportunityId: string;
  from: number;
  to: number;
}): Promise<StreamEvent[]> {
  const { from, to } = options;
  if (from >= to) return [];
  const recorded = await options.store.readStream(streamIdFor('opportunity', options.opportunityId), {
    fromVersion: from,
    maxCount: to - from,
  });
  // The event was published after it was committed, so the store has every version before it.
  if (recorded.length !== to - from) {
    throw new Error(`opportunity ${options.opportunityId}: the store lacks versions ${from}..${to - 1}`);
  }
  return recorded.map((event) => ({
    version: event.streamVersion,
    event: opportunityEventOf(catalogueEntryOf(event.type, event.schemaVersion), event.data),
  }));
}

async function applyTimerChange(options: {
  db: Db;
  settings: PipelineSettingsRepository;
  row: PipelineOpportunity;
  change: TimerChange;
}): Promise<void> {
  const { db, row, change } = options;
  switch (change.kind) {
    case 'entered': {
      await cancelStageTimers(db, { opportunityId: row.opportunityId, at: change.enteredAt });
      const pipeline = findPipeline(await options.settings.get(row.tenantId), row.pipelineId);
      // A stage no longer in the tenant's pipeline has no SLA to keep.
      const slaDays = pipeline === undefined ? undefined : stageSlaDays(pipeline, change.stageId);
      if (slaDays === undefined) return;
      await insertStageTimer(db, {
        opportunityId: row.opportunityId,
        tenantId: row.tenantId,
        stageId: change.stageId,
        enteredAt: change.enteredAt,
        slaDays,
        dueAt: stageDueAt(change.enteredAt, slaDays),
      });
      return;
    }
    case 'closed':
      await cancelStageTimers(db, { opportunityId: row.opportunityId, at: change.at });
      return;
    case 'stalled':
      await markStageTimerFired(db, {
        opportunityId: row.opportunityId,
        stageId: change.stageId,
        enteredAt: change.enteredAt,
        at: change.at,
        outcome: 'stalled',
      });
      return;
  }
}
