import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./test-fixtures/run-service.fixture.ts', import.meta.url));

/** Runs the fixture service as its own process, since runService owns signals and the exit code. */
function runFixture(mode: string) {
  const child = spawn(process.execPath, [fixture, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages: string[] = [];
  const waiters: Array<{ message: string; resolve: () => void }> = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const { msg } = JSON.parse(line) as { msg: string };
      messages.push(msg);
      for (const waiter of waiters) if (waiter.message === msg) waiter.resolve();
    }
  });
  return {
    messages,
    exitCode: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (signal: NodeJS.Signals) => child.kill(signal),
    logged: (message: string) =>
      messages.includes(message)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ message, resolve })),
  };
}

describe('runService', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops the service on %s and exits 0', async (signal) => {
    const service = runFixture('normal');
    await service.logged('fixture started');
    service.kill(signal);
    expect(await service.exitCode).toBe(0);
    expect(service.messages).toEqual(['fixture started', 'fixture stopping', 'stop called', 'fixture stopped']);
  });

  it('logs an uncaught error as fatal, stops the service and exits 1', async () => {
    const service = runFixture('crash');
    expect(await service.exitCode).toBe(1);
    expect(service.messages).toEqual([
      'fixture started',
      'fixture crashed, stopping',
      'stop called',
      'fixture stopped',
    ]);
  });

  it('exits 1 when the service fails to start', async () => {
    const service = runFixture('fail-start');
    expect(await service.exitCode).toBe(1);
    expect(service.messages).toEqual(['fixture failed to start']);
  });

  it('exits 1 when stopping outlasts the shutdown timeout', async () => {
    const service = runFixture('hang');
    await service.logged('fixture started');
    service.kill('SIGTERM');
    expect(await service.exitCode).toBe(1);
    expect(service.messages).toEqual([
      'fixture started',
      'fixture stopping',
      'stop called',
      'fixture did not stop within 500 ms, exiting',
    ]);
  });
});

describe('exitOnFatalError', () => {
  it('logs the part as stopped for good and exits 1 without stopping the rest', async () => {
    const service = runFixture('part-fatal');
    expect(await service.exitCode).toBe(1);
    // The fatal line is flushed synchronously at exit, so it may overtake the start line still being written.
    expect(service.messages.toSorted()).toEqual(['fixture started', 'lead consumer stopped for good']);
  });
});
