// Shared by the benchmark scripts: latency percentiles, peak memory and a progress line.

/** The nearest-rank percentile `p` (0–100) of samples sorted ascending; NaN when there are none. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

export function latencySummary(samplesMs: number[]): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  return `p50 ${fmt(percentile(sorted, 50))}, p99 ${fmt(percentile(sorted, 99))}, max ${fmt(sorted.at(-1) ?? Number.NaN)}`;
}

/** Samples this process's resident memory until stopped; `peakMiB()` is the highest sample. */
export function trackPeakMemory(intervalMs = 50) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  timer.unref();
  return {
    peakMiB: () => Math.round((Math.max(peak, process.memoryUsage().rss) / 1024 / 1024) * 10) / 10,
    stop: () => clearInterval(timer),
  };
}

/** Rewrites one status line on a terminal; prints a line every few seconds elsewhere (CI logs). */
export function progress(label: string, total: number) {
  let lastPrint = 0;
  return (done: number) => {
    const now = Date.now();
    if (done < total && now - lastPrint < (process.stdout.isTTY ? 200 : 5_000)) return;
    lastPrint = now;
    const line = `${label}: ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.floor((done / total) * 100)}%)`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
    else console.log(line);
  };
}

export function perSecond(count: number, elapsedMs: number): string {
  return `${Math.round((count / elapsedMs) * 1000).toLocaleString('en')}/s`;
}
