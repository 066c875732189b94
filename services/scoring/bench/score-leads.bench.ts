// Scoring benchmark on the real PostgreSQL, on the batch path the lead events consumer takes: N captured
// leads (each with 0–3 activities) are appended to the event store, their events spread over partitions by
// lead id as the relay publishes them, and each partition's events handed to the consumer kit's
// `handleBatch` in batches of --batch CloudEvents, --concurrency partitions side by side (as the bus
// consumes partitions concurrently). Each batch applies its events, scores each lead once and appends the
// scores (readStreams + appendToStreams) after its commit. Prints events/s, leads/s captured → scored,
// p50/p99 per batch, how many leads became MQLs, peak memory, and the rate of the pure `scoreLead` on the
// same leads without a model and with one learned from closed leads.
//   node services/scoring/bench/score-leads.bench.ts [--leads 20000] [--batch 500] [--partitions 6] [--concurrency 2] [--pool 10]
//   scripts/benchmark scoring [--leads 20000]
// Uses DATABASE_URL (default: the `test` database) and drops its throw-away schema afterwards.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { leadActivityTypes, leadChannels, streamIdFor, toCloudEvent } from '@l2o/contracts';
import type { CloudEvent, LeadCapturedV1, LeadTouchpoint } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { Lead, LeadCommand } from '@l2o/domain';
import { createPostgresEventStore, migrateEventStore, toNewEvents } from '@l2o/event-store';
import type { StreamAppend } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import type pg from 'pg';
import { freshSchema } from '@l2o/testing';
import { latencySummary, perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import { consumePartitions, partitioned } from '../../../scripts/bench/lib/partition-batches.ts';
import { createLeadEventsConsumer } from '../src/lead-events/lead-events-consumer.ts';
import { migrateScoring } from '../src/migrate-scoring.ts';
import { defaultScoringRuleSet, emptyModel, featuresOf, learn, scoreLead } from '../src/model/index.ts';
import type { NaiveBayesModel, ScoringActivity, ScoringInput, ScoringProfile } from '../src/model/index.ts';
import { noScoringMetrics } from '../src/scoring-metrics.ts';

const { values } = parseArgs({
  options: {
    leads: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '500' },
    partitions: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '2' },
    pool: { type: 'string', default: '10' },
  },
});
const totalLeads = Number(values.leads);
const batchSize = Number(values.batch);
const partitionCount = Number(values.partitions);
const concurrency = Number(values.concurrency);
const poolSize = Number(values.pool);
const isCount = (value: number, min: number) => Number.isInteger(value) && value >= min;
if (
  !isCount(totalLeads, 100) ||
  !isCount(batchSize, 1) ||
  !isCount(partitionCount, 1) ||
  !isCount(concurrency, 1) ||
  !isCount(poolSize, concurrency * 2)
) {
  console.error(
    'usage: scripts/benchmark scoring [--leads N ≥ 100] [--batch N ≥ 1] [--partitions N ≥ 1] [--concurrency N ≥ 1] [--pool N ≥ 2·concurrency]',
  );
  process.exit(2);
}

const tenantId = 'bench';
// A fixed clock: activities fall in the two weeks before it, so engagement decays the same on every run.
const now = new Date('2025-06-02T12:00:00.000Z');
const rescoreIntervalMs = 3_600_000;
const appendBatch = 200;

const jobTitles = ['CEO', 'VP Sales', 'Director of Marketing', 'IT Manager', 'Software Engineer', 'Analyst'];
const industries = ['Software', 'Banking', 'Healthcare', 'Retail', 'Manufacturing'];
const countries = ['US', 'GB', 'DE', 'FR', 'JP', 'BR', 'IN'];
const sizes = [12, 80, 250, 600, 1500, 8000];
const channels = leadChannels.filter((channel) => channel !== 'other');

// Lead i's profile and activities derive from i alone, so every run scores the same leads.
function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

function commandsFor(index: number): LeadCommand[] {
  const leadId = randomUUID();
  const mix = (index * 2654435761) >>> 0;
  const freeMail = mix % 10 === 0;
  const data: Omit<LeadCapturedV1, 'capturedAt' | 'captureId'> = {
    leadId,
    tenantId,
    contact: {
      email: freeMail ? `person.${index}@gmail.com` : `person.${index}@company-${index % 4999}.example`,
      jobTitle: pick(jobTitles, mix >>> 3),
    },
    company: {
      name: `Company ${index % 4999}`,
      industry: pick(industries, mix >>> 7),
      size: pick(sizes, mix >>> 11),
      country: pick(countries, mix >>> 15),
    },
    ...(mix % 7 === 0 ? { customFields: { budget: 50_000 } } : {}),
    touchpoint: {
      channel: pick(channels, mix >>> 19),
      occurredAt: new Date(now.getTime() - 15 * 86_400_000).toISOString(),
    },
  };
  const capture: LeadCommand = { type: 'CaptureLead', data, metadata: { now } };
  const activities = (mix >>> 23) % 4;
  return [
    capture,
    ...Array.from({ length: activities }, (_, n): LeadCommand => {
      const occurredAt = new Date(now.getTime() - ((mix >>> n) % 14) * 86_400_000 - n * 60_000);
      return {
        type: 'RecordActivity',
        data: {
          leadId,
          tenantId,
          activity: { type: pick(leadActivityTypes, (mix >>> (n * 3)) + n), occurredAt: occurredAt.toISOString() },
        },
        metadata: { now },
      };
    }),
  ];
}

/** A new lead's stream as ingestion writes it: the Lead decider's events for each command in turn. */
function streamOf(commands: LeadCommand[]): StreamAppend {
  let state: Lead = leadDecider.initialState();
  const events = commands.flatMap((command) => {
    const decided = leadDecider.decide(command, state);
    state = decided.reduce(leadDecider.evolve, state);
    return decided;
  });
  const leadId = commands[0]?.data.leadId ?? '';
  return {
    streamId: streamIdFor('lead', leadId),
    events: toNewEvents({ events, metadata: { tenantId, producer: 'ingestion' } }),
    expectedVersion: 'no_stream',
  };
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/**
 * CPU milliseconds used so far by each PostgreSQL backend of the benchmark's pool, by pid; `undefined`
 * when the server does not run on this machine. On a shared machine, CPU per lead says more than a rate.
 */
async function backendCpuMs(pool: pg.Pool): Promise<Map<number, number> | undefined> {
  const backends = await pool.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'scoring-bench'",
  );
  const used = new Map<number, number>();
  try {
    for (const { pid } of backends.rows) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      used.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks);
    }
  } catch {
    return undefined;
  }
  return used;
}

const database = await freshSchema('benchscoring');
const memory = trackPeakMemory();
const { databaseUrl, schema } = database;
try {
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateScoring] });
  const pool = createPool({
    connectionString: databaseUrl,
    schema,
    max: poolSize,
    applicationName: 'scoring-bench',
  });
  const store = createPostgresEventStore({ pool, schema });
  console.log(
    `scoring benchmark: ${totalLeads.toLocaleString('en')} leads, batches of ${batchSize} events, ` +
      `${partitionCount} partitions, ${concurrency} consumed side by side, pool ${poolSize}`,
  );

  const streamIds: string[] = [];
  const fill = progress('appending lead streams', totalLeads);
  for (let first = 0; first < totalLeads; first += appendBatch) {
    const count = Math.min(appendBatch, totalLeads - first);
    const appends = Array.from({ length: count }, (_, n) => streamOf(commandsFor(first + n)));
    await store.appendToStreams(appends);
    streamIds.push(...appends.map((append) => append.streamId));
    fill(first + count);
  }

  // The stored events as the relay publishes them: by lead id to a partition, each partition in the
  // order of the appends. Read with readStreams, not from the feed: another session's open transaction
  // would hold the feed's head back.
  const events: CloudEvent[] = [];
  for (let first = 0; first < streamIds.length; first += appendBatch) {
    const read = await store.readStreams(streamIds.slice(first, first + appendBatch).map((streamId) => ({ streamId })));
    for (const stream of read.values()) events.push(...stream.map(toCloudEvent));
  }
  const eventCount = events.length;
  console.log(`  stored ${eventCount.toLocaleString('en')} lead events (LeadCaptured + LeadActivityRecorded)`);

  const consumer = createLeadEventsConsumer({
    pool,
    store,
    clock: () => now,
    rescoreIntervalMs,
    metrics: noScoringMetrics,
  });
  const partitions = partitioned(events, { topic: 'l2o.lead.v1', partitions: partitionCount });
  const backendsBefore = await backendCpuMs(pool);
  const cpuBefore = process.cpuUsage();
  const { elapsedMs, batchLatencies } = await consumePartitions({
    partitions,
    handlers: consumer,
    batchSize,
    concurrency,
    onHandled: progress('scoring', eventCount),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const backendsAfter = await backendCpuMs(pool);

  const appended = await pool.query<{ type: string; count: number; leads: number }>(
    `SELECT type, count(*)::int AS count, count(DISTINCT stream_id)::int AS leads FROM events
     WHERE type IN ('LeadScored', 'LeadQualified') GROUP BY type`,
  );
  const row = (type: string) => appended.rows.find((entry) => entry.type === type);
  const scoredLeads = row('LeadScored')?.leads ?? 0;
  console.log(
    `  captured → scored: ${perSecond(scoredLeads, elapsedMs)} leads, ${perSecond(eventCount, elapsedMs)} events ` +
      `(${(elapsedMs / 1000).toFixed(1)} s, ${batchLatencies.length} batches)`,
  );
  console.log(`  per batch: ${latencySummary(batchLatencies)}`);
  const nodeCpuMs = (cpu.user + cpu.system) / 1000;
  const postgresCpuMs =
    backendsBefore === undefined || backendsAfter === undefined
      ? undefined
      : [...backendsAfter].reduce((sum, [pid, ms]) => sum + ms - (backendsBefore.get(pid) ?? 0), 0);
  console.log(
    `  CPU per lead: ${(nodeCpuMs / totalLeads).toFixed(2)} ms in this process` +
      (postgresCpuMs === undefined
        ? ' (PostgreSQL runs elsewhere)'
        : `, ${(postgresCpuMs / totalLeads).toFixed(2)} ms in PostgreSQL: ` +
          `${Math.round((2000 * totalLeads) / (nodeCpuMs + postgresCpuMs)).toLocaleString('en')} leads/s on two idle cores`),
  );
  console.log(
    `  results: LeadScored ${(row('LeadScored')?.count ?? 0).toLocaleString('en')} on ${scoredLeads.toLocaleString('en')} leads, ` +
      `MQL (LeadQualified) ${(row('LeadQualified')?.count ?? 0).toLocaleString('en')} of ${totalLeads.toLocaleString('en')} leads`,
  );
  if (scoredLeads !== totalLeads) throw new Error(`scored ${scoredLeads} leads, expected ${totalLeads}`);
  const kept = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM consumer_outbox');
  if (kept.rows[0]?.count !== 0) throw new Error(`${kept.rows[0]?.count} score requests left in the outbox`);

  // The pure model alone, on the inputs scoring folded from the same events (as it stored them).
  partitions.length = 0;
  const folded = await pool.query<{
    profile: ScoringProfile;
    first_touch: LeadTouchpoint | null;
    activities: ScoringActivity[];
  }>('SELECT profile, first_touch, activities FROM scoring_leads ORDER BY captured_at, lead_id');
  const inputs: ScoringInput[] = folded.rows.map((row) => ({
    profile: row.profile,
    ...(row.first_touch === null ? {} : { firstTouch: row.first_touch }),
    activities: row.activities,
  }));
  const ruleSet = defaultScoringRuleSet;
  // Closed outcomes for a third of the leads, so the predictive part runs too.
  const model = inputs.reduce<NaiveBayesModel>(
    (learned, input, index) =>
      index % 3 === 0
        ? learn(learned, {
            features: featuresOf(input, ruleSet.predictive.features),
            outcome: index % 9 === 0 ? 'won' : 'lost',
          })
        : learned,
    emptyModel(),
  );
  for (const [label, withModel] of [
    ['no model (a new tenant)', emptyModel()],
    [`model learned from ${(model.won + model.lost).toLocaleString('en')} outcomes`, model],
  ] as const) {
    const calls = Math.max(100_000, inputs.length * 5);
    for (let index = 0; index < 5_000; index++) {
      scoreLead({ input: inputs[index % inputs.length] as ScoringInput, ruleSet, model: withModel, now });
    }
    const pureStarted = performance.now();
    for (let index = 0; index < calls; index++) {
      scoreLead({ input: inputs[index % inputs.length] as ScoringInput, ruleSet, model: withModel, now });
    }
    console.log(`  scoreLead alone, ${label}: ${perSecond(calls, performance.now() - pureStarted)} calls`);
  }
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
  await pool.end();
} finally {
  memory.stop();
  await database.drop();
}
