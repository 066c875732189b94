import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from './keyed-queue.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('createKeyedQueue', () => {
  it('runs work of one key one at a time, in arrival order', async () => {
    const queue = createKeyedQueue();
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run('lead-1', async () => {
      order.push('first started');
      await gate.promise;
      order.push('first done');
    });
    const second = queue.run('lead-1', async () => {
      order.push('second started');
    });
    await Promise.resolve();
    gate.resolve();
    await Promise.all([first, second]);

    expect(order).toEqual(['first started', 'first done', 'second started']);
  });

  it('runs work of different keys concurrently', async () => {
    const queue = createKeyedQueue();
    const gate = deferred();
    const blocked = queue.run('lead-1', () => gate.promise);
    const other = await queue.run('lead-2', async () => 'ran');

    expect(other).toBe('ran');
    gate.resolve();
    await blocked;
  });

  it('goes on with the next work after one fails, and hands the failure to its caller', async () => {
    const queue = createKeyedQueue();
    const failing = queue.run('lead-1', async () => {
      throw new Error('boom');
    });
    const next = queue.run('lead-1', async () => 'next');

    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
