// The drill's findings as a table per fault, the reconciliation behind it, and the files it leaves in
// bench-results/drill/ (JSON for machines, Markdown for people; each run replaces the last).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeResult } from './progress-probe.ts';
import type { Anomaly, Reconciliation } from './reconcile.ts';
import type { UnplannedExit } from '../platform/service-supervisor.ts';
import { markdownTable, plainTable } from '../text-table.ts';

export type FaultResult = {
  fault: string;
  startedAt: number;
  /** How long injecting took (a broker restart is a stop and a start). */
  injectedAfterMs: number;
  /** Until every service answered /ready again, or undefined when some never did in time. */
  readyAfterMs?: number;
  /** Until a lead sent at the fault went all the way through, or undefined when it did not in time. */
  progressAfterMs?: number;
  probe: ProbeResult;
  /** Services that answered /ready with something else than 200 while the fault lasted. */
  unready: string[];
  notes: string[];
};

export type DrillResult = {
  runId: string;
  startedAt: string;
  settings: Record<string, unknown>;
  code: { commit: string; uncommittedFiles: number };
  /** The window before the first fault, and what a lead takes end to end without one. */
  baseline: FaultResult;
  faults: FaultResult[];
  /** Faults not run because the time budget was spent. */
  skipped: string[];
  drainMs: number;
  drainComplete: boolean;
  load: Record<string, unknown>;
  unplannedExits: UnplannedExit[];
  reconciliation: Reconciliation;
};

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** The bigger of ready and progress: the fault is over only when both are back. */
export function recoveredAfter(result: FaultResult): number | undefined {
  if (result.readyAfterMs === undefined || result.progressAfterMs === undefined) return undefined;
  return Math.max(result.readyAfterMs, result.progressAfterMs);
}

/** Anomalies grouped by where they are seen ("event store", "projections"…), e.g. `3 (Kafka 2, scoring 1)`. */
function describe(anomalies: readonly Anomaly[]): string {
  if (anomalies.length === 0) return '0';
  const byPlace = new Map<string, number>();
  for (const anomaly of anomalies) {
    const place = anomaly.check.split(':')[0]?.split(' ').slice(0, 2).join(' ') ?? anomaly.check;
    byPlace.set(place, (byPlace.get(place) ?? 0) + anomaly.extra);
  }
  const total = [...byPlace.values()].reduce((sum, count) => sum + count, 0);
  return `${total} (${[...byPlace].map(([place, count]) => `${place} ${count}`).join(', ')})`;
}

/** Exits counted by service and how, e.g. `routing ×3 (code 1), relay (SIGSEGV)`. */
function describeExits(exits: readonly UnplannedExit[]): string {
  const counts = new Map<string, { service: string; how: string; count: number }>();
  for (const exit of exits) {
    const key = JSON.stringify([exit.service, exit.how]);
    const seen = counts.get(key) ?? { service: exit.service, how: exit.how, count: 0 };
    counts.set(key, { ...seen, count: seen.count + 1 });
  }
  return [...counts.values()]
    .map(({ service, how, count }) => `${service}${count > 1 ? ` ×${count}` : ''} (${how})`)
    .join(', ');
}

/** Each anomaly and unplanned exit goes to the window it happened in: from one fault's start to the next one's. */
function windows(result: DrillResult): Array<{ row: FaultResult; anomalies: Anomaly[]; exits: UnplannedExit[] }> {
  const rows = [result.baseline, ...result.faults];
  return rows.map((row, index) => {
    const from = index === 0 ? Number.NEGATIVE_INFINITY : row.startedAt;
    const next = rows[index + 1];
    const to = next === undefined ? Number.POSITIVE_INFINITY : next.startedAt;
    return {
      row,
      anomalies: result.reconciliation.anomalies.filter((anomaly) => anomaly.at >= from && anomaly.at < to),
      exits: result.unplannedExits.filter((exit) => exit.at >= from && exit.at < to),
    };
  });
}

export function faultTable(result: DrillResult): string[][] {
  const header = [
    'Fault',
    'Recovered after',
    'Ready after',
    'Lead through after',
    // Without a complete drain a missing effect may only be late.
    result.drainComplete ? 'Lost effects' : 'Missing effects (lost, or late: not caught up)',
    'Duplicated effects',
    'Notes',
  ];
  const body = windows(result).map(({ row, anomalies, exits }) => {
    const notes = [
      ...(row.injectedAfterMs >= 1_000 ? [`injecting took ${seconds(row.injectedAfterMs)}`] : []),
      ...row.notes,
      ...(row.probe.missing.length > 0 ? [`probe lead never ${row.probe.missing.join(', ')}`] : []),
      ...(row.unready.length > 0 ? [`unready: ${row.unready.join(', ')}`] : []),
      ...(exits.length > 0 ? [`exited by itself: ${describeExits(exits)}`] : []),
    ];
    const unexpected = anomalies.filter((anomaly) => anomaly.kind === 'unexpected');
    if (unexpected.length > 0) notes.push(`unexpected: ${describe(unexpected)}`);
    return [
      row.fault,
      row === result.baseline
        ? '—'
        : recoveredAfter(row) === undefined
          ? 'not recovered'
          : seconds(recoveredAfter(row)),
      seconds(row.readyAfterMs),
      seconds(row.progressAfterMs),
      describe(anomalies.filter((anomaly) => anomaly.kind === 'lost')),
      describe(anomalies.filter((anomaly) => anomaly.kind === 'duplicated')),
      notes.join('; '),
    ];
  });
  const timeless = result.reconciliation.anomalies.filter((anomaly) => Number.isNaN(anomaly.at));
  if (timeless.length > 0) {
    const unexpected = timeless.filter((anomaly) => anomaly.kind === 'unexpected');
    body.push([
      '(whole run, no time to place it)',
      '—',
      '—',
      '—',
      describe(timeless.filter((anomaly) => anomaly.kind === 'lost')),
      describe(timeless.filter((anomaly) => anomaly.kind === 'duplicated')),
      unexpected.length > 0 ? `unexpected: ${describe(unexpected)}` : '',
    ]);
  }
  return [header, ...body];
}

function checksTable(result: DrillResult): string[][] {
  return [
    ['Check', 'Expected', 'Found', 'Lost', 'Duplicated', 'Unexpected', 'Note'],
    ...result.reconciliation.checks.map((check) => [
      check.check,
      String(check.expected),
      String(check.found),
      String(check.lost),
      String(check.duplicated),
      String(check.unexpected),
      check.note ?? '',
    ]),
  ];
}

function poisonTable(result: DrillResult): string[][] {
  return [
    ['Intake message', 'Sent', 'Expected (each)', 'Dead-lettered', 'Captured as a lead'],
    ...result.reconciliation.poison.map((outcome) => [
      outcome.kind,
      String(outcome.sent),
      outcome.expected,
      String(outcome.deadLettered),
      String(outcome.captured),
    ]),
  ];
}

function deadLetterTable(result: DrillResult): string[][] {
  return [
    ['Dead-letter topic', 'Messages', 'Reasons (first few)'],
    ...result.reconciliation.deadLetters.map((topic) => [
      topic.topic,
      String(topic.messages),
      topic.reasons.join(' | '),
    ]),
  ];
}

function summaryLines(result: DrillResult): string[] {
  const { reconciliation } = result;
  return [
    `Run ${result.runId}, started ${result.startedAt}; settings ${JSON.stringify(result.settings)}`,
    `Code: commit ${result.code.commit} with ${result.code.uncommittedFiles} uncommitted files under services/ and packages/, run from a copy taken at the start`,
    `Load: ${JSON.stringify(result.load)}`,
    ...(result.skipped.length > 0 ? [`Faults not run (time budget spent): ${result.skipped.join(', ')}`] : []),
    `Drain after the load stopped: ${seconds(result.drainMs)}${result.drainComplete ? '' : ' (stopped waiting: the read models did not catch up)'}`,
    `Leads captured for the tenant that the API never answered for: ${reconciliation.unacknowledgedCaptures}`,
    `Services that exited by themselves: ${result.unplannedExits.length === 0 ? 'none' : describeExits(result.unplannedExits)}`,
  ];
}

export function printReport(result: DrillResult, log: (text: string) => void): void {
  log('');
  log(plainTable(faultTable(result)));
  log('');
  log(plainTable(checksTable(result)));
  log('');
  log(plainTable(poisonTable(result)));
  log('');
  log(plainTable(deadLetterTable(result)));
  log('');
  for (const line of summaryLines(result)) log(line);
}

export async function writeReport(result: DrillResult, directory: string): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const markdown = [
    '# Fault drill',
    '',
    'Lost and duplicated effects are counted in the window they belong to: a missing effect in the window its lead was',
    'accepted in, an extra copy in the window it appeared in (Kafka: when the second copy was produced). "Recovered after"',
    'is the later of "ready after" (every service answers /ready) and "lead through after" (a lead sent at the fault is',
    'scored, assigned, projected and attributed).',
    '',
    markdownTable(faultTable(result)),
    '',
    '## Reconciliation',
    '',
    markdownTable(checksTable(result)),
    '',
    '## Poison on the intake topic',
    '',
    markdownTable(poisonTable(result)),
    '',
    markdownTable(deadLetterTable(result)),
    '',
    ...summaryLines(result).map((line) => `- ${line}`),
    '',
  ].join('\n');
  const files = [join(directory, 'latest.json'), join(directory, 'latest.md')];
  // A badly broken run can have thousands of anomalies; the first ones show the pattern.
  const anomalies = result.reconciliation.anomalies;
  const kept = {
    ...result,
    reconciliation: { ...result.reconciliation, anomalies: anomalies.slice(0, 500), anomalyCount: anomalies.length },
  };
  await writeFile(files[0] ?? '', `${JSON.stringify(kept, null, 2)}\n`);
  await writeFile(files[1] ?? '', markdown);
  return files;
}
