// When each lead reached each stage, read from the event store's ordered feed (the relay's own way in,
// which never skips a late commit) and from the projections' `leads` table. A stage's time is the
// event's recorded_at, so how often the watcher looks changes what it reports by nothing; only the
// read model, which keeps no write time, is timed by polling.
import type pg from 'pg';
import { createPostgresEventStore, START, type FeedSubscription } from '@l2o/event-store';

export type LeadStages = {
  /** First `LeadScored`, `LeadQualified` and `LeadAssigned` of each lead, epoch ms of recorded_at. */
  scored: Map<string, number>;
  qualified: Map<string, number>;
  assigned: Map<string, number>;
  /** Events stored so far, by type, and the latest recorded_at seen. */
  eventsByType: Map<string, number>;
  lastRecordedAt: number;
  /** Rows of the tenant in the projections' `leads` table, as of the last poll. */
  visible: number;
  /** When `visible` first reached each target passed to {@link StageWatcher.visibleAt}. */
  visibleReached: Map<number, number>;
};

export type StageWatcher = {
  stages: LeadStages;
  /** Epoch ms at which the read model first held `count` leads, once it has. */
  visibleAt: (count: number) => number | undefined;
  /** Adds a read-model count to time (the poll notes when it is first reached). */
  watchVisible: (count: number) => void;
  stop: () => Promise<void>;
};

const tracked = { LeadScored: 'scored', LeadQualified: 'qualified', LeadAssigned: 'assigned' } as const;

export function watchStages(options: {
  pool: pg.Pool;
  schema: string;
  tenantId: string;
  visiblePollMs: number;
}): StageWatcher {
  const stages: LeadStages = {
    scored: new Map(),
    qualified: new Map(),
    assigned: new Map(),
    eventsByType: new Map(),
    lastRecordedAt: 0,
    visible: 0,
    visibleReached: new Map(),
  };
  const store = createPostgresEventStore({ pool: options.pool, schema: options.schema, pollIntervalMs: 200 });
  const subscription: FeedSubscription = store.subscribeToFeed({
    from: START,
    maxBatch: 2_000,
    onEvents: async (events) => {
      for (const event of events) {
        stages.eventsByType.set(event.type, (stages.eventsByType.get(event.type) ?? 0) + 1);
        const at = event.recordedAt.getTime();
        stages.lastRecordedAt = Math.max(stages.lastRecordedAt, at);
        const stage = tracked[event.type as keyof typeof tracked];
        if (stage === undefined || !event.streamId.startsWith('lead-')) continue;
        const leadId = event.streamId.slice('lead-'.length);
        if (!stages[stage].has(leadId)) stages[stage].set(leadId, at);
      }
    },
  });

  const targets = new Set<number>();
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      const result = await options.pool
        .query<{ count: number }>('SELECT count(*)::int AS count FROM leads WHERE tenant_id = $1', [options.tenantId])
        .catch(() => undefined);
      const now = Date.now();
      if (result !== undefined) {
        stages.visible = result.rows[0]?.count ?? 0;
        for (const target of targets) {
          if (stages.visible >= target && !stages.visibleReached.has(target)) stages.visibleReached.set(target, now);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, options.visiblePollMs));
    }
  };
  const polling = poll();

  return {
    stages,
    visibleAt: (count) => stages.visibleReached.get(count),
    watchVisible: (count) => {
      targets.add(count);
      if (stages.visible >= count && !stages.visibleReached.has(count)) stages.visibleReached.set(count, Date.now());
    },
    stop: async () => {
      stopped = true;
      await subscription.stop();
      await subscription.done.catch(() => undefined);
      await polling;
    },
  };
}
