import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createConsumerMetrics, createPublisherMetrics } from './bus-metrics.ts';
import { metricSamples, metricValue } from './metrics-test-support.ts';

describe('consumer metrics', () => {
  it('counts messages by group, topic and outcome', async () => {
    const registry = new Registry();
    const metrics = createConsumerMetrics({ registry, groupId: 'projections.leads' });
    metrics.resolved({ topic: 'l2o.lead.v1', outcome: 'handled' });
    metrics.resolved({ topic: 'l2o.lead.v1', outcome: 'handled' });
    metrics.resolved({ topic: 'l2o.lead.v1', outcome: 'skipped' });
    metrics.resolved({ topic: 'l2o.lead.v1', outcome: 'dead_lettered' });

    const base = { group: 'projections.leads', topic: 'l2o.lead.v1' };
    expect(await metricValue(registry, 'l2o_consumer_messages_total', { ...base, outcome: 'handled' })).toBe(2);
    expect(await metricValue(registry, 'l2o_consumer_messages_total', { ...base, outcome: 'skipped' })).toBe(1);
    expect(await metricValue(registry, 'l2o_consumer_messages_total', { ...base, outcome: 'dead_lettered' })).toBe(1);
  });

  it('counts handler failures by error kind', async () => {
    const registry = new Registry();
    const metrics = createConsumerMetrics({ registry, groupId: 'g' });
    metrics.handlerFailed({ topic: 't', kind: 'transient' });
    metrics.handlerFailed({ topic: 't', kind: 'transient' });
    metrics.handlerFailed({ topic: 't', kind: 'permanent' });

    expect(await metricValue(registry, 'l2o_consumer_handler_failures_total', { kind: 'transient' })).toBe(2);
    expect(await metricValue(registry, 'l2o_consumer_handler_failures_total', { kind: 'permanent' })).toBe(1);
    expect(await metricValue(registry, 'l2o_consumer_handler_failures_total', { kind: 'unknown' })).toBeUndefined();
  });

  it('times each handler call', async () => {
    const registry = new Registry();
    const metrics = createConsumerMetrics({ registry, groupId: 'g' });
    metrics.startHandling({ topic: 't' })();
    metrics.startHandling({ topic: 't' })();

    const count = (await metricSamples(registry, 'l2o_consumer_handle_duration_seconds')).find(
      (sample) => sample.metricName === 'l2o_consumer_handle_duration_seconds_count',
    );
    expect(count).toMatchObject({ labels: { group: 'g', topic: 't' }, value: 2 });
  });

  describe('lag', () => {
    it('is the high watermark minus the next offset to process', async () => {
      const registry = new Registry();
      const metrics = createConsumerMetrics({ registry, groupId: 'g' });
      metrics.positioned({ topic: 't', partition: 3, nextOffset: 41, highWatermark: '100' });

      expect(await metricValue(registry, 'l2o_consumer_lag', { group: 'g', topic: 't', partition: '3' })).toBe(59);
      metrics.positioned({ topic: 't', partition: 3, nextOffset: 100, highWatermark: '100' });
      expect(await metricValue(registry, 'l2o_consumer_lag', { partition: '3' })).toBe(0);
    });

    it('drops the partitions a rebalance took away, and all of them on release', async () => {
      const registry = new Registry();
      const metrics = createConsumerMetrics({ registry, groupId: 'g' });
      for (const partition of [0, 1, 2])
        metrics.positioned({ topic: 't', partition, nextOffset: 5, highWatermark: '9' });

      metrics.assigned({ t: [1] });
      const kept = await metricSamples(registry, 'l2o_consumer_lag');
      expect(kept.map((sample) => sample.labels.partition)).toEqual(['1']);

      metrics.released();
      expect(await metricSamples(registry, 'l2o_consumer_lag')).toEqual([]);
    });

    it('leaves the lag of other groups on the same registry alone', async () => {
      const registry = new Registry();
      const leads = createConsumerMetrics({ registry, groupId: 'leads' });
      const scoring = createConsumerMetrics({ registry, groupId: 'scoring' });
      leads.positioned({ topic: 't', partition: 0, nextOffset: 1, highWatermark: '4' });
      scoring.positioned({ topic: 't', partition: 0, nextOffset: 2, highWatermark: '4' });

      leads.released();
      const left = await metricSamples(registry, 'l2o_consumer_lag');
      expect(left).toEqual([
        expect.objectContaining({ labels: { group: 'scoring', topic: 't', partition: '0' }, value: 2 }),
      ]);
    });
  });

  it('lets several consumers share one registry', async () => {
    const registry = new Registry();
    createConsumerMetrics({ registry, groupId: 'a' }).resolved({ topic: 't', outcome: 'handled' });
    createConsumerMetrics({ registry, groupId: 'b' }).resolved({ topic: 't', outcome: 'handled' });

    const handled = await metricSamples(registry, 'l2o_consumer_messages_total');
    expect(handled.map((sample) => [sample.labels.group, sample.value])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('records nothing without a registry', () => {
    const metrics = createConsumerMetrics({ registry: undefined, groupId: 'g' });
    expect(() => {
      metrics.resolved({ topic: 't', outcome: 'handled' });
      metrics.handlerFailed({ topic: 't', kind: 'unknown' });
      metrics.startHandling({ topic: 't' })();
      metrics.positioned({ topic: 't', partition: 0, nextOffset: 0, highWatermark: '1' });
      metrics.assigned({});
      metrics.released();
    }).not.toThrow();
  });
});

describe('publisher metrics', () => {
  it('counts acknowledged messages by topic, on a registry other publishers share', async () => {
    const registry = new Registry();
    createPublisherMetrics({ registry }).published({ topic: 'l2o.lead.v1', count: 3 });
    createPublisherMetrics({ registry }).published({ topic: 'l2o.lead.v1', count: 2 });
    createPublisherMetrics({ registry }).published({ topic: 'l2o.opportunity.v1', count: 1 });

    expect(await metricValue(registry, 'l2o_published_messages_total', { topic: 'l2o.lead.v1' })).toBe(5);
    expect(await metricValue(registry, 'l2o_published_messages_total', { topic: 'l2o.opportunity.v1' })).toBe(1);
  });
});
