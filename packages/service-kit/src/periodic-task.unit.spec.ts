import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import { createPeriodicTask } from './periodic-task.ts';

const logger = createLogger({ name: 'periodic-task-test', level: 'silent' });

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('a periodic task', () => {
  it('ticks at start, drains a backlog without waiting, then waits for the interval', async () => {
    const reports = [3, 3, 1];
    const drained = deferred();
    let calls = 0;
    const task = createPeriodicTask({
      name: 'drain',
      intervalMs: 60_000,
      fullBatch: 3,
      logger,
      tick: async () => {
        calls += 1;
        const done = reports.shift() ?? 0;
        if (reports.length === 0) drained.resolve();
        return done;
      },
    });

    task.start();
    await drained.promise;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await task.stop();

    expect(calls).toBe(3);
  });

  it('goes on after a failing tick', async () => {
    let calls = 0;
    const second = deferred();
    const task = createPeriodicTask({
      name: 'flaky',
      intervalMs: 5,
      logger,
      tick: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database unavailable');
        second.resolve();
        return 0;
      },
    });

    task.start();
    await second.promise;
    await task.stop();

    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('waits for a running tick when stopped, and ticks no more', async () => {
    const release = deferred();
    const entered = deferred();
    let calls = 0;
    let finished = false;
    const task = createPeriodicTask({
      name: 'slow',
      intervalMs: 1,
      logger,
      tick: async () => {
        calls += 1;
        entered.resolve();
        await release.promise;
        finished = true;
        return 0;
      },
    });

    task.start();
    await entered.promise;
    const stopping = task.stop();
    release.resolve();
    await stopping;
    const callsAtStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(finished).toBe(true);
    expect(calls).toBe(callsAtStop);
  });
});
