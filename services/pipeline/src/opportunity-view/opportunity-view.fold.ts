import type { OpportunityEvent } from '@l2o/domain';
import { stageDueAt } from '../stage-sla/stage-timers.repository.ts';
import type { StoredStageTimer } from '../stage-sla/stage-timers.repository.ts';
import { projectOpportunityEvent } from './pipeline-opportunity.projection.ts';
import type { PipelineOpportunity, TimerChange } from './pipeline-opportunity.projection.ts';

/** An event of an opportunity's stream, as the view applies it. */
export type OpportunityViewEvent = { opportunityId: string; event: OpportunityEvent };

/** What a batch changes: the rows it touched and the timers it set or ended. */
export type OpportunityViewChanges = {
  rows: PipelineOpportunity[];
  /** Timers of stage entries the batch made, as the batch leaves them (possibly cancelled already). */
  newTimers: StoredStageTimer[];
  /** Timers stored before the batch that it cancelled or fired. */
  endedTimers: StoredStageTimer[];
};

type TimerEntry = { timer: StoredStageTimer; stored: boolean; changed: boolean };

/**
 * Applies a batch of opportunity events, in order, to the rows and timers stored before it, exactly as
 * applying them one by one would: entering a stage cancels the opportunity's pending timers and sets
 * one for the entry when the stage has an SLA; closing cancels them; a stall fires the entry's timer.
 * Pure: what it reads comes in, what to write goes out.
 */
export function foldOpportunityView(options: {
  rows: ReadonlyMap<string, PipelineOpportunity>;
  timers: readonly StoredStageTimer[];
  /** The SLA of a stage of the row's pipeline, in the tenant's settings now; undefined for none. */
  slaDays: (row: PipelineOpportunity, stageId: string) => number | undefined;
  events: readonly OpportunityViewEvent[];
}): OpportunityViewChanges {
  const rows = new Map(options.rows);
  const touched = new Set<string>();
  const timers = new Map<string, TimerEntry>();
  const timersOf = new Map<string, TimerEntry[]>();
  const keep = (entry: TimerEntry): void => {
    timers.set(timerKey(entry.timer), entry);
    timersOf.set(entry.timer.opportunityId, [...(timersOf.get(entry.timer.opportunityId) ?? []), entry]);
  };
  for (const timer of options.timers) keep({ timer, stored: true, changed: false });

  const change = (entry: TimerEntry, ended: Partial<StoredStageTimer>): void => {
    entry.timer = { ...entry.timer, ...ended };
    entry.changed = true;
  };
  const cancelPending = (opportunityId: string, at: string): void => {
    for (const entry of timersOf.get(opportunityId) ?? []) {
      if (entry.timer.firedAt === undefined && entry.timer.cancelledAt === undefined)
        change(entry, { cancelledAt: at });
    }
  };
  const applyTimerChange = (row: PipelineOpportunity, timer: TimerChange): void => {
    switch (timer.kind) {
      case 'entered': {
        cancelPending(row.opportunityId, timer.enteredAt);
        const slaDays = options.slaDays(row, timer.stageId);
        // A stage no longer in the tenant's pipeline has no SLA to keep.
        if (slaDays === undefined) return;
        const entry: StoredStageTimer = {
          opportunityId: row.opportunityId,
          tenantId: row.tenantId,
          stageId: timer.stageId,
          enteredAt: timer.enteredAt,
          slaDays,
          dueAt: stageDueAt(timer.enteredAt, slaDays),
        };
        if (!timers.has(timerKey(entry))) keep({ timer: entry, stored: false, changed: true });
        return;
      }
      case 'closed':
        cancelPending(row.opportunityId, timer.at);
        return;
      case 'stalled': {
        const key = timerKey({ opportunityId: row.opportunityId, stageId: timer.stageId, enteredAt: timer.enteredAt });
        const entry = timers.get(key);
        if (entry !== undefined && entry.timer.firedAt === undefined) {
          change(entry, { firedAt: timer.at, outcome: 'stalled' });
        }
        return;
      }
    }
  };

  for (const { opportunityId, event } of options.events) {
    const projected = projectOpportunityEvent(rows.get(opportunityId), { opportunityId, event });
    rows.set(opportunityId, projected.row);
    touched.add(opportunityId);
    if (projected.timer !== undefined) applyTimerChange(projected.row, projected.timer);
  }

  const entries = [...timers.values()].filter((entry) => entry.changed);
  return {
    rows: [...touched].map((id) => rows.get(id)).filter((row) => row !== undefined),
    newTimers: entries.filter((entry) => !entry.stored).map((entry) => entry.timer),
    endedTimers: entries.filter((entry) => entry.stored).map((entry) => entry.timer),
  };
}

/** A stage entry's identity; times compared as instants, as the database compares them. */
function timerKey(timer: Pick<StoredStageTimer, 'opportunityId' | 'stageId' | 'enteredAt'>): string {
  return `${timer.opportunityId}|${timer.stageId}|${Date.parse(timer.enteredAt)}`;
}
