import { describe, expect, it } from 'vitest';
import { startInBackground } from './background-consumer.ts';
import type { ConsumerRunner } from './consumer-runner.ts';

/** A promise with its settle functions, to play a runner's start and join step by step. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A runner whose join the test settles, recording whether it was stopped. */
function fakeRunner() {
  const joined = deferred<void>();
  const runner: ConsumerRunner & { stops: number } = {
    ready: joined.promise,
    stops: 0,
    async stop() {
      runner.stops += 1;
      joined.reject(new Error('stopped before it was ready'));
    },
  };
  joined.promise.catch(() => undefined);
  return { runner, joined };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('startInBackground', () => {
  it('is joining until the runner is ready, then consuming', async () => {
    const start = deferred<ConsumerRunner>();
    const { runner, joined } = fakeRunner();
    const consumer = startInBackground({ name: 'lead consumer', start: () => start.promise, onFatalError: () => {} });
    expect(consumer.state()).toBe('joining');
    start.resolve(runner);
    await tick();
    expect(consumer.state()).toBe('joining');
    joined.resolve();
    await consumer.ready;
    expect(consumer.state()).toBe('consuming');
  });

  it('stopped while the start is in progress, waits for it and then stops the runner', async () => {
    const start = deferred<ConsumerRunner>();
    const { runner } = fakeRunner();
    const consumer = startInBackground({ name: 'lead consumer', start: () => start.promise, onFatalError: () => {} });
    const stopping = consumer.stop();
    await tick();
    expect(consumer.state()).toBe('stopping');
    expect(runner.stops).toBe(0);
    start.resolve(runner);
    await stopping;
    expect(runner.stops).toBe(1);
    expect(consumer.state()).toBe('stopped');
    await expect(consumer.ready).rejects.toThrow('stopped before it was ready');
  });

  it('stops the runner once however often it is asked', async () => {
    const { runner, joined } = fakeRunner();
    const consumer = startInBackground({ name: 'lead consumer', start: async () => runner, onFatalError: () => {} });
    joined.resolve();
    await consumer.ready;
    await Promise.all([consumer.stop(), consumer.stop()]);
    expect(runner.stops).toBe(1);
  });

  it('reports a start that fails once as fatal', async () => {
    const failures: Error[] = [];
    const consumer = startInBackground({
      name: 'lead consumer',
      start: async () => {
        throw new Error('There is no leader for this topic-partition');
      },
      onFatalError: (error) => failures.push(error),
    });
    await expect(consumer.ready).rejects.toThrow('no leader');
    await tick();
    expect(failures.map((error) => error.message)).toEqual(['There is no leader for this topic-partition']);
    expect(consumer.state()).toBe('failed');
  });

  it('hands the runner an onFatalError that marks the consumer failed and reports once', async () => {
    const failures: Error[] = [];
    const { runner } = fakeRunner();
    let runnerFatal: (error: Error) => void = () => undefined;
    const consumer = startInBackground({
      name: 'lead consumer',
      start: async (onFatalError) => {
        runnerFatal = onFatalError;
        return runner;
      },
      onFatalError: (error) => failures.push(error),
    });
    await tick();
    runnerFatal(new Error('coordinator gone'));
    runnerFatal(new Error('coordinator gone again'));
    expect(consumer.state()).toBe('failed');
    expect(failures).toHaveLength(1);
  });

  it('does not report a start that fails after it was asked to stop', async () => {
    const failures: Error[] = [];
    const start = deferred<ConsumerRunner>();
    const consumer = startInBackground({
      name: 'lead consumer',
      start: () => start.promise,
      onFatalError: (error) => failures.push(error),
    });
    const stopping = consumer.stop();
    start.reject(new Error('connection closed'));
    await stopping;
    expect(failures).toEqual([]);
    expect(consumer.state()).toBe('stopped');
  });
});
