// Routing benchmark on the real PostgreSQL, on the batch path the lead consumer takes: one tenant with the
// demo routing, leads captured and qualified in the event store, their events spread over --partitions by
// lead as the relay publishes them, and each partition's events handed to the consumer kit's `handleBatch`
// --batch leads at a time, partitions side by side (as the bus consumes partitions concurrently). Each
// batch applies its events to routing's rows, takes the tenant's lock once, assigns its leads in memory,
// commits, then appends the AssignLead commands set-based (readStreams + appendToStreams).
//   Throughput: N leads as fast as they go; prints leads/s, assignments/s (LeadAssigned appended), latency
//   per batch, and checks that no rep holds more open leads than its cap or got more than its daily quota.
//   Latency (--rate R): R leads/s offered for --seconds; each partition takes what has arrived (as a
//   fetch does) and prints qualified → assigned per lead: from the commit of the lead's LeadQualified to
//   the append of its LeadAssigned (the relay and Kafka are not in it).
//   node services/routing/bench/assign-leads.bench.ts [--leads 5000] [--batch 250] [--partitions 2] [--pool 10] [--cap N]
//   node services/routing/bench/assign-leads.bench.ts --rate 200 [--seconds 20] [--cap N]
//   scripts/benchmark routing [same options]
// The demo's six reps take 40 open leads and 25 a day each, so past 150 leads the rest wait (a waiting
// lead is still applied and decided under the lock). --cap N sets both limits of every demo rep to N.
// Uses DATABASE_URL (default: the `test` database) and drops its throw-away schema afterwards.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import type { ConsumedEvent } from '@l2o/bus';
import { streamIdFor, Topics, toCloudEvent } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { Lead, LeadCommand } from '@l2o/domain';
import { createPostgresEventStore, migrateEventStore, toNewEvents } from '@l2o/event-store';
import type { PostgresEventStore, StreamAppend } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { freshSchema } from '@l2o/testing';
import { latencySummary, perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import { defaultWaitingRetryMs } from '../src/assign/assign-leads.ts';
import { demoRouting, installDemoRouting } from '../src/demo/demo-routing.ts';
import type { RoutingSetup } from '../src/demo/demo-routing.ts';
import { qualifyLeadCommand } from '../src/lead-commands.fixture.ts';
import { createLeadEventConsumer } from '../src/lead-events/lead-event-consumer.ts';
import { migrateRouting } from '../src/migrate-routing.ts';

const { values } = parseArgs({
  options: {
    leads: { type: 'string', default: '5000' },
    batch: { type: 'string', default: '250' },
    partitions: { type: 'string', default: '2' },
    pool: { type: 'string', default: '10' },
    cap: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '20' },
  },
});
const isCount = (value: number, min: number) => Number.isInteger(value) && value >= min;
const batchLeads = Number(values.batch);
const partitionCount = Number(values.partitions);
const poolSize = Number(values.pool);
const cap = values.cap === undefined ? undefined : Number(values.cap);
const rate = values.rate === undefined ? undefined : Number(values.rate);
const seconds = Number(values.seconds);
const totalLeads = rate === undefined ? Number(values.leads) : Math.round((rate ?? 0) * seconds);
if (
  !isCount(totalLeads, 100) ||
  !isCount(batchLeads, 1) ||
  !isCount(partitionCount, 1) ||
  !isCount(poolSize, partitionCount * 2 + 2) ||
  (cap !== undefined && !isCount(cap, 1)) ||
  (rate !== undefined && !isCount(rate, 1)) ||
  !isCount(seconds, 1)
) {
  console.error(
    'usage: scripts/benchmark routing [--leads N ≥ 100] [--batch N ≥ 1] [--partitions N ≥ 1] [--pool N ≥ 2·partitions+2] [--cap N ≥ 1]\n' +
      '       scripts/benchmark routing --rate R [--seconds S] [--batch N] [--partitions N] [--cap N]   (R·S ≥ 100)',
  );
  process.exit(2);
}

const tenantId = 'bench';
// One instant for every decision: the daily quotas all count the same local day.
const now = new Date();
const appendBatch = 200;
const setup: RoutingSetup =
  cap === undefined
    ? demoRouting
    : { ...demoRouting, reps: demoRouting.reps.map((rep) => ({ ...rep, maxOpenLeads: cap, dailyQuota: cap })) };

// Lead i's company derives from i alone: two in five European, two in five American, one in five
// elsewhere (the shared pool); one in five with 1,000 employees or more (the enterprise pool).
const countries = ['GB', 'DE', 'US', 'BR', 'FR', 'CA', 'JP', 'ES', 'MX', 'IN'];

function commandsFor(index: number): LeadCommand[] {
  const leadId = randomUUID();
  const capture: LeadCommand = {
    type: 'CaptureLead',
    data: {
      leadId,
      tenantId,
      contact: { email: `person.${index}@company-${index % 997}.example`, jobTitle: 'Head of Operations' },
      company: {
        name: `Company ${index % 997}`,
        country: countries[index % countries.length] as string,
        size: index % 5 === 0 ? 2500 : 40 + (index % 400),
      },
      touchpoint: { channel: 'web_form', occurredAt: now.toISOString() },
    },
    metadata: { now },
  };
  return [capture, qualifyLeadCommand({ leadId, tenantId, now })];
}

function streamOf(commands: LeadCommand[]): StreamAppend {
  let state: Lead = leadDecider.initialState();
  const events = commands.flatMap((command) => {
    const decided = leadDecider.decide(command, state);
    state = decided.reduce(leadDecider.evolve, state);
    return decided;
  });
  return {
    streamId: streamIdFor('lead', commands[0]?.data.leadId ?? ''),
    events: toNewEvents({ events, metadata: { tenantId, producer: 'bench' } }),
    expectedVersion: 'no_stream',
  };
}

/** A lead's stream as the bus hands it over, and the partition its key falls on. */
type Delivered = { leadId: string; partition: number; messages: ConsumedEvent[] };

/** Appends `count` new qualified leads from `first` on in one store call; returns their messages. */
async function appendLeads(store: PostgresEventStore, first: number, count: number): Promise<Delivered[]> {
  const appends = Array.from({ length: count }, (_, n) => streamOf(commandsFor(first + n)));
  await store.appendToStreams(appends);
  const read = await store.readStreams(appends.map(({ streamId }) => ({ streamId })));
  return appends.map(({ streamId }, n) => ({
    leadId: streamId.slice('lead-'.length),
    partition: (first + n) % partitionCount,
    messages: (read.get(streamId) ?? []).map((recorded, offset) => ({
      event: toCloudEvent(recorded),
      topic: Topics.lead,
      partition: (first + n) % partitionCount,
      offset: String(offset),
      key: streamId.slice('lead-'.length),
      attempt: 1,
    })),
  }));
}

/** The leads' messages as one fetch of a partition holds them: interleaved, each lead's in order. */
function batchOf(leads: readonly Delivered[]): ConsumedEvent[] {
  const longest = Math.max(...leads.map((lead) => lead.messages.length));
  return Array.from({ length: longest }, (_, index) =>
    leads.flatMap((lead) => lead.messages.slice(index, index + 1)),
  ).flat();
}

type Bench = { consumer: StreamConsumerHandlers; store: PostgresEventStore; pool: pg.Pool };

async function throughput({ consumer, store, pool }: Bench): Promise<void> {
  const partitions: Delivered[][] = Array.from({ length: partitionCount }, () => []);
  const fill = progress('appending lead streams', totalLeads);
  for (let first = 0; first < totalLeads; first += appendBatch) {
    for (const lead of await appendLeads(store, first, Math.min(appendBatch, totalLeads - first))) {
      partitions[lead.partition]?.push(lead);
    }
    fill(Math.min(first + appendBatch, totalLeads));
  }

  const batchLatencies: number[] = [];
  const show = progress('handling batches', totalLeads);
  let done = 0;
  const started = performance.now();
  await Promise.all(
    partitions.map(async (leads) => {
      for (let first = 0; first < leads.length; first += batchLeads) {
        const batch = leads.slice(first, first + batchLeads);
        const before = performance.now();
        await consumer.handleBatch(batchOf(batch));
        batchLatencies.push(performance.now() - before);
        done += batch.length;
        show(done);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  console.log(
    `  ${done.toLocaleString('en')} qualified leads applied and decided: ${perSecond(done, elapsedMs)} ` +
      `(${(elapsedMs / 1000).toFixed(1)} s, ${batchLatencies.length} batches of up to ${batchLeads} leads)`,
  );
  console.log(`  per batch (apply, assign, commit, send): ${latencySummary(batchLatencies)}`);
  await reportAssigned(pool, elapsedMs);
}

async function latency({ consumer, store, pool }: Bench): Promise<void> {
  const queues: Delivered[][] = Array.from({ length: partitionCount }, () => []);
  const qualifiedAt = new Map<string, number>();
  const latencies: number[] = [];
  let produced = 0;
  let handled = 0;
  const tickMs = 50;
  const started = performance.now();
  const show = progress(`offering ${rate} leads/s`, totalLeads);

  const producing = (async () => {
    while (produced < totalLeads) {
      const due = Math.min(totalLeads, Math.floor(((performance.now() - started) / 1000) * (rate ?? 0) + 1));
      if (due > produced) {
        const count = due - produced;
        const first = produced;
        produced = due;
        const leads = await appendLeads(store, first, count);
        const at = performance.now();
        for (const lead of leads) {
          qualifiedAt.set(lead.leadId, at);
          queues[lead.partition]?.push(lead);
        }
      }
      await sleep(tickMs / 5);
    }
  })();
  // Each partition takes what has arrived, up to a batch, as a fetch with a short wait does.
  const consuming = queues.map(async (queue) => {
    while (handled < totalLeads) {
      if (queue.length === 0) {
        await sleep(5);
        continue;
      }
      const batch = queue.splice(0, batchLeads);
      await consumer.handleBatch(batchOf(batch));
      const at = performance.now();
      for (const lead of batch) latencies.push(at - (qualifiedAt.get(lead.leadId) ?? at));
      handled += batch.length;
      show(handled);
    }
  });
  await Promise.all([producing, ...consuming]);
  const elapsedMs = performance.now() - started;
  console.log(`  offered ${rate} leads/s for ${seconds} s: handled ${perSecond(handled, elapsedMs)}`);
  console.log(`  qualified → assigned (commit to LeadAssigned appended), per lead: ${latencySummary(latencies)}`);
  await reportAssigned(pool, elapsedMs);
}

async function reportAssigned(pool: pg.Pool, elapsedMs: number): Promise<void> {
  const loads = await pool.query<{ rep_id: string; open: number; assigned_today: number; assigned_events: number }>(
    `SELECT reps.rep_id,
            (SELECT count(*) FROM routing_leads l WHERE l.tenant_id = $1 AND l.owner_id = reps.rep_id AND l.open)::int
              AS open,
            coalesce(loads.assigned_today, 0) AS assigned_today,
            (SELECT count(*) FROM events e WHERE e.type = 'LeadAssigned' AND e.data->>'ownerId' = reps.rep_id)::int
              AS assigned_events
       FROM routing_reps reps
       LEFT JOIN routing_rep_loads loads ON loads.tenant_id = reps.tenant_id AND loads.rep_id = reps.rep_id
      WHERE reps.tenant_id = $1
      ORDER BY reps.rep_id`,
    [tenantId],
  );
  const assigned = loads.rows.reduce((sum, row) => sum + row.assigned_events, 0);
  console.log(
    `  assignments (LeadAssigned appended): ${assigned.toLocaleString('en')}, ${perSecond(assigned, elapsedMs)}; ` +
      `${(totalLeads - assigned).toLocaleString('en')} leads wait`,
  );
  const capOf = new Map(setup.reps.map((rep) => [rep.id, { open: rep.maxOpenLeads, daily: rep.dailyQuota }]));
  const limit = (value: number | undefined) => (value === undefined ? '∞' : String(value));
  console.log(
    `  open leads per rep vs cap (LeadAssigned events): ${loads.rows
      .map((row) => `${row.rep_id} ${row.open}/${limit(capOf.get(row.rep_id)?.open)} (${row.assigned_events})`)
      .join(', ')}`,
  );
  const over = loads.rows.filter((row) => {
    const limits = capOf.get(row.rep_id);
    return (
      row.open > (limits?.open ?? Infinity) ||
      row.assigned_today > (limits?.daily ?? Infinity) ||
      row.assigned_events !== row.open
    );
  });
  const maxOpen = loads.rows.reduce((max, row) => Math.max(max, row.open), 0);
  const maxToday = loads.rows.reduce((max, row) => Math.max(max, row.assigned_today), 0);
  console.log(
    `  max open per rep ${maxOpen} (cap ${limit(setup.reps[0]?.maxOpenLeads)}), ` +
      `max assigned today ${maxToday} (quota ${limit(setup.reps[0]?.dailyQuota)}): ` +
      `${over.length === 0 ? 'no rep over its limits' : `OVER for ${over.map((row) => row.rep_id).join(', ')}`}`,
  );
  if (over.length > 0) throw new Error('a rep got more leads than its limits allow, or routing counted them wrong');
}

const database = await freshSchema('benchrouting');
const memory = trackPeakMemory();
const { databaseUrl, schema } = database;
try {
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateRouting] });
  const pool = createPool({ connectionString: databaseUrl, schema, max: poolSize, applicationName: 'routing-bench' });
  const store = createPostgresEventStore({ pool, schema });
  const logger = createLogger({ name: 'routing', level: 'error' });
  await installDemoRouting({ pool, tenantId, now, setup });
  const consumer = createLeadEventConsumer({
    pool,
    store,
    logger,
    clock: () => now,
    waitingRetryMs: defaultWaitingRetryMs,
  });
  console.log(
    `routing benchmark: ${totalLeads.toLocaleString('en')} qualified leads of one tenant, batches of up to ` +
      `${batchLeads} leads on ${partitionCount} partitions side by side, pool ${poolSize}, demo routing ` +
      `(${setup.reps.length} reps, ${setup.pools.length} pools, caps ${cap === undefined ? 'as the demo sets them' : cap})`,
  );
  if (rate === undefined) await throughput({ consumer, store, pool });
  else await latency({ consumer, store, pool });
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
  await pool.end();
} finally {
  memory.stop();
  await database.drop();
}
