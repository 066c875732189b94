// How fast a consumer recovers from a crash, on the real broker, to choose the session timeout and the
// heartbeat (docs/design/consumer-recovery.md). Prints, for each session timeout:
//   - how long a member restarted right after a SIGKILL takes to get its partitions back, and to handle
//     a message published just after the restart (the dead member holds them until its session expires);
//   - how long a graceful stop takes while consuming, and while the restarted member is still joining;
// then runs relay, ingestion, scoring, routing and projections on a burst of leads and prints the
// longest handler call of each consumer group: a client that heartbeats only between messages (kafkajs
// did) needs one call to end well within the session timeout.
//   scripts/benchmark consumer-recovery [--session-timeouts 6000,10000,30000] [--leads 300]
// Uses KAFKA_BROKERS and a throw-away schema in DATABASE_URL (default: the `test` database).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPublisher, ensureTopics } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import { migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { createApiKey, migrateTenancy } from '@l2o/tenancy';
import { freePorts, freshSchema, kafkaBrokers, spawnService, uniqueSuffix, waitFor } from '@l2o/testing';
import type { ServiceProcess } from '@l2o/testing';
import { progress } from './lib/measure.ts';

const { values } = parseArgs({
  options: {
    'session-timeouts': { type: 'string', default: '6000,10000,30000' },
    leads: { type: 'string', default: '300' },
  },
});
const sessionTimeouts = values['session-timeouts'].split(',').map(Number);
const totalLeads = Number(values.leads);
if (
  sessionTimeouts.some((ms) => !Number.isInteger(ms) || ms < 6_000) ||
  !Number.isInteger(totalLeads) ||
  totalLeads < 0
) {
  console.error('usage: scripts/benchmark consumer-recovery [--session-timeouts MS,… each ≥ 6000] [--leads N ≥ 0]');
  process.exit(2);
}

const memberScript = fileURLToPath(new URL('./lib/recovery-member.ts', import.meta.url));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

type Member = {
  process: ChildProcess;
  startedAt: number;
  /** When the member printed `step` (for `handled`, with that event id), in this process's clock. */
  reached: (step: string, id?: string) => Promise<number>;
  exited: Promise<number | null>;
};

/** Starts a member process; its JSON step lines are timed as they arrive. */
function startMember(options: { topic: string; group: string; sessionTimeoutMs: number }): Member {
  const heartbeat = Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3));
  const child = spawn(
    process.execPath,
    [
      memberScript,
      ...['--topic', options.topic, '--group', options.group],
      ...['--session-timeout', String(options.sessionTimeoutMs), '--heartbeat', String(heartbeat)],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const seen = new Map<string, number>();
  const waiting = new Map<string, Array<(at: number) => void>>();
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const at = performance.now();
    let parsed: { step?: string; id?: string };
    try {
      parsed = JSON.parse(line) as { step?: string; id?: string };
    } catch {
      return;
    }
    const key = parsed.id === undefined ? String(parsed.step) : `${parsed.step}:${parsed.id}`;
    if (!seen.has(key)) seen.set(key, at);
    for (const resolve of waiting.get(key) ?? []) resolve(at);
    waiting.delete(key);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    startedAt: performance.now(),
    exited,
    reached: (step, id) => {
      const key = id === undefined ? step : `${step}:${id}`;
      const at = seen.get(key);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        waiting.set(key, [...(waiting.get(key) ?? []), resolve]);
        void exited.then((code) => reject(new Error(`member exited (${code}) before ${key}`)));
      });
    },
  };
}

async function kill(member: Member): Promise<void> {
  member.process.kill('SIGKILL');
  await member.exited;
}

async function measureRejoin(sessionTimeoutMs: number): Promise<string[]> {
  const topic = `bench.recovery.${uniqueSuffix()}`;
  const group = `bench-recovery-${uniqueSuffix()}`;
  await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 3 }] });
  const publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'recovery-bench' });
  await publisher.connect();
  let sent = 0;
  const publish = async (): Promise<string> => {
    sent += 1;
    const id = `${group}-${sent}`;
    await publisher.publish(topic, [
      {
        key: `lead-${sent}`,
        event: {
          specversion: '1.0',
          id,
          type: 'l2o.lead.captured.v1',
          source: '/l2o/bench',
          subject: `lead-${sent}`,
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          tenantid: 'bench',
          streamversion: 1,
          data: {},
        },
      },
    ]);
    return id;
  };
  try {
    const first = startMember({ topic, group, sessionTimeoutMs });
    await first.reached('ready');
    await first.reached('handled', await publish());
    await kill(first);
    const killedAt = performance.now();
    const restarted = startMember({ topic, group, sessionTimeoutMs });
    const afterRestart = await publish();
    const upAt = await restarted.reached('started');
    const readyAt = await restarted.reached('ready');
    const handledAt = await restarted.reached('handled', afterRestart);
    const stopAsked = performance.now();
    restarted.process.kill('SIGTERM');
    await restarted.exited;
    const consumingStopMs = performance.now() - stopAsked;

    // A SIGTERM while the member is still joining: the stop waits for the join, then leaves the group.
    const doomed = startMember({ topic, group, sessionTimeoutMs });
    await doomed.reached('ready');
    await kill(doomed);
    const joining = startMember({ topic, group, sessionTimeoutMs });
    await joining.reached('started');
    const joiningStopAsked = performance.now();
    joining.process.kill('SIGTERM');
    const joiningExit = await joining.exited;
    const joiningStopMs = performance.now() - joiningStopAsked;
    // It left cleanly, so the next member needs no session to expire.
    const next = startMember({ topic, group, sessionTimeoutMs });
    const nextReadyMs = (await next.reached('ready')) - (await next.reached('started'));
    await next.reached('handled', await publish());
    next.process.kill('SIGTERM');
    await next.exited;

    return [
      `session timeout ${seconds(sessionTimeoutMs)}:`,
      `  restarted member joined ${seconds(readyAt - killedAt)} after the kill (its process was up after ` +
        `${seconds(upAt - restarted.startedAt)}); a message published at the restart was handled ${seconds(handledAt - killedAt)} after the kill`,
      `  graceful stop while consuming: ${seconds(consumingStopMs)}; while still joining: ${seconds(joiningStopMs)} ` +
        `(exit code ${joiningExit}); the member after it joined ${seconds(nextReadyMs)} after its process was up`,
    ];
  } finally {
    await publisher.disconnect();
  }
}

type Histogram = { count: number; sum: number; buckets: Array<{ le: number; count: number }> };

/** The handler-duration histograms of one service's /metrics, by `group topic`. */
function handlerHistograms(metricsText: string): Map<string, Histogram> {
  const histograms = new Map<string, Histogram>();
  const entry = (labels: string): Histogram => {
    const group = /group="([^"]*)"/.exec(labels)?.[1] ?? '?';
    const topic = /topic="([^"]*)"/.exec(labels)?.[1] ?? '?';
    const key = `${group} ${topic}`;
    const found = histograms.get(key) ?? { count: 0, sum: 0, buckets: [] };
    histograms.set(key, found);
    return found;
  };
  for (const line of metricsText.split('\n')) {
    const match = /^l2o_consumer_handle_duration_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)$/.exec(line);
    if (match === null) continue;
    const [, kind, labels = '', value] = match;
    const histogram = entry(labels);
    if (kind === 'sum') histogram.sum = Number(value);
    else if (kind === 'count') histogram.count = Number(value);
    else histogram.buckets.push({ le: Number(/le="([^"]*)"/.exec(labels)?.[1]), count: Number(value) });
  }
  return histograms;
}

/** The smallest bucket bound holding `share` of the calls: an upper bound of that percentile. */
function bucketBound(histogram: Histogram, share: number): string {
  const bound = histogram.buckets
    .sort((a, b) => a.le - b.le)
    .find((bucket) => bucket.count >= share * histogram.count)?.le;
  return bound === undefined || bound === Infinity ? '> 10 s' : `≤ ${bound * 1000} ms`;
}

async function measureHandlers(): Promise<string[]> {
  const suffix = uniqueSuffix();
  const namespace = `bench-recovery-${suffix}`;
  const tenantId = `bench-${suffix}`;
  const db = await freshSchema('benchrecovery');
  const services: ServiceProcess[] = [];
  try {
    await migrateEventStore({ databaseUrl: db.databaseUrl, schema: db.schema });
    await migrateTenancy({ databaseUrl: db.databaseUrl, schema: db.schema });
    await ensureTopics({
      brokers: kafkaBrokers(),
      topics: [Topics.lead, Topics.opportunity, Topics.attribution, Topics.leadIntake].map((topic) => ({
        topic: withNamespace(topic, namespace),
        partitions: 3,
      })),
    });
    const pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
    const { apiKey } = await createApiKey({ pool, tenantId, name: 'bench', scopes: ['ingest', 'read_reports'] });
    const names = ['relay', 'ingestion', 'scoring', 'routing', 'projections'];
    const ports = await freePorts(names.length);
    for (const [index, name] of names.entries()) {
      const group = `bench-recovery-${name}-${suffix}`;
      services.push(
        spawnService({
          name,
          port: ports[index] ?? 0,
          env: {
            DATABASE_URL: db.databaseUrl,
            DATABASE_SCHEMA: db.schema,
            KAFKA_BROKERS: kafkaBrokers().join(','),
            TOPIC_NAMESPACE: namespace,
            INTAKE_CONSUMER_GROUP: `${group}-intake`,
            OUTCOMES_CONSUMER_GROUP: `${group}-outcomes`,
            LEAD_CONSUMER_GROUP: group,
            CONSUMER_GROUP: group,
            DEMO_TENANT: tenantId,
            LOG_LEVEL: 'warn',
          },
        }),
      );
    }
    await Promise.all(services.map((service) => service.ready()));
    const url = (name: string) => services[names.indexOf(name)]?.url ?? '';
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const response = await fetch(`${url('ingestion')}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`ingestion ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
      return answer;
    };

    // Strong and weak leads, a third of them engaged enough to qualify, so every consumer has work.
    const captured = progress('capturing leads', totalLeads);
    for (let first = 0; first < totalLeads; first += 100) {
      const items = Array.from({ length: Math.min(100, totalLeads - first) }, (_, n) => ({
        email: `lead.${first + n}.${suffix}@company-${(first + n) % 97}.example`,
        jobTitle: ['VP Sales', 'Analyst', 'CTO'][(first + n) % 3],
        company: { name: `Company ${(first + n) % 97}`, industry: 'software', size: 5000, country: 'US' },
        touchpoint: { channel: 'web_form', source: 'website', campaign: 'bench' },
      }));
      const answer = (await post('/v1/leads/batch', { items })) as { results?: Array<{ leadId?: string }> };
      const leadIds = (answer.results ?? []).flatMap((result) => (result.leadId ? [result.leadId] : []));
      for (const leadId of leadIds.filter((_, n) => n % 3 === 0)) {
        for (const type of ['pricing_page_view', 'content_download', 'demo_requested']) {
          await post('/v1/activities', { leadId, type, occurredAt: new Date().toISOString() });
        }
      }
      captured(first + items.length);
    }

    // Caught up: the event store has stopped growing and every consumer's lag is zero.
    let lastCount = -1;
    let quietSince = performance.now();
    await waitFor(
      'every consumer to catch up',
      async () => {
        const { rows } = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM events');
        const count = rows[0]?.count ?? 0;
        if (count !== lastCount) {
          lastCount = count;
          quietSince = performance.now();
          return false;
        }
        const texts = await Promise.all(names.map(async (name) => (await fetch(`${url(name)}/metrics`)).text()));
        const lagging = texts.some((text) => /^l2o_consumer_lag\{[^}]*\} [1-9]/m.test(text));
        return !lagging && performance.now() - quietSince > 3_000;
      },
      { timeoutMs: 600_000, intervalMs: 500 },
    );

    const lines = [`handler calls over ${totalLeads} leads (${lastCount} stored events):`];
    for (const name of ['scoring', 'routing', 'projections']) {
      const text = await (await fetch(`${url(name)}/metrics`)).text();
      for (const [key, histogram] of handlerHistograms(text)) {
        if (histogram.count === 0) continue;
        const mean = (histogram.sum / histogram.count) * 1000;
        lines.push(
          `  ${name} (${key}): ${histogram.count} calls, mean ${mean.toFixed(1)} ms, ` +
            `p99 ${bucketBound(histogram, 0.99)}, longest ${bucketBound(histogram, 1)}`,
        );
      }
    }
    await pool.end();
    return lines;
  } finally {
    await Promise.allSettled(services.map((service) => service.stop()));
    await db.drop();
  }
}

console.log(
  `consumer recovery on ${kafkaBrokers().join(',')} (heartbeat: the smaller of 3 s and a third of the session)`,
);
for (const sessionTimeoutMs of sessionTimeouts) {
  for (const line of await measureRejoin(sessionTimeoutMs)) console.log(line);
}
if (totalLeads > 0) for (const line of await measureHandlers()) console.log(line);
