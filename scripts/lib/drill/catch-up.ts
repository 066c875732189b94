// How far each stage of the platform is behind the leads the API accepted. Faults are injected only
// once the platform has caught up, and the reconciliation waits for it, so that a lead still on its way
// is never counted as lost.
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';

export type StageCounts = {
  events: number;
  timeline: number;
  assigned: number;
  projected: number;
  scored: number;
  routed: number;
  attributed: number;
};

/** Leads (or, for `assigned`, strong leads) each stage has yet to reach. */
export type Behind = { scored: number; assigned: number; projected: number; routed: number; attributed: number };

export async function readStageCounts(pool: pg.Pool, tenantId: string): Promise<StageCounts | undefined> {
  return pool
    .query<StageCounts>(
      `SELECT (SELECT count(*) FROM events WHERE stream_id LIKE 'lead-%' AND metadata->>'tenantId' = $1)::int AS events,
              (SELECT count(*) FROM events WHERE type = 'LeadAssigned' AND metadata->>'tenantId' = $1)::int AS assigned,
              (SELECT count(*) FROM lead_timeline WHERE tenant_id = $1)::int AS timeline,
              (SELECT count(*) FROM leads WHERE tenant_id = $1)::int AS projected,
              (SELECT count(*) FROM scoring_leads WHERE tenant_id = $1 AND last_score IS NOT NULL)::int AS scored,
              (SELECT count(*) FROM routing_leads WHERE tenant_id = $1)::int AS routed,
              (SELECT count(*) FROM attribution_touchpoints WHERE tenant_id = $1)::int AS attributed`,
      [tenantId],
    )
    .then(
      (result) => result.rows[0],
      // While PostgreSQL connections are being ended the question can fail; the caller asks again.
      () => undefined,
    );
}

export function behind(counts: StageCounts, expected: { leads: number; strong: number }): Behind {
  const gap = (count: number, of: number) => Math.max(0, of - count);
  return {
    scored: gap(counts.scored, expected.leads),
    assigned: gap(counts.assigned, expected.strong),
    projected: gap(counts.projected, expected.leads),
    routed: gap(counts.routed, expected.leads),
    attributed: gap(counts.attributed, expected.leads),
  };
}

export function describeBehind(lag: Behind): string {
  const stages = Object.entries(lag).filter(([, count]) => count > 0);
  return stages.length === 0
    ? 'caught up'
    : `behind: ${stages.map(([stage, count]) => `${stage} ${count}`).join(', ')}`;
}

/**
 * Waits until every stage has reached `expected`, and (with `wholeTimeline`) the timeline holds every
 * stored event, then `quietMs` more so late duplicates show. Gives up after `maxMs`, or after `stallMs`
 * in which no count moved.
 */
export async function waitUntilCaughtUp(options: {
  pool: pg.Pool;
  tenantId: string;
  expected: { leads: number; strong: number };
  maxMs: number;
  stallMs?: number;
  quietMs?: number;
  wholeTimeline?: boolean;
  onProgress?: (lag: Behind, counts: StageCounts) => void;
}): Promise<{ ms: number; complete: boolean; lag?: Behind }> {
  const begin = Date.now();
  let last = '';
  let lastChange = Date.now();
  let lastReport = 0;
  let lag: Behind | undefined;
  while (Date.now() - begin < options.maxMs) {
    const counts = await readStageCounts(options.pool, options.tenantId);
    if (counts !== undefined) {
      lag = behind(counts, options.expected);
      const fingerprint = JSON.stringify(counts);
      if (fingerprint !== last) {
        last = fingerprint;
        lastChange = Date.now();
      }
      const complete =
        Object.values(lag).every((count) => count === 0) &&
        (!options.wholeTimeline || counts.timeline === counts.events);
      if (complete && Date.now() - lastChange >= (options.quietMs ?? 0)) {
        return { ms: Date.now() - begin, complete: true, lag };
      }
      if (options.stallMs !== undefined && Date.now() - lastChange >= options.stallMs) break;
      if (Date.now() - lastReport >= 5_000) {
        lastReport = Date.now();
        options.onProgress?.(lag, counts);
      }
    }
    await delay(1_000);
  }
  return { ms: Date.now() - begin, complete: false, ...(lag === undefined ? {} : { lag }) };
}
