// The faults the drill injects, and how long the platform takes to get over each: every service
// ready again and a lead sent at the fault all the way through.
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import type { FaultResult } from './drill-report.ts';
import type { InjectedIntake } from './poison-messages.ts';
import { probeProgress } from './progress-probe.ts';
import type { LeadLedger } from '../platform/lead-ledger.ts';
import type { LocalBroker } from '../platform/local-broker.ts';
import { platformServiceNames } from '../platform/platform-services.ts';
import type { ServiceSupervisor } from '../platform/service-supervisor.ts';

export type FaultContext = {
  supervisor: ServiceSupervisor;
  broker: LocalBroker;
  /** Connected to the drill's database; the one connection the connection fault spares. */
  admin: pg.Client;
  injectPoison: () => Promise<InjectedIntake>;
};

/** A fault; `inject` returns what the table should say about it (e.g. how many connections it ended). */
export type Fault = { name: string; inject: (context: FaultContext) => Promise<string[]> };

export function killService(name: string): Fault {
  return {
    name: `SIGKILL ${name}`,
    inject: async ({ supervisor }) => {
      const service = supervisor.services.get(name);
      if (service === undefined) throw new Error(`no service ${name} to kill`);
      await service.kill();
      return [];
    },
  };
}

export const restartBroker: Fault = {
  name: 'restart Kafka broker',
  inject: async ({ broker }) => {
    await broker.stop();
    await broker.start();
    return [];
  },
};

export const terminateConnections: Fault = {
  name: 'terminate PostgreSQL connections',
  inject: async ({ admin }) => {
    const result = await admin.query<{ ended: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return [`${result.rows[0]?.ended ?? 0} connections ended`];
  },
};

/** Nothing at all: what a lead takes end to end on a healthy platform, for comparison. */
export const noFault: Fault = { name: 'none (baseline)', inject: async () => [] };

export const poisonIntake: Fault = {
  name: 'poison on the intake topic',
  inject: async ({ injectPoison }) => {
    const injected = await injectPoison();
    return [`${injected.poison.length} poison messages and 1 valid one sent`];
  },
};

/** Every fault by the name `--faults` takes: a service name, `broker`, `postgres` or `poison`. */
export function faultsByName(): Map<string, Fault> {
  return new Map<string, Fault>([
    ...platformServiceNames.map((name): [string, Fault] => [name, killService(name)]),
    ['broker', restartBroker],
    ['postgres', terminateConnections],
    ['poison', poisonIntake],
  ]);
}

/**
 * Injects `fault` and measures, from the moment it began, until every service answers /ready and
 * until a lead sent at that moment is scored, assigned, projected and attributed.
 */
export async function runFault(options: {
  fault: Fault;
  context: FaultContext;
  ledger: LeadLedger;
  pool: pg.Pool;
  timeoutMs: number;
  /** Waited for before the probe is sent, e.g. the injected poison being consumed. */
  extraProgress?: () => Promise<boolean>;
}): Promise<FaultResult> {
  const { fault, context } = options;
  const services = [...context.supervisor.services.values()];
  const startedAt = Date.now();
  const failedBefore = options.ledger.stats.failedAttempts;
  const deadline = startedAt + options.timeoutMs;
  const unready = new Set<string>();
  // Read by the readiness loop while the fault is being injected: ready counts only after injection.
  const injection: { at?: number } = {};

  const readiness = (async () => {
    while (Date.now() < deadline) {
      const answers = await Promise.all(
        services.map(async (service) => [service.name, await service.isReady()] as const),
      );
      for (const [name, ready] of answers) if (!ready) unready.add(name);
      if (injection.at !== undefined && answers.every(([, ready]) => ready)) return Date.now() - startedAt;
      await delay(250);
    }
    return undefined;
  })();
  const probe = probeProgress({ ledger: options.ledger, pool: options.pool, startedAt, deadline });
  const notes = await fault
    .inject(context)
    .catch((error: unknown) => [`injecting failed: ${(error as Error).message}`]);
  const injectedAt = Date.now();
  injection.at = injectedAt;
  const [readyAfterMs, probed] = await Promise.all([readiness, probe]);
  let progressAfterMs = probed.missing.length === 0 ? Math.max(...Object.values(probed.stages).map(Number)) : undefined;
  if (options.extraProgress !== undefined && progressAfterMs !== undefined) {
    while (!(await options.extraProgress()) && Date.now() < deadline) await delay(250);
    progressAfterMs = Date.now() < deadline ? Math.max(progressAfterMs, Date.now() - startedAt) : undefined;
  }
  // Batches the clients had to retry while the fault lasted (refused, reset, 5xx or timed out).
  const failed = options.ledger.stats.failedAttempts - failedBefore;
  if (failed > 0) notes.push(`${failed} batch attempts failed and were retried`);
  return {
    fault: fault.name,
    startedAt,
    injectedAfterMs: injectedAt - startedAt,
    readyAfterMs,
    progressAfterMs,
    probe: probed,
    unready: [...unready],
    notes,
  };
}
