// Runs each service as its own process, as scripts/platform.ts does, restarting one that exits; the
// drill kills them on purpose and needs to know which exits it did not cause, the end-to-end benchmark
// samples their memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** An exit the caller did not cause: the service crashed or gave up on a dependency by itself. */
export type UnplannedExit = { service: string; at: number; how: string };

export type SupervisedService = {
  name: string;
  url: string;
  /** SIGKILL, as a crash would; the supervisor starts it again at once, as an orchestrator would. */
  kill: () => Promise<void>;
  /** Whether `/ready` answers 200 right now. */
  isReady: () => Promise<boolean>;
  /** The running process, undefined between an exit and the restart. */
  pid: () => number | undefined;
};

export type ServiceSupervisor = {
  services: Map<string, SupervisedService>;
  unplannedExits: UnplannedExit[];
  /** Stops every service (SIGTERM, then SIGKILL after 15 s) and restarts none. */
  stopAll: () => Promise<void>;
};

/**
 * Starts `services` with `env` (plus each one's PORT and env), appending their output to
 * `<logDir>/<name>.log`. A process that exits is started again after `restartDelayMs`.
 */
export function superviseServices(options: {
  services: ReadonlyArray<{ name: string; port: number; env?: Record<string, string> }>;
  env: Record<string, string>;
  logDir: string;
  restartDelayMs: number;
  /** The checkout whose `services/` are run (default: this repository); the drill runs a snapshot of it. */
  root?: string;
}): ServiceSupervisor {
  const unplannedExits: UnplannedExit[] = [];
  const children = new Map<string, ChildProcess>();
  const logs = new Map<string, WriteStream>();
  const killing = new Set<string>();
  let stopping = false;

  const start = (spec: { name: string; port: number; env?: Record<string, string> }) => {
    let log = logs.get(spec.name);
    if (log === undefined) {
      log = createWriteStream(join(options.logDir, `${spec.name}.log`), { flags: 'a' });
      logs.set(spec.name, log);
    }
    log.write(`--- supervisor: starting ${spec.name} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, [`services/${spec.name}/src/main.ts`], {
      cwd: options.root ?? repositoryRoot,
      env: { ...process.env, ...options.env, ...spec.env, PORT: String(spec.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    children.set(spec.name, child);
    child.once('exit', (code, signal) => {
      const how = signal ?? `code ${code}`;
      log.write(`--- supervisor: ${spec.name} exited (${how}) at ${new Date().toISOString()}\n`);
      if (children.get(spec.name) === child) children.delete(spec.name);
      if (stopping) return;
      if (killing.delete(spec.name)) {
        start(spec);
        return;
      }
      unplannedExits.push({ service: spec.name, at: Date.now(), how });
      setTimeout(() => {
        if (!stopping) start(spec);
      }, options.restartDelayMs);
    });
  };

  const services = new Map<string, SupervisedService>();
  for (const spec of options.services) {
    const url = `http://127.0.0.1:${spec.port}`;
    services.set(spec.name, {
      name: spec.name,
      url,
      kill: async () => {
        const child = children.get(spec.name);
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
        killing.add(spec.name);
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      },
      pid: () => children.get(spec.name)?.pid,
      isReady: async () =>
        fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => response.status === 200,
          () => false,
        ),
    });
    start(spec);
  }

  // A script that dies must not leave services holding ports and consumer groups.
  const killAll = () => {
    for (const child of children.values()) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  return {
    services,
    unplannedExits,
    stopAll: async () => {
      stopping = true;
      const running = [...children.values()];
      const exits = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
      for (const child of running) child.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const child of running) child.kill('SIGKILL');
      }, 15_000);
      await Promise.all(exits);
      clearTimeout(timer);
      process.off('exit', killAll);
      await Promise.all([...logs.values()].map((log) => new Promise((resolve) => log.end(resolve))));
    },
  };
}
