// Turns what the stage watcher saw into a phase's figures: how many of its leads reached each stage,
// when the last one did, the rate from the first send, and per-lead latencies.
import { setTimeout as delay } from 'node:timers/promises';
import type { AcceptedLead } from '../../../lib/platform/lead-ledger.ts';
import { percentile } from '../measure.ts';
import type { Percentiles, StageFigure } from './e2e-report.ts';
import type { ProcessFigures } from './process-sampler.ts';
import type { LeadStages } from './stage-watcher.ts';

export type PhaseStages = {
  leads: number;
  scored: number;
  qualified: number;
  assigned: number;
  /** Epoch ms of the last lead's stage event, 0 when none reached it. */
  lastScoredAt: number;
  lastAssignedAt: number;
  /** Every lead scored, so the qualified ones are known, and each of those assigned. */
  settled: boolean;
};

/** Where the leads of one phase are: which reached which stage, and when the last of each did. */
export function phaseStages(leads: readonly AcceptedLead[], stages: LeadStages): PhaseStages {
  const { scored, qualified, assigned } = stages;
  const latest = (times: Map<string, number>, ids: readonly string[]) =>
    ids.reduce((max, id) => Math.max(max, times.get(id) ?? 0), 0);
  const ids = leads.map((lead) => lead.leadId);
  const scoredIds = ids.filter((id) => scored.has(id));
  const qualifiedIds = ids.filter((id) => qualified.has(id));
  const assignedIds = qualifiedIds.filter((id) => assigned.has(id));
  return {
    leads: ids.length,
    scored: scoredIds.length,
    qualified: qualifiedIds.length,
    assigned: assignedIds.length,
    lastScoredAt: latest(scored, scoredIds),
    lastAssignedAt: latest(assigned, assignedIds),
    settled: scoredIds.length === ids.length && assignedIds.length === qualifiedIds.length,
  };
}

/** A stage's rate from the first send to the last lead, once all `of` reached it. */
export function stageFigure(reached: number, of: number, firstSendAt: number, lastAt: number): StageFigure {
  if (reached < of || of === 0) return { reached, of };
  const seconds = (lastAt - firstSendAt) / 1000;
  return { reached, of, seconds, perSecond: of / seconds };
}

/** Milliseconds from each lead's HTTP answer to the time it reached a stage, for those that did. */
export function sinceAcceptance(leads: readonly AcceptedLead[], reachedAt: Map<string, number>): number[] {
  return leads.flatMap((lead) => {
    const at = reachedAt.get(lead.leadId);
    return at === undefined ? [] : [at - lead.acceptedAt];
  });
}

export function percentiles(samples: number[]): Percentiles | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

/** CPU seconds each process used between two samples. */
export function cpuBetween(before: ProcessFigures[], after: ProcessFigures[]): Record<string, number> {
  return Object.fromEntries(
    after.map((figures) => {
      const earlier = before.find((other) => other.name === figures.name)?.cpuSeconds ?? 0;
      return [figures.name, Math.round((figures.cpuSeconds - earlier) * 10) / 10];
    }),
  );
}

/**
 * Checks every second until the phase is done, logging its description every 5 s; gives up when the
 * description stayed the same for `stallMs` (nothing moved) or after `maxMs`. Resolves whether the
 * phase settled. Once a second is enough: the stage times come from the events, not from this loop,
 * and the benchmark shares the CPU with what it measures.
 */
export async function waitForPhase(options: {
  label: string;
  check: () => { done: boolean; description: string };
  stallMs: number;
  maxMs: number;
  log: (message: string) => void;
}): Promise<boolean> {
  const { label, log } = options;
  const begin = Date.now();
  let last = '';
  let lastChange = Date.now();
  let lastPrint = Date.now();
  while (Date.now() - begin < options.maxMs) {
    const { done, description } = options.check();
    if (done) return true;
    if (description !== last) {
      last = description;
      lastChange = Date.now();
    }
    if (Date.now() - lastChange > options.stallMs) {
      log(`${label}: nothing moved for ${options.stallMs / 1000} s; measuring what arrived (${description})`);
      return false;
    }
    if (Date.now() - lastPrint >= 5_000) {
      lastPrint = Date.now();
      log(`${label}: ${description}`);
    }
    await delay(1_000);
  }
  log(`${label}: not settled within ${options.maxMs / 1000} s`);
  return false;
}
