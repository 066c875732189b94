// Routing benchmark on the real PostgreSQL: the demo routing for one tenant, N leads captured and
// qualified in the event store and applied to routing_leads as the lead consumer applies them, then
// `assignOwner` for every lead with C calls in flight. Each call takes the tenant's routing lock, so
// this measures how one tenant's assignments serialize. Prints calls/s, latency per call (assigned and
// waiting apart), peak memory, and checks that no rep holds more open leads than its cap or got more
// assignments than its daily quota.
//   node services/routing/bench/assign-owner.bench.ts [--leads 5000] [--concurrency 20] [--pool 30] [--cap N]
//   scripts/benchmark routing [--leads 5000] [--concurrency 20]
// The demo's six reps take 40 open leads and 25 a day each, so past 150 leads the rest wait (a waiting
// lead still takes the lock and reads the loads). --cap N sets both limits of every demo rep to N.
// Uses DATABASE_URL (default: the `test` database) and drops its throw-away schema afterwards.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { streamIdFor, toCloudEvent } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { Lead, LeadCommand } from '@l2o/domain';
import { createPostgresEventStore, migrateEventStore, toNewEvents } from '@l2o/event-store';
import type { StreamAppend } from '@l2o/event-store';
import { createPool, migrateModules, withTransaction } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import { freshSchema } from '@l2o/testing';
import { latencySummary, perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import { assignOwner, defaultWaitingRetryMs } from '../src/assign/assign-owner.ts';
import type { AssignOutcome } from '../src/assign/assign-owner.ts';
import { demoRouting, installDemoRouting } from '../src/demo/demo-routing.ts';
import type { RoutingSetup } from '../src/demo/demo-routing.ts';
import { applyLeadEvent } from '../src/lead-events/apply-lead-event.ts';
import { consumedLeadEvent } from '../src/lead-events/routing-lead-event.ts';
import { migrateRouting } from '../src/migrate-routing.ts';
import { assignmentTriggerOf } from '../src/routing-leads/routing-lead.ts';
import type { AssignmentTrigger } from '../src/routing-leads/routing-lead.ts';

const { values } = parseArgs({
  options: {
    leads: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '20' },
    pool: { type: 'string', default: '30' },
    cap: { type: 'string' },
  },
});
const totalLeads = Number(values.leads);
const concurrency = Number(values.concurrency);
const poolSize = Number(values.pool);
const cap = values.cap === undefined ? undefined : Number(values.cap);
if (
  !Number.isInteger(totalLeads) ||
  totalLeads < 100 ||
  !Number.isInteger(concurrency) ||
  concurrency < 1 ||
  !Number.isInteger(poolSize) ||
  poolSize <= concurrency ||
  (cap !== undefined && !(Number.isInteger(cap) && cap >= 1))
) {
  console.error(
    'usage: scripts/benchmark routing [--leads N ≥ 100] [--concurrency N ≥ 1] [--pool N > concurrency] [--cap N ≥ 1]',
  );
  process.exit(2);
}

const tenantId = 'bench';
// One instant for every assignment: the daily quotas all count the same local day.
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
  // Over the MQL threshold: the Lead appends LeadScored and LeadQualified, as scoring's command does.
  const qualify: LeadCommand = {
    type: 'ScoreLead',
    data: {
      leadId,
      tenantId,
      score: 80,
      grade: 'A',
      components: { fit: 80, engagement: 80, predictive: null },
      breakdown: [],
      ruleSetVersion: 1,
      trigger: 'captured',
      mql: { threshold: 60 },
    },
    metadata: { now },
  };
  return [capture, qualify];
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

/** Runs `work` on every item with `concurrency` in flight. */
async function forEachConcurrently<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = items[next++]; item !== undefined; item = items[next++]) await work(item);
    }),
  );
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
  const capOf = new Map(setup.reps.map((rep) => [rep.id, { open: rep.maxOpenLeads, daily: rep.dailyQuota }]));
  console.log(
    `routing benchmark: ${totalLeads.toLocaleString('en')} qualified leads of one tenant, ` +
      `${concurrency} assignments in flight, pool ${poolSize}, demo routing (${setup.reps.length} reps, ` +
      `${setup.pools.length} pools, caps ${cap === undefined ? 'as the demo sets them' : cap})`,
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

  // Routing's view of each lead, built by its own event application in stream order, and the trigger
  // LeadQualified gives. Read stream by stream, not from the feed: an open transaction of another
  // session holds the feed's head back.
  const triggers: Array<{ leadId: string; trigger: AssignmentTrigger }> = [];
  const applied = progress('applying lead events to routing_leads', streamIds.length);
  await forEachConcurrently(streamIds, async (streamId) => {
    const events = (await store.readStream(streamId)).map((event) => consumedLeadEvent(toCloudEvent(event)));
    for (const consumed of events) {
      if (consumed === undefined) continue;
      const { lead } = await withTransaction(pool, (client) => applyLeadEvent(client, consumed));
      const trigger = assignmentTriggerOf({ lead, event: consumed.event, version: consumed.streamVersion });
      if (trigger !== undefined) triggers.push({ leadId: consumed.leadId, trigger });
    }
    applied(triggers.length);
  });
  if (triggers.length !== totalLeads) throw new Error(`${triggers.length} leads qualified, expected ${totalLeads}`);

  const latencies: number[] = [];
  const latencyByStatus = new Map<AssignOutcome['status'], number[]>();
  const show = progress('assigning', triggers.length);
  let done = 0;
  const started = performance.now();
  await forEachConcurrently(triggers, async ({ leadId, trigger }) => {
    const before = performance.now();
    const outcome = await assignOwner({
      pool,
      store,
      logger,
      waitingRetryMs: defaultWaitingRetryMs,
      tenantId,
      leadId,
      trigger,
      now,
    });
    const elapsed = performance.now() - before;
    latencies.push(elapsed);
    const ofStatus = latencyByStatus.get(outcome.status);
    if (ofStatus === undefined) latencyByStatus.set(outcome.status, [elapsed]);
    else ofStatus.push(elapsed);
    show(++done);
  });
  const elapsedMs = performance.now() - started;

  console.log(`  assignOwner calls: ${perSecond(done, elapsedMs)} (${(elapsedMs / 1000).toFixed(1)} s)`);
  console.log(`  per call: ${latencySummary(latencies)}`);
  for (const [status, samples] of latencyByStatus) {
    console.log(`    ${status}: ${samples.length.toLocaleString('en')} leads, ${latencySummary(samples)}`);
  }

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
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
  if (over.length > 0) throw new Error('a rep got more leads than its limits allow');
  await pool.end();
} finally {
  memory.stop();
  await database.drop();
}
