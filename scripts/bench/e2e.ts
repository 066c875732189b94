// End-to-end benchmark of the whole platform: every service as its own process on a throw-away schema
// and topic namespace, leads in over POST /v1/leads/batch, and one table of what comes out:
//   1. the machine's ceilings in the platform's shapes: event-store appends and our Kafka bus;
//   2. throughput: N leads offered in batches, a third of them built to qualify; acceptance leads/s and
//      how fast every lead was scored, every MQL assigned and every lead visible in the read model;
//   3. latency at a fixed offered rate: per MQL, from its batch's HTTP answer to its LeadAssigned;
//   4. peak RSS (and CPU) of each process, sampled from /proc.
//   scripts/benchmark e2e [--quick] [--leads 20000] [--rate 200] [--seconds 30] [--partitions 6] [--keep]
// Uses DATABASE_URL (default: the `test` database) and, unless KAFKA_BROKERS names one, a Kafka broker
// of its own on a free port (data in .data/kafka-e2e-<port>), stopped at the end. The services run from
// a copy of services/ and packages/ taken at the start. Ctrl-C stops everything and removes what the
// run created. Writes bench-results/e2e/latest.{json,md}.
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ensureTopics } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import { migrateEventStore } from '@l2o/event-store';
import { createPool, quoteIdent } from '@l2o/pg';
import { migrateProjections, reportingSchemaOf } from '@l2o/projections/migrations';
import { createApiKey, migrateTenancy } from '@l2o/tenancy';
import { freePorts, testDatabaseUrl } from '@l2o/testing';
import { snapshotCode } from '../lib/platform/code-snapshot.ts';
import { codeVersion } from '../lib/platform/code-version.ts';
import { createLeadLedger, startSteadyLoad, type AcceptedLead, type LeadLedger } from '../lib/platform/lead-ledger.ts';
import { localBroker, type LocalBroker } from '../lib/platform/local-broker.ts';
import { deleteTopicsWithPrefix, dropSchemas } from '../lib/platform/run-resources.ts';
import { platformServiceNames, platformServices, waitUntilServicesReady } from '../lib/platform/platform-services.ts';
import { superviseServices, type ServiceSupervisor } from '../lib/platform/service-supervisor.ts';
import { measureAppendCeiling, measureBusCeiling } from './lib/e2e/ceilings.ts';
import { configureRouting, e2eLead, qualifiesBySequence } from './lib/e2e/e2e-leads.ts';
import { printTable, writeReport, type E2eResult } from './lib/e2e/e2e-report.ts';
import {
  cpuBetween,
  percentiles,
  phaseStages,
  sinceAcceptance,
  stageFigure,
  waitForPhase,
} from './lib/e2e/phase-figures.ts';
import { sampleProcesses } from './lib/e2e/process-sampler.ts';
import { watchStages, type StageWatcher } from './lib/e2e/stage-watcher.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    leads: { type: 'string' },
    batch: { type: 'string', default: '500' },
    'in-flight': { type: 'string', default: '4' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string' },
    partitions: { type: 'string', default: process.env.L2O_TOPIC_PARTITIONS ?? '6' },
    'ceiling-events': { type: 'string' },
    'ceiling-messages': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const settings = {
  leads: Number(values.leads ?? (quick ? 2_000 : 20_000)),
  batch: Number(values.batch),
  inFlight: Number(values['in-flight']),
  rate: Number(values.rate),
  seconds: Number(values.seconds ?? (quick ? 10 : 30)),
  partitions: Number(values.partitions),
  ceilingEvents: Number(values['ceiling-events'] ?? (quick ? 20_000 : 100_000)),
  ceilingMessages: Number(values['ceiling-messages'] ?? (quick ? 20_000 : 100_000)),
  ceilingWriters: 4,
  /** A phase is over when no stage moved for this long, complete or not. */
  stallMs: quick ? 60_000 : 120_000,
  maxSettleMs: quick ? 1_200_000 : 3_600_000,
};
const limits: Record<keyof typeof settings, [number, number]> = {
  leads: [1, 1_000_000],
  batch: [1, 1_000],
  inFlight: [1, 64],
  rate: [1, 5_000],
  seconds: [1, 600],
  partitions: [1, 64],
  ceilingEvents: [500, 5_000_000],
  ceilingMessages: [500, 5_000_000],
  ceilingWriters: [1, 64],
  stallMs: [1, Infinity],
  maxSettleMs: [1, Infinity],
};
const invalid = Object.entries(limits).filter(([name, [min, max]]) => {
  const value = settings[name as keyof typeof settings];
  return !Number.isInteger(value) || value < min || value > max;
});
const externalBrokers = process.env.KAFKA_BROKERS?.split(',').filter((broker) => broker !== '');
if (invalid.length > 0) {
  console.error(
    `invalid ${invalid.map(([name, [min, max]]) => `${name} (an integer from ${min} to ${max})`).join(', ')}\n` +
      'usage: scripts/benchmark e2e [--quick] [--leads N] [--batch 1..1000] [--in-flight N] [--rate leads/s] [--seconds N] ' +
      '[--partitions N] [--ceiling-events N] [--ceiling-messages N] [--keep]',
  );
  process.exit(2);
}
if (externalBrokers?.some((broker) => broker.endsWith(':19092'))) {
  console.error(
    'KAFKA_BROKERS names the test suite broker (:19092), which tests rely on; unset it to let the benchmark run a broker of its own',
  );
  process.exit(2);
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const databaseUrl = process.env.DATABASE_URL ?? testDatabaseUrl();
const runId = Date.now().toString(36);
const schema = `bench_e2e_${runId}`;
const ceilingSchema = `bench_e2e_${runId}_ceiling`;
const namespace = `bench-e2e-${runId}`;
const tenantId = 'bench-e2e';
const runDir = `${root}.data/bench-e2e/${runId}`;
const codeDir = `${runDir}/code`;
const command = `scripts/benchmark e2e${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
const started = Date.now();
const log = (message: string) =>
  console.log(`[e2e +${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const integer = (value: number) => Math.round(value).toLocaleString('en');

/** A free port whose neighbour (the KRaft controller's) is free too; 29192 when it is. */
async function freeBrokerPort(): Promise<number> {
  const isFree = async (port: number) => {
    const { createServer } = await import('node:net');
    return new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  };
  for (const candidate of [29192, ...(await freePorts(5))]) {
    if (candidate < 65535 && (await isFree(candidate)) && (await isFree(candidate + 1))) return candidate;
  }
  throw new Error('found no free pair of ports for the broker; set KAFKA_BROKERS to a broker of your own');
}

async function sql(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

let broker: LocalBroker | undefined;
let supervisor: ServiceSupervisor | undefined;
let pool: pg.Pool | undefined;
let watcher: StageWatcher | undefined;
let sampler: ReturnType<typeof sampleProcesses> | undefined;
let schemasCreated = false;
let codeCopied = false;
const brokers = externalBrokers ?? [];

async function cleanUp(): Promise<void> {
  log('stopping the services, removing the run schema and topics');
  await sampler?.stop().catch(() => undefined);
  await watcher?.stop().catch(() => undefined);
  await supervisor?.stopAll().catch(() => undefined);
  await pool?.end().catch(() => undefined);
  if (schemasCreated && !values.keep) {
    await dropSchemas({ databaseUrl, schemas: [ceilingSchema, schema, reportingSchemaOf(schema)] }).catch(
      (error: unknown) => console.error(`removing the schemas failed: ${(error as Error).message}`),
    );
  }
  if (brokers.length > 0 && !values.keep) {
    await deleteTopicsWithPrefix({ brokers, prefix: `${namespace}.` }).catch((error: unknown) =>
      console.error(`removing topics failed: ${(error as Error).message}`),
    );
  }
  if (codeCopied && !values.keep) await rm(codeDir, { recursive: true, force: true });
  if (broker !== undefined) {
    log('stopping the broker');
    await broker.stop().catch((error: unknown) => console.error((error as Error).message));
  }
}
let cleaning: Promise<void> | undefined;
const cleanUpOnce = () => (cleaning ??= cleanUp());
// Ctrl-C must not leave services, a broker and a schema behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping early`);
    void cleanUpOnce().finally(() => process.exit(130));
  });
}

try {
  const loadAverageAtStart = loadavg();
  // The code under test, as the snapshot the services run from is taken right after: others may
  // edit the working tree during the run, and a restarted service must load the same code.
  const code = codeVersion(root);
  log(
    `run ${runId}: ${integer(settings.leads)} leads in batches of ${settings.batch} (${settings.inFlight} in flight), ` +
      `then ${settings.rate} leads/s for ${settings.seconds} s; schema ${schema}, topics ${namespace}.*; logs in ${runDir}`,
  );
  log(
    `machine: ${availableParallelism()} cores, load average ${loadAverageAtStart.map((value) => value.toFixed(1)).join(' / ')}`,
  );
  await mkdir(`${runDir}/imports`, { recursive: true });
  codeCopied = true;
  await snapshotCode({ root, destination: codeDir });
  if (externalBrokers === undefined) {
    const port = await freeBrokerPort();
    broker = localBroker({ port, dataDir: `${root}.data/kafka-e2e-${port}` });
    brokers.push(...broker.brokers);
    log(`starting a Kafka broker of its own on 127.0.0.1:${port}`);
    await broker.start();
    // Every bench-e2e topic on its own broker is a leftover of an interrupted run.
    await deleteTopicsWithPrefix({ brokers, prefix: 'bench-e2e-' });
  } else log(`using the Kafka broker at ${brokers.join(',')}`);

  const servicePids = new Map<string, () => number | undefined>();
  const ownBroker = broker;
  sampler = sampleProcesses({
    intervalMs: 500,
    processes: [
      ...platformServiceNames.map((name) => ({ name, pid: () => servicePids.get(name)?.() })),
      ...(ownBroker === undefined ? [] : [{ name: 'kafka broker', pid: () => ownBroker.pid() }]),
      { name: 'benchmark (load and ceilings)', pid: () => process.pid },
    ],
  });

  await sql(`CREATE SCHEMA ${quoteIdent(ceilingSchema)}`);
  await sql(`CREATE SCHEMA ${quoteIdent(schema)}`);
  schemasCreated = true;
  log(
    `ceiling 1/2: ${integer(settings.ceilingEvents)} events through appendToStreams, 500 per transaction, ${settings.ceilingWriters} writers`,
  );
  let lastCeilingPrint = 0;
  const append = await measureAppendCeiling({
    databaseUrl,
    schema: ceilingSchema,
    events: settings.ceilingEvents,
    writers: settings.ceilingWriters,
    eventsPerTransaction: 500,
    onProgress: (done) => {
      if (Date.now() - lastCeilingPrint < 5_000) return;
      lastCeilingPrint = Date.now();
      log(`ceiling 1/2: ${integer(done)} events appended`);
    },
  });
  await dropSchemas({ databaseUrl, schemas: [ceilingSchema] });
  log(`ceiling 1/2: ${integer(append.eventsPerSecond)} events/s`);
  log(`ceiling 2/2: ${integer(settings.ceilingMessages)} messages through the bus, ${settings.partitions} partitions`);
  const bus = await measureBusCeiling({
    brokers,
    topic: `${namespace}.ceiling`,
    groupId: `${namespace}-ceiling`,
    partitions: settings.partitions,
    messages: settings.ceilingMessages,
    publishCallSize: 500,
    timeoutMs: 300_000,
    onProgress: (produced, consumed) =>
      log(`ceiling 2/2: ${integer(produced)} produced, ${integer(consumed)} consumed`),
  });
  log(
    `ceiling 2/2: produce ${integer(bus.producedPerSecond)} msgs/s, produce + consume ${integer(bus.throughPerSecond)} msgs/s`,
  );

  log(`migrating schema ${schema}; creating topics in namespace ${namespace}`);
  await migrateEventStore({ databaseUrl, schema });
  await migrateTenancy({ databaseUrl, schema });
  await migrateProjections({ databaseUrl, schema });
  await ensureTopics({
    brokers,
    topics: Object.values(Topics).map((topic) => ({
      topic: withNamespace(topic, namespace),
      partitions: settings.partitions,
    })),
  });
  pool = createPool({ connectionString: databaseUrl, schema, max: 3, applicationName: 'l2o-e2e-bench' });
  const { apiKey } = await createApiKey({
    pool,
    tenantId,
    name: 'e2e-bench',
    scopes: ['ingest', 'administer_rules', 'read_reports'],
  });
  const specs = platformServices({ groupPrefix: namespace, ports: await freePorts(7) });
  supervisor = superviseServices({
    services: specs,
    env: {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: brokers.join(','),
      TOPIC_NAMESPACE: namespace,
      IMPORT_SPOOL_DIR: `${runDir}/imports`,
      LOG_LEVEL: 'info',
    },
    logDir: runDir,
    restartDelayMs: 1_000,
    root: codeDir,
  });
  for (const service of supervisor.services.values()) servicePids.set(service.name, service.pid);
  log('starting the services…');
  await waitUntilServicesReady({ services: supervisor.services.values(), timeoutMs: 180_000, logDir: runDir });
  const serviceUrl = (name: string) => supervisor?.services.get(name)?.url ?? '';
  const fixedOffered = settings.rate * settings.seconds;
  const routing = await configureRouting({
    routingUrl: serviceUrl('routing'),
    apiKey,
    expectedMqls: Math.ceil((settings.leads + fixedOffered) / 3) + 10,
  });
  log(`every service is ready; routing: ${routing.reps} reps in 2 pools, caps of ${integer(routing.capPerRep)} each`);
  const waitLimits = { stallMs: settings.stallMs, maxMs: settings.maxSettleMs, log };
  const stages = watchStages({ pool, schema, tenantId, visiblePollMs: 250 });
  watcher = stages;

  // Phase 1: throughput.
  const ledger: LeadLedger = createLeadLedger({
    ingestionUrl: serviceUrl('ingestion'),
    apiKey,
    runId,
    retryForMs: 120_000,
    maxInFlight: settings.inFlight,
    buildLead: e2eLead,
  });
  const batches = Math.ceil(settings.leads / settings.batch);
  let nextBatch = 0;
  let lastAnswerAt = 0;
  const cpuBefore = sampler.snapshot();
  const firstSendAt = Date.now();
  const progressTimer = setInterval(() => {
    const { scored, assigned } = stages.stages;
    log(
      `throughput: ${integer(ledger.accepted.size)} of ${integer(settings.leads)} accepted; ` +
        `${integer(scored.size)} scored, ${integer(assigned.size)} assigned, ${integer(stages.stages.visible)} visible`,
    );
  }, 5_000);
  try {
    await Promise.all(
      Array.from({ length: settings.inFlight }, async () => {
        while (nextBatch < batches) {
          const batch = nextBatch++;
          const count = Math.min(settings.batch, settings.leads - batch * settings.batch);
          await ledger.post({ strong: qualifiesBySequence, count });
          lastAnswerAt = Date.now();
        }
      }),
    );
  } finally {
    clearInterval(progressTimer);
  }
  const throughputLeads = [...ledger.accepted.values()];
  const acceptanceSeconds = (lastAnswerAt - firstSendAt) / 1000;
  log(
    `throughput: ${integer(throughputLeads.length)} leads accepted in ${acceptanceSeconds.toFixed(1)} s ` +
      `(${integer(throughputLeads.length / acceptanceSeconds)}/s); waiting for every stage`,
  );
  stages.watchVisible(throughputLeads.length);
  /** `visibleTarget`: the read-model count the phase waits for, if any. */
  const checkPhase = (leads: readonly AcceptedLead[], visibleTarget?: number) => () => {
    const now = phaseStages(leads, stages.stages);
    const visible =
      visibleTarget === undefined
        ? ''
        : `, visible ${integer(Math.min(stages.stages.visible, visibleTarget))}/${integer(visibleTarget)}`;
    return {
      done: now.settled && (visibleTarget === undefined || stages.visibleAt(visibleTarget) !== undefined),
      description: `scored ${integer(now.scored)}/${integer(now.leads)}, assigned ${integer(now.assigned)}/${integer(now.qualified)} MQLs${visible}`,
    };
  };
  await waitForPhase({
    ...waitLimits,
    label: 'throughput',
    check: checkPhase(throughputLeads, throughputLeads.length),
  });
  const cpuAfter = sampler.snapshot();
  const phase1 = phaseStages(throughputLeads, stages.stages);
  const eventsByType = Object.fromEntries([...stages.stages.eventsByType].sort(([a], [b]) => a.localeCompare(b)));
  const eventTotal = Object.values(eventsByType).reduce((sum, count) => sum + count, 0);
  const visibleAt = stages.visibleAt(throughputLeads.length);
  const throughput: E2eResult['throughput'] = {
    offered: settings.leads,
    accepted: throughputLeads.length,
    mqlsExpected: throughputLeads.filter((lead) => lead.strong).length,
    mqlsQualified: phase1.qualified,
    acceptance: { seconds: acceptanceSeconds, perSecond: throughputLeads.length / acceptanceSeconds },
    scored: stageFigure(phase1.scored, phase1.leads, firstSendAt, phase1.lastScoredAt),
    assigned: stageFigure(phase1.assigned, phase1.qualified, firstSendAt, phase1.lastAssignedAt),
    visible: stageFigure(
      Math.min(stages.stages.visible, throughputLeads.length),
      throughputLeads.length,
      firstSendAt,
      visibleAt ?? 0,
    ),
    events: {
      total: eventTotal,
      byType: eventsByType,
      perLead: eventTotal / Math.max(1, throughputLeads.length),
      ...(phase1.settled ? { perSecond: eventTotal / ((stages.stages.lastRecordedAt - firstSendAt) / 1000) } : {}),
    },
    cpuSeconds: cpuBetween(cpuBefore, cpuAfter),
  };
  if (throughput.mqlsQualified !== throughput.mqlsExpected) {
    log(
      `note: ${throughput.mqlsQualified} leads qualified where ${throughput.mqlsExpected} were built to (have the scoring defaults changed?)`,
    );
  }

  // Phase 2: latency at a fixed offered rate, from leads of their own.
  const fixedLedger = createLeadLedger({
    ingestionUrl: serviceUrl('ingestion'),
    apiKey,
    runId: `${runId}-fixed`,
    retryForMs: 120_000,
    maxInFlight: 64,
    buildLead: e2eLead,
  });
  // Twenty requests a second: small batches, as many clients each sending a few leads would.
  const fixedBatch = Math.max(1, Math.round(settings.rate / 20));
  log(`fixed rate: ${settings.rate} leads/s for ${settings.seconds} s, in batches of ${fixedBatch}`);
  const fixedStartedAt = Date.now();
  const load = startSteadyLoad({ ledger: fixedLedger, ratePerSecond: settings.rate, batchSize: fixedBatch });
  const fixedProgress = setInterval(
    () =>
      log(
        `fixed rate: ${integer(fixedLedger.accepted.size)} accepted, ${checkPhase([...fixedLedger.accepted.values()])().description}`,
      ),
    5_000,
  );
  await delay(settings.seconds * 1000);
  await load.stop();
  clearInterval(fixedProgress);
  const fixedLeads = [...fixedLedger.accepted.values()];
  const fixedSeconds = (Date.now() - fixedStartedAt) / 1000;
  log(`fixed rate: ${integer(fixedLeads.length)} leads accepted; waiting for their MQLs to be assigned`);
  await waitForPhase({
    ...waitLimits,
    label: 'fixed rate',
    check: checkPhase(fixedLeads),
  });
  const { scored, qualified, assigned } = stages.stages;
  const fixedMqls = fixedLeads.filter((lead) => qualified.has(lead.leadId));
  const fixedRate: E2eResult['fixedRate'] = {
    offeredPerSecond: settings.rate,
    seconds: settings.seconds,
    offered: fixedLedger.stats.itemsSent,
    accepted: fixedLeads.length,
    acceptedPerSecond: fixedLeads.length / fixedSeconds,
    mqls: fixedMqls.length,
    ...optional('assignedLatency', percentiles(sinceAcceptance(fixedMqls, assigned))),
    ...optional('scoredLatency', percentiles(sinceAcceptance(fixedLeads, scored))),
    unassigned: fixedMqls.filter((lead) => !assigned.has(lead.leadId)).length,
  };

  const processes = await sampler.stop();
  sampler = undefined;
  const result: E2eResult = {
    runId,
    startedAt: new Date(started).toISOString(),
    command,
    settings: { ...settings, quick, schema, namespace, brokers, logs: runDir },
    machine: { cores: availableParallelism(), loadAverageAtStart, loadAverageAtEnd: loadavg() },
    code,
    ceilings: { append, bus },
    throughput,
    fixedRate,
    processes,
    unplannedExits: supervisor.unplannedExits,
    failedRequests: ledger.stats.failedAttempts + fixedLedger.stats.failedAttempts,
  };
  printTable(result, console.log);
  const files = await writeReport(result, `${root}bench-results/e2e`);
  log(`results written to ${files.map((file) => file.replace(root, '')).join(' and ')}`);
} catch (error) {
  console.error(`e2e benchmark failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUpOnce();
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
