import { describe, expect, it } from 'vitest';
import type { ConsumerState } from './background-consumer.ts';
import { consumerReadiness } from './consumer-readiness.ts';

const consumerIn = (state: ConsumerState) => ({ name: 'lead consumer', state: () => state });

describe('consumerReadiness', () => {
  it('is named after the consumer', () => {
    expect(consumerReadiness(consumerIn('joining')).name).toBe('lead consumer');
  });

  it('passes while the consumer is still joining its group, reporting that state', async () => {
    await expect(consumerReadiness(consumerIn('joining')).check()).resolves.toBe('joining');
  });

  it('passes once the consumer is consuming', async () => {
    await expect(consumerReadiness(consumerIn('consuming')).check()).resolves.toBe('consuming');
  });

  it('fails when the consumer stopped for good', async () => {
    await expect(consumerReadiness(consumerIn('failed')).check()).rejects.toThrow('stopped for good');
  });
});
