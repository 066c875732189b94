import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@l2o/testing';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
// Enough to hold a stack trace and the log lines before it; older output is dropped.
const maxOutputChars = 64_000;

/** A service running as its own process, as in production: `node services/<name>/src/main.ts`. */
export type ServiceProcess = {
  name: string;
  url: string;
  /** What the process wrote so far (stderr, then stdout), for failure messages. */
  output: () => string;
  /** Resolves once `/ready` answers 200; rejects when the process exits first or the time runs out. */
  ready: (options?: { timeoutMs?: number }) => Promise<void>;
  /** SIGTERM, then SIGKILL if the process has not exited within `timeoutMs`. */
  stop: (options?: { timeoutMs?: number }) => Promise<void>;
  /** SIGKILL at once, as a crash would; resolves once the process has exited. */
  crash: () => Promise<void>;
};

function tail(text: string): string {
  return text.length > maxOutputChars ? text.slice(-maxOutputChars) : text;
}

/** Starts a service on `port` (bound to 127.0.0.1) with the test's environment on top of this process's. */
export function spawnService(options: { name: string; port: number; env: Record<string, string> }): ServiceProcess {
  const { name, port } = options;
  const child = spawn(process.execPath, [`services/${name}/src/main.ts`], {
    cwd: repositoryRoot,
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout = tail(stdout + chunk.toString());
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = tail(stderr + chunk.toString());
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
  });
  // A test run that dies before afterAll must not leave services holding ports and consumer groups.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  const url = `http://127.0.0.1:${port}`;
  const output = () => `--- ${name} stderr ---\n${stderr || '(empty)'}\n--- ${name} stdout ---\n${stdout || '(empty)'}`;

  return {
    name,
    url,
    output,
    async ready({ timeoutMs = 60_000 } = {}) {
      const answered = waitFor(
        `${name} to be ready on ${url}`,
        async () => (await fetch(`${url}/ready`)).status === 200,
        { timeoutMs, intervalMs: 100 },
      );
      const died = exited.then((how) => {
        throw new Error(`${name} ${how} before it was ready`);
      });
      await Promise.race([answered, died]).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${output()}`, { cause: error });
      });
    },
    async stop({ timeoutMs = 15_000 } = {}) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs `check`; when it fails, rethrows with every service's output appended, so the cause is in the report. */
export async function withServiceOutput<T>(services: readonly ServiceProcess[], check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const outputs = services.map((service) => service.output()).join('\n');
    throw new Error(`${message}\n\nservice output:\n${outputs}`, { cause: error });
  }
}
