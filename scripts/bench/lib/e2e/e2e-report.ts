// The end-to-end benchmark's one table, printed and written to bench-results/e2e/latest.{json,md}
// (JSON for machines, Markdown for people; each run replaces the last).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UnplannedExit } from '../../../lib/platform/service-supervisor.ts';
import { markdownTable, plainTable } from '../../../lib/text-table.ts';
import type { AppendCeiling, BusCeiling } from './ceilings.ts';
import type { ProcessFigures } from './process-sampler.ts';

/** How far a stage got and, once every lead reached it, how fast: from the first send to the last lead. */
export type StageFigure = { reached: number; of: number; seconds?: number; perSecond?: number };

export type Percentiles = { samples: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number };

export type E2eResult = {
  runId: string;
  startedAt: string;
  command: string;
  settings: Record<string, unknown>;
  machine: { cores: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  code: { commit: string; uncommittedFiles: number };
  ceilings: { append: AppendCeiling; bus: BusCeiling };
  throughput: {
    offered: number;
    accepted: number;
    /** Leads built to qualify, and the LeadQualified events seen for this phase's leads. */
    mqlsExpected: number;
    mqlsQualified: number;
    acceptance: { seconds: number; perSecond: number };
    scored: StageFigure;
    assigned: StageFigure;
    visible: StageFigure;
    /** Every event the store holds once the phase settled, by type; per second over the phase's window. */
    events: { total: number; byType: Record<string, number>; perLead: number; perSecond?: number };
    /** CPU seconds each process used from the first send until the phase settled. */
    cpuSeconds: Record<string, number>;
  };
  fixedRate: {
    offeredPerSecond: number;
    seconds: number;
    offered: number;
    accepted: number;
    acceptedPerSecond: number;
    mqls: number;
    assignedLatency?: Percentiles;
    scoredLatency?: Percentiles;
    /** MQLs of the phase not assigned when the benchmark stopped waiting. */
    unassigned: number;
  };
  processes: ProcessFigures[];
  unplannedExits: UnplannedExit[];
  failedRequests: number;
};

const integer = (value: number) => Math.round(value).toLocaleString('en');
const rate = (value: number | undefined, unit: string) => (value === undefined ? 'n/a' : `${integer(value)} ${unit}/s`);
const share = (value: number | undefined, ceiling: number) =>
  value === undefined ? '–' : `${((100 * value) / ceiling).toFixed(value / ceiling < 0.1 ? 1 : 0)} %`;
const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${integer(value)} ms`);

function stageValue(stage: StageFigure, unit: string): string {
  if (stage.perSecond === undefined) return `incomplete: ${integer(stage.reached)} of ${integer(stage.of)}`;
  return `${rate(stage.perSecond, unit)} (${integer(stage.of)} in ${stage.seconds?.toFixed(1)} s)`;
}

function latencyValue(latency: Percentiles | undefined): string {
  if (latency === undefined) return 'n/a';
  return `p50 ${ms(latency.p50Ms)} · p95 ${ms(latency.p95Ms)} · p99 ${ms(latency.p99Ms)} (${integer(latency.samples)} leads)`;
}

/** The rows of the one table: figure, value, the ceiling it is compared with, and its share. */
export function tableRows(result: E2eResult): string[][] {
  const { append, bus } = result.ceilings;
  const { throughput: run, fixedRate: fixed } = result;
  const pg = `PG appends ${rate(append.eventsPerSecond, 'events')}`;
  const kafka = `bus produce+consume ${rate(bus.throughPerSecond, 'msgs')}`;
  const rows: string[][] = [
    [
      `Acceptance, POST /v1/leads/batch (${integer(run.accepted)} leads)`,
      `${rate(run.acceptance.perSecond, 'leads')}`,
      pg,
      share(run.acceptance.perSecond, append.eventsPerSecond),
    ],
    [
      'Captured → scored (every lead)',
      stageValue(run.scored, 'leads'),
      kafka,
      share(run.scored.perSecond, bus.throughPerSecond),
    ],
    [
      `Captured → assigned (the ${integer(run.assigned.of)} MQLs)`,
      stageValue(run.assigned, 'MQLs'),
      kafka,
      share(run.assigned.perSecond, bus.throughPerSecond),
    ],
    [
      'Captured → visible in the read model (`leads`)',
      stageValue(run.visible, 'leads'),
      kafka,
      share(run.visible.perSecond, bus.throughPerSecond),
    ],
    [
      `Event store writes while it ran (${run.events.perLead.toFixed(2)} events per lead)`,
      rate(run.events.perSecond, 'events'),
      pg,
      share(run.events.perSecond, append.eventsPerSecond),
    ],
    [
      `Latency capture → assigned at ${integer(fixed.offeredPerSecond)} leads/s offered for ${fixed.seconds} s`,
      latencyValue(fixed.assignedLatency) + (fixed.unassigned > 0 ? `; ${integer(fixed.unassigned)} not assigned` : ''),
      '–',
      '–',
    ],
    ['Latency capture → scored, same phase', latencyValue(fixed.scoredLatency), '–', '–'],
    [
      'Acceptance in the fixed-rate phase',
      `${rate(fixed.acceptedPerSecond, 'leads')} of ${integer(fixed.offeredPerSecond)} offered`,
      '–',
      '–',
    ],
    [
      `Ceiling: appendToStreams, ${append.eventsPerTransaction} events per transaction, ${append.writers} writers`,
      rate(append.eventsPerSecond, 'events'),
      '',
      '',
    ],
    [
      `Ceiling: bus produce, acks=all, ${bus.publishCallSize} per call, ${bus.partitions} partitions`,
      rate(bus.producedPerSecond, 'msgs'),
      '',
      '',
    ],
    ['Ceiling: bus produce + consume (runConsumer, one member)', rate(bus.throughPerSecond, 'msgs'), '', ''],
  ];
  for (const process of result.processes) {
    const cpu = run.cpuSeconds[process.name];
    const rss = process.peakRssMiB === undefined ? 'not read' : `${integer(process.peakRssMiB)} MiB`;
    rows.push([
      `Peak RSS, CPU in the throughput phase: ${process.name}`,
      cpu === undefined ? rss : `${rss}, ${cpu.toFixed(1)} s CPU`,
      '',
      '',
    ]);
  }
  return rows;
}

const header = ['Figure', 'Value', 'Compared with', 'Share'];

export function printTable(result: E2eResult, print: (line: string) => void): void {
  print('');
  print(plainTable([header, ...tableRows(result)]));
  print('');
  for (const note of notes(result)) print(note);
}

function notes(result: E2eResult): string[] {
  const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' / ');
  const endToEnd = result.throughput.scored.perSecond;
  const backlog =
    endToEnd !== undefined && result.fixedRate.offeredPerSecond > endToEnd
      ? [
          `The fixed rate (${integer(result.fixedRate.offeredPerSecond)} leads/s) is above what the platform scored end to end ` +
            `(${integer(endToEnd)} leads/s): a backlog grows through that phase, so its latencies are mostly queueing and grow ` +
            `with --seconds; a --rate below ${integer(endToEnd)} shows the steady state.`,
        ]
      : [];
  return [
    ...backlog,
    `Machine: ${result.machine.cores} cores, load average (1/5/15 min) ${load(result.machine.loadAverageAtStart)} at the start and ` +
      `${load(result.machine.loadAverageAtEnd)} at the end; the benchmark shares it with whatever else runs (other test suites).`,
    'Share: the platform figure over the ceiling, one event (PostgreSQL) or one message (Kafka) per lead; a lead costs the ' +
      'store the events per lead shown, and each of its events is published once and read by every consumer group.',
    `Code: commit ${result.code.commit}, ${result.code.uncommittedFiles} uncommitted files under services/ and packages/ at the start.`,
    `Services that exited by themselves: ${
      result.unplannedExits.length === 0
        ? 'none'
        : result.unplannedExits.map((exit) => `${exit.service} (${exit.how})`).join(', ')
    }; failed HTTP attempts (retried): ${result.failedRequests}.`,
  ];
}

function markdown(result: E2eResult): string {
  return [
    '# End-to-end benchmark',
    '',
    `Run ${result.runId}, started ${result.startedAt}: \`${result.command}\``,
    '',
    markdownTable([header, ...tableRows(result)]),
    '',
    ...notes(result).map((note) => `- ${note}`),
    `- Events stored in the throughput phase: ${Object.entries(result.throughput.events.byType)
      .map(([type, count]) => `${type} ${integer(count)}`)
      .join(', ')}.`,
    `- MQLs: ${integer(result.throughput.mqlsExpected)} built to qualify, ${integer(result.throughput.mqlsQualified)} qualified.`,
    `- Settings: \`${JSON.stringify(result.settings)}\``,
    '',
  ].join('\n');
}

export async function writeReport(result: E2eResult, directory: string): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const files = [join(directory, 'latest.json'), join(directory, 'latest.md')];
  await writeFile(files[0] ?? '', `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(files[1] ?? '', markdown(result));
  return files;
}
