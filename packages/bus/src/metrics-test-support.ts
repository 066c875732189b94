import type { Registry } from 'prom-client';

export type MetricSample = { labels: Record<string, string | number>; value: number; metricName?: string };

/** The samples of one metric (for a histogram, `metricName` tells bucket, sum and count apart). */
export async function metricSamples(registry: Registry, name: string): Promise<MetricSample[]> {
  const metric = (await registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  return (metric?.values ?? []) as MetricSample[];
}

/** The value of the first sample of `name` whose labels include `labels`, or undefined when there is none. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const found = (await metricSamples(registry, name)).find((sample) =>
    Object.entries(labels).every(([label, value]) => String(sample.labels[label]) === value),
  );
  return found?.value;
}
