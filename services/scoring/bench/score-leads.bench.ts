// Scoring benchmark on the real PostgreSQL: N captured leads (each with 0–3 activities) are appended
// to the event store, then every lead's events go through scoring's apply-and-score path as the lead
// events consumer calls it (CloudEvent parsed, one event at a time per lead, leads in parallel). Prints
// leads scored/s, per-event latency, how many leads became MQLs, peak memory, and the rate of the pure
// `scoreLead` on the same leads without a model and with one learned from closed leads.
//   node services/scoring/bench/score-leads.bench.ts [--leads 20000] [--concurrency 8] [--pool 20]
//   scripts/benchmark scoring [--leads 20000]
// Each lead in flight holds two connections (its row lock's transaction and the Lead's read and append),
// so --pool must exceed --concurrency; with fewer than twice as many the appends queue for connections.
// Uses DATABASE_URL (default: the `test` database) and drops its throw-away schema afterwards.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseConsumedEvent } from '@l2o/bus';
import { leadActivityTypes, leadChannels, streamIdFor, toCloudEvent } from '@l2o/contracts';
import type { CloudEvent, LeadCapturedV1 } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { Lead, LeadCommand } from '@l2o/domain';
import { createPostgresEventStore, migrateEventStore, toNewEvents } from '@l2o/event-store';
import type { StreamAppend } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { freshSchema } from '@l2o/testing';
import { latencySummary, perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import { applyLeadEventAndScore } from '../src/lead-events/apply-lead-event.ts';
import { scoredLeadEventNames } from '../src/lead-events/on-lead-event.ts';
import { migrateScoring } from '../src/migrate-scoring.ts';
import { defaultScoringRuleSet, emptyModel, featuresOf, learn, scoreLead } from '../src/model/index.ts';
import type { NaiveBayesModel, ScoringInput } from '../src/model/index.ts';
import { scoringMetadata } from '../src/score-lead/rescore-lead.ts';
import { noScoringMetrics } from '../src/scoring-metrics.ts';
import { applyLeadEvent } from '../src/scoring-leads/scoring-lead.ts';
import type { ScoringLead } from '../src/scoring-leads/scoring-lead.ts';

const { values } = parseArgs({
  options: {
    leads: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    pool: { type: 'string', default: '20' },
  },
});
const totalLeads = Number(values.leads);
const concurrency = Number(values.concurrency);
const poolSize = Number(values.pool);
if (
  !Number.isInteger(totalLeads) ||
  totalLeads < 100 ||
  !Number.isInteger(concurrency) ||
  concurrency < 1 ||
  !Number.isInteger(poolSize) ||
  poolSize <= concurrency
) {
  console.error('usage: scripts/benchmark scoring [--leads N ≥ 100] [--concurrency N ≥ 1] [--pool N > concurrency]');
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

/** Runs `work` on every item with `concurrency` in flight, each item once. */
async function forEachConcurrently<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = items[next++]; item !== undefined; item = items[next++]) await work(item);
    }),
  );
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
    `scoring benchmark: ${totalLeads.toLocaleString('en')} leads, ${concurrency} leads in flight, pool ${poolSize}`,
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

  // Each lead's events as the relay publishes them, in stream order as one partition delivers them. Read
  // stream by stream, not from the feed: an open transaction of another session holds the feed's head back.
  const leads: CloudEvent[][] = [];
  await forEachConcurrently(streamIds, async (streamId) => {
    leads.push((await store.readStream(streamId)).map(toCloudEvent));
  });
  const eventCount = leads.reduce((sum, events) => sum + events.length, 0);
  console.log(`  stored ${eventCount.toLocaleString('en')} lead events (LeadCaptured + LeadActivityRecorded)`);

  const latencies: number[] = [];
  const results = { scored: 0, applied: 0, skipped: 0 };
  const show = progress('scoring', leads.length);
  let done = 0;
  const started = performance.now();
  await forEachConcurrently(leads, async (events) => {
    for (const cloudEvent of events) {
      const before = performance.now();
      const result = await applyLeadEventAndScore({
        pool,
        store,
        event: parseConsumedEvent(cloudEvent, scoredLeadEventNames),
        version: cloudEvent.streamversion,
        metadata: scoringMetadata({ tenantId, correlationId: cloudEvent.id, causationId: cloudEvent.id }),
        now,
        rescoreIntervalMs,
        metrics: noScoringMetrics,
      });
      latencies.push(performance.now() - before);
      results[result] += 1;
    }
    show(++done);
  });
  const elapsedMs = performance.now() - started;

  const appended = await pool.query<{ type: string; count: number }>(
    `SELECT type, count(*)::int AS count FROM events WHERE type IN ('LeadScored', 'LeadQualified') GROUP BY type`,
  );
  const countOf = (type: string) => appended.rows.find((row) => row.type === type)?.count ?? 0;
  console.log(
    `  apply and score: ${perSecond(done, elapsedMs)} leads, ${perSecond(eventCount, elapsedMs)} events ` +
      `(${(elapsedMs / 1000).toFixed(1)} s)`,
  );
  console.log(`  per event: ${latencySummary(latencies)}`);
  console.log(
    `  results: scored ${results.scored.toLocaleString('en')}, applied ${results.applied}, skipped ${results.skipped}; ` +
      `LeadScored ${countOf('LeadScored').toLocaleString('en')}, ` +
      `MQL (LeadQualified) ${countOf('LeadQualified').toLocaleString('en')} of ${done.toLocaleString('en')} leads`,
  );
  if (results.scored !== eventCount) throw new Error(`scored ${results.scored} events, expected ${eventCount}`);

  // The pure model alone, on the inputs scoring folded from the same events.
  const inputs: ScoringInput[] = leads.map((events) => {
    let lead: ScoringLead | undefined;
    for (const cloudEvent of events) {
      const event = parseConsumedEvent(cloudEvent, scoredLeadEventNames);
      lead = applyLeadEvent({ lead, event, version: cloudEvent.streamversion }).lead;
    }
    return (lead as ScoringLead).input;
  });
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
