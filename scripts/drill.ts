// Fault drill: runs every service as its own process on a throw-away schema, topic namespace and a
// Kafka broker of its own, keeps a steady load of distinct leads going, injects one fault after the
// other (SIGKILL of each service, a broker restart, every PostgreSQL connection ended, poison on the
// intake topic), then reconciles every accepted lead across the event store, the lead topic and the
// read models, and prints a table: per fault, the time to recover and the effects lost or duplicated.
//   scripts/drill [--quick] [--faults relay,scoring,broker,postgres,poison] [--rate 30] [--minutes 15] [--keep]
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { ensureTopics } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import { migrateEventStore } from '@l2o/event-store';
import { createPool, quoteIdent } from '@l2o/pg';
import { migrateProjections, reportingSchemaOf } from '@l2o/projections/migrations';
import { createApiKey, migrateTenancy } from '@l2o/tenancy';
import { freePorts } from '@l2o/testing';
import { behind, describeBehind, readStageCounts, waitUntilCaughtUp } from './lib/drill/catch-up.ts';
import { printReport, writeReport, type DrillResult, type FaultResult } from './lib/drill/drill-report.ts';
import { faultsByName, noFault, runFault, type Fault, type FaultContext } from './lib/drill/faults.ts';
import { injectPoison, type InjectedIntake } from './lib/drill/poison-messages.ts';
import { reconcile } from './lib/drill/reconcile.ts';
import { snapshotCode } from './lib/platform/code-snapshot.ts';
import { codeVersion } from './lib/platform/code-version.ts';
import { createLeadLedger, startSteadyLoad } from './lib/platform/lead-ledger.ts';
import { localBroker } from './lib/platform/local-broker.ts';
import {
  intakeGroupOf,
  platformServiceNames,
  platformServices,
  waitUntilServicesReady,
} from './lib/platform/platform-services.ts';
import { deleteTopicsWithPrefix, dropSchemas } from './lib/platform/run-resources.ts';
import { superviseServices } from './lib/platform/service-supervisor.ts';
import { createDatabaseIfMissing } from './lib/prepare-infrastructure.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    faults: { type: 'string' },
    rate: { type: 'string' },
    'recovery-timeout': { type: 'string' },
    'kafka-port': { type: 'string', default: '29092' },
    minutes: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const allFaults = faultsByName();
const faultNames = (values.faults ?? (quick ? 'relay,scoring,broker,postgres,poison' : [...allFaults.keys()].join(',')))
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
const unknownFaults = faultNames.filter((name) => !allFaults.has(name));
const settings = {
  // What this 2-core machine sustains beside other work; --rate asks for more.
  ratePerSecond: Number(values.rate ?? (quick ? 20 : 30)),
  batchSize: quick ? 10 : 20,
  warmupMs: quick ? 10_000 : 20_000,
  settleMs: quick ? 5_000 : 10_000,
  /** Longest wait for the platform to catch up with the load before a fault. */
  catchUpMs: quick ? 60_000 : 90_000,
  recoveryTimeoutMs: Number(values['recovery-timeout'] ?? (quick ? 90 : 120)) * 1000,
  /** Time for the faults; those not begun within it are skipped, so a platform that never recovers cannot keep the drill running. */
  faultBudgetMs: Number(values.minutes ?? (quick ? 6 : 15)) * 60_000,
  /** Longest wait for the read models after the load stopped (it also ends after 30 s without any progress). */
  drainTimeoutMs: quick ? 300_000 : 600_000,
  kafkaPort: Number(values['kafka-port']),
  faults: faultNames,
};
if (
  unknownFaults.length > 0 ||
  !(settings.ratePerSecond > 0) ||
  !(settings.recoveryTimeoutMs > 0) ||
  !(settings.faultBudgetMs > 0) ||
  !Number.isInteger(settings.kafkaPort)
) {
  console.error(
    `usage: scripts/drill [--quick] [--faults ${[...allFaults.keys()].join(',')}] [--rate leads/s] [--recovery-timeout s] [--minutes for the faults] [--kafka-port 29092] [--keep]` +
      (unknownFaults.length > 0 ? `\nunknown fault(s): ${unknownFaults.join(', ')}` : ''),
  );
  process.exit(2);
}

const root = fileURLToPath(new URL('../', import.meta.url));
// The connection fault ends every connection of this database, so it must be the drill's alone.
const databaseUrl = process.env.L2O_DRILL_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/l2o_drill';
const databaseName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
if (!databaseName.includes('drill')) {
  console.error(
    `L2O_DRILL_DATABASE_URL names database "${databaseName}": the drill ends every connection of its database, so use one whose name contains "drill"`,
  );
  process.exit(2);
}
const runId = Date.now().toString(36);
const schema = `drill_${runId}`;
const namespace = `drill-${runId}`;
const tenantId = `drill-${runId}`;
const runDir = `${root}.data/drill/${runId}`;
const codeDir = `${runDir}/code`;
const started = Date.now();

// The code under test, as the snapshot the services run from is taken right after.
const code = codeVersion(root);
const log = (message: string) =>
  console.log(`[drill +${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

async function configureRouting(routingUrl: string, apiKey: string): Promise<void> {
  // Reps without caps or hours, so every qualified lead can be assigned at once: a lead left waiting
  // would look like a lost assignment.
  const put = async (path: string, body: unknown) => {
    const response = await fetch(`${routingUrl}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`routing PUT ${path} answered ${response.status}: ${await response.text()}`);
  };
  const reps = ['rep-a', 'rep-b', 'rep-c', 'rep-d'];
  for (const rep of reps) await put(`/v1/routing/reps/${rep}`, { name: rep, active: true, timezone: 'UTC' });
  await put('/v1/routing/pools/drill', {
    name: 'Drill',
    strategy: 'round_robin',
    members: reps.map((repId) => ({ repId })),
  });
  await put('/v1/routing/settings', { rules: [], defaultPoolId: 'drill', sharedPoolId: 'drill' });
}

const broker = localBroker({ port: settings.kafkaPort, dataDir: `${root}.data/kafka-drill-${settings.kafkaPort}` });
let supervisor: ReturnType<typeof superviseServices> | undefined;
let pool: pg.Pool | undefined;
let admin: pg.Client | undefined;
let schemaCreated = false;
let progressTimer: NodeJS.Timeout | undefined;
let shuttingDown: Promise<void> | undefined;

/** Stops what the drill started and removes what it made; once, whether the run ended or was interrupted. */
function shutDown(): Promise<void> {
  shuttingDown ??= (async () => {
    clearInterval(progressTimer);
    log('stopping the services, removing the drill schema and topics, stopping the broker');
    await supervisor?.stopAll().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await admin?.end().catch(() => undefined);
    if (schemaCreated && !values.keep) {
      await Promise.all([
        deleteTopicsWithPrefix({ brokers: broker.brokers, prefix: `${namespace}.` }),
        dropSchemas({ databaseUrl, schemas: [schema, reportingSchemaOf(schema)] }),
      ]).catch((error: unknown) => console.error(`clean-up failed: ${(error as Error).message}`));
    }
    await broker.stop().catch((error: unknown) => console.error((error as Error).message));
    if (!values.keep) await rm(codeDir, { recursive: true, force: true });
  })();
  return shuttingDown;
}

// Ctrl-C must not leave seven services, a broker and a schema behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: interrupted`);
    void shutDown().finally(() => process.exit(130));
  });
}

try {
  log(`run ${runId}: faults ${faultNames.join(', ')}; ${settings.ratePerSecond} leads/s; logs in ${runDir}`);
  await mkdir(`${runDir}/imports`, { recursive: true });
  // Others edit the working tree during a run; a service restarted by a fault must load the code it started with.
  await snapshotCode({ root, destination: codeDir });
  log(`starting the drill's Kafka broker on 127.0.0.1:${settings.kafkaPort}`);
  await broker.start();
  await createDatabaseIfMissing(databaseUrl, log);
  admin = new pg.Client({ connectionString: databaseUrl, application_name: 'l2o-drill-admin' });
  admin.on('error', (error) => log(`admin connection failed: ${error.message}`));
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  schemaCreated = true;
  log(`migrating schema ${schema} in database ${databaseName}; creating topics in namespace ${namespace}`);
  await migrateEventStore({ databaseUrl, schema });
  await migrateTenancy({ databaseUrl, schema });
  await migrateProjections({ databaseUrl, schema });
  await ensureTopics({
    brokers: broker.brokers,
    topics: Object.values(Topics).map((topic) => ({ topic: withNamespace(topic, namespace), partitions: 3 })),
  });
  pool = createPool({ connectionString: databaseUrl, schema, max: 4, applicationName: 'l2o-drill' });
  // The connection fault ends these connections too; the pool replaces them, it must not crash the drill.
  pool.on('error', () => undefined);
  const { apiKey } = await createApiKey({
    pool,
    tenantId,
    name: 'fault-drill',
    scopes: ['ingest', 'administer_rules'],
  });

  supervisor = superviseServices({
    services: platformServices({ groupPrefix: namespace, ports: await freePorts(platformServiceNames.length) }),
    env: {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: broker.brokers.join(','),
      TOPIC_NAMESPACE: namespace,
      IMPORT_SPOOL_DIR: `${runDir}/imports`,
      LOG_LEVEL: 'info',
    },
    logDir: runDir,
    restartDelayMs: 1_000,
    root: codeDir,
  });
  const services = supervisor.services;
  log('starting the services…');
  await waitUntilServicesReady({ services: services.values(), timeoutMs: 180_000, logDir: runDir });
  log('every service is ready');
  await configureRouting(services.get('routing')?.url ?? '', apiKey);

  const ledger = createLeadLedger({
    ingestionUrl: services.get('ingestion')?.url ?? '',
    apiKey,
    runId,
    retryForMs: settings.recoveryTimeoutMs,
    maxInFlight: 16,
  });
  const drillPool = pool;
  let phase = 'warm-up';
  let lastAccepted = 0;
  progressTimer = setInterval(() => {
    const accepted = ledger.accepted.size;
    const strong = [...ledger.accepted.values()].filter((lead) => lead.strong).length;
    const rate = ((accepted - lastAccepted) / 5).toFixed(0);
    lastAccepted = accepted;
    void readStageCounts(drillPool, tenantId).then((counts) =>
      log(
        `${phase}: ${accepted} leads accepted (${rate}/s), ` +
          `${counts === undefined ? 'stages unknown' : describeBehind(behind(counts, { leads: accepted, strong }))}, ` +
          `${ledger.stats.failedAttempts} failed attempts, ${supervisor?.unplannedExits.length ?? 0} unplanned exits`,
      ),
    );
  }, 5_000);
  const load = startSteadyLoad({ ledger, ratePerSecond: settings.ratePerSecond, batchSize: settings.batchSize });
  await delay(settings.warmupMs);

  const injected: InjectedIntake[] = [];
  const context: FaultContext = {
    supervisor,
    broker,
    admin,
    injectPoison: async () => {
      const intake = await injectPoison({
        brokers: broker.brokers,
        topic: withNamespace(Topics.leadIntake, namespace),
        tenantId,
        runId,
      });
      injected.push(intake);
      return intake;
    },
  };
  const measure = (fault: Fault) =>
    runFault({
      fault,
      context,
      ledger,
      pool: drillPool,
      timeoutMs: settings.recoveryTimeoutMs,
      // After poison, progress means the valid message behind it on the same partition was captured.
      extraProgress:
        fault.name === allFaults.get('poison')?.name
          ? async () => {
              const control = injected.at(-1)?.control.id;
              const found = await drillPool
                .query("SELECT 1 FROM events WHERE type = 'LeadCaptured' AND data->>'captureId' = $1", [
                  `intake:${control}`,
                ])
                .catch(() => undefined);
              return (found?.rowCount ?? 0) > 0;
            }
          : undefined,
    });

  const expectedNow = () => {
    const leads = [...ledger.accepted.values()];
    return { leads: leads.length, strong: leads.filter((lead) => lead.strong).length };
  };
  /** A fault starts from a platform that has caught up with the load, or says how far behind it was. */
  const measureCaughtUp = async (fault: Fault): Promise<FaultResult> => {
    phase = `catching up before: ${fault.name}`;
    const caughtUp = await waitUntilCaughtUp({
      pool: drillPool,
      tenantId,
      expected: expectedNow(),
      maxMs: settings.catchUpMs,
    });
    phase = fault.name;
    log(`fault: ${fault.name}`);
    const result = await measure(fault);
    if (!caughtUp.complete && caughtUp.lag !== undefined) {
      result.notes.unshift(`platform ${describeBehind(caughtUp.lag)} leads at the fault (is --rate too high here?)`);
    }
    return result;
  };

  const baseline = await measureCaughtUp(noFault);
  log(`baseline: a lead goes through in ${((baseline.progressAfterMs ?? Number.NaN) / 1000).toFixed(1)} s`);
  const results: FaultResult[] = [];
  const faultsBegan = Date.now();
  const skipped: string[] = [];
  for (const name of faultNames) {
    if (Date.now() - faultsBegan > settings.faultBudgetMs) {
      skipped.push((allFaults.get(name) as Fault).name);
      continue;
    }
    await delay(settings.settleMs);
    const result = await measureCaughtUp(allFaults.get(name) as Fault);
    results.push(result);
    const recovered =
      result.readyAfterMs === undefined || result.progressAfterMs === undefined
        ? `not recovered within ${settings.recoveryTimeoutMs / 1000} s (probe missing: ${result.probe.missing.join(', ') || 'none'})`
        : `ready after ${(result.readyAfterMs / 1000).toFixed(1)} s, a lead through after ${(result.progressAfterMs / 1000).toFixed(1)} s`;
    log(`${result.fault}: ${recovered}${result.notes.length > 0 ? `; ${result.notes.join('; ')}` : ''}`);
  }
  await delay(settings.settleMs);
  phase = 'stopping the load';
  await load.stop();
  clearInterval(progressTimer);
  const leads = [...ledger.accepted.values()];
  log(`load stopped: ${leads.length} leads accepted; waiting for the read models to catch up`);
  const drained = await waitUntilCaughtUp({
    pool: drillPool,
    tenantId,
    expected: expectedNow(),
    maxMs: settings.drainTimeoutMs,
    stallMs: 30_000,
    quietMs: 5_000,
    wholeTimeline: true,
    onProgress: (lag) => log(`draining: ${describeBehind(lag)}`),
  });
  log(
    drained.complete
      ? `caught up after ${(drained.ms / 1000).toFixed(1)} s`
      : `the read models did not catch up (${drained.lag === undefined ? 'unknown' : describeBehind(drained.lag)}); reconciling anyway`,
  );

  const reconciliation = await reconcile({
    pool: drillPool,
    tenantId,
    accepted: ledger.accepted,
    brokers: broker.brokers,
    namespace,
    intakeGroup: intakeGroupOf(namespace),
    injected,
    log,
  });
  const result: DrillResult = {
    runId,
    startedAt: new Date(started).toISOString(),
    settings: { ...settings, quick, schema, namespace, logs: runDir },
    code,
    baseline,
    faults: results,
    skipped,
    drainMs: drained.ms,
    drainComplete: drained.complete,
    load: {
      ...ledger.stats,
      acceptedLeads: leads.length,
      strongLeads: leads.filter((lead) => lead.strong).length,
      probes: leads.filter((lead) => lead.probe).length,
    },
    unplannedExits: supervisor.unplannedExits,
    reconciliation,
  };
  printReport(result, console.log);
  const files = await writeReport(result, `${root}bench-results/drill`);
  log(`results written to ${files.map((file) => file.replace(root, '')).join(' and ')}`);
} catch (error) {
  console.error(`drill failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await shutDown();
}
