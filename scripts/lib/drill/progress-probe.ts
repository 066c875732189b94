// Whether the platform makes progress: a fresh strong lead, sent after a fault, goes all the way
// through (captured, published, scored, qualified and assigned, and in the projections' and
// attribution's read models). The fault is over when that happens, not when /ready says so.
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import type { LeadLedger } from '../platform/lead-ledger.ts';

/** Milliseconds from the start of the probe until each stage, or undefined when it was not reached. */
export type ProbeResult = {
  leadId?: string;
  stages: Record<ProbeStage, number | undefined>;
  /** The stages not reached before the deadline. */
  missing: ProbeStage[];
};

export const probeStages = ['accepted', 'scored', 'assigned', 'projected', 'attributed'] as const;
export type ProbeStage = (typeof probeStages)[number];

const stageQueries: Record<Exclude<ProbeStage, 'accepted'>, string> = {
  scored: "SELECT 1 FROM events WHERE stream_id = 'lead-' || $1 AND type = 'LeadScored'",
  assigned: "SELECT 1 FROM events WHERE stream_id = 'lead-' || $1 AND type = 'LeadAssigned'",
  projected: 'SELECT 1 FROM leads WHERE lead_id = $1::uuid',
  attributed: 'SELECT 1 FROM attribution_touchpoints WHERE lead_id = $1::uuid',
};

/** Sends one strong lead at `startedAt` and waits until every stage is reached or `deadline` passes. */
export async function probeProgress(options: {
  ledger: LeadLedger;
  pool: pg.Pool;
  startedAt: number;
  deadline: number;
}): Promise<ProbeResult> {
  const { pool, startedAt, deadline } = options;
  const stages: ProbeResult['stages'] = {
    accepted: undefined,
    scored: undefined,
    assigned: undefined,
    projected: undefined,
    attributed: undefined,
  };
  const missing = () => probeStages.filter((stage) => stages[stage] === undefined);
  let leadId: string | undefined;
  while (leadId === undefined && Date.now() < deadline) {
    [leadId] = await options.ledger.post({ strong: () => true, count: 1, probe: true });
  }
  if (leadId === undefined) return { stages, missing: missing() };
  stages.accepted = Date.now() - startedAt;
  while (Date.now() < deadline) {
    for (const stage of missing()) {
      if (stage === 'accepted') continue;
      // The drill's own connection is spared by the connection fault, but a query may still fail while
      // PostgreSQL recovers; the next round asks again.
      const found = await pool.query(stageQueries[stage], [leadId]).then(
        (result) => (result.rowCount ?? 0) > 0,
        () => false,
      );
      if (found) stages[stage] = Date.now() - startedAt;
    }
    if (missing().length === 0) break;
    await delay(200);
  }
  return { leadId, stages, missing: missing() };
}
