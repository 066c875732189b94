// Kafka client benchmark: kafkajs against @platformatic/kafka on the same load and broker. Each run
// is a child process per client (so its peak RSS is its own) that, on fresh 3-partition topics:
//   1. produces N keyed messages (~600-byte JSON value, CloudEvents binary-mode headers), idempotent with
//      acks=all, in the publisher's chunks (up to 1,000 messages or 512 KiB per send, one send at a time);
//   2. consumes them through a new consumer group, committing the offsets of each fetched batch;
//   3. offers a fixed rate for a fixed time and measures end-to-end latency (due time → handler).
//   scripts/benchmark kafka-clients [--messages 200000] [--rate 2000] [--seconds 10] [--rounds 1]
// Needs Kafka at KAFKA_BROKERS (default the test broker 127.0.0.1:19092); deletes its topics at the end.
// Prints a table and writes JSON and Markdown to bench-results/kafka-clients/.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  Admin,
  compatibilityPartitioner,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringSerializers,
} from '@platformatic/kafka';
import type { Message as PlatformaticMessage, MessagesStream } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import type { EachBatchPayload, Message as KafkajsMessage } from 'kafkajs';
import { markdownTable, plainTable } from '../lib/text-table.ts';
import { progress, trackPeakMemory } from './lib/measure.ts';

const clients = ['kafkajs', 'platformatic'] as const;
type ClientName = (typeof clients)[number];

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '200000' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    'interleaved-chunks': { type: 'string', default: '200' },
    // Internal: a child process runs one client and writes its figures to --out.
    client: { type: 'string' },
    out: { type: 'string' },
    prefix: { type: 'string' },
  },
});
const settings = {
  messages: Number(values.messages),
  rate: Number(values.rate),
  seconds: Number(values.seconds),
  rounds: Number(values.rounds),
  interleavedChunks: Number(values['interleaved-chunks']),
};
const limits = { messages: 1_000_000, rate: 20_000, seconds: 120, rounds: 5, interleavedChunks: 2_000 };
for (const [name, value] of Object.entries(settings)) {
  const limit = limits[name as keyof typeof limits];
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    console.error(`--${name} must be an integer from 1 to ${limit}, got ${String(value)}`);
    console.error(
      'usage: scripts/benchmark kafka-clients [--messages N] [--rate N] [--seconds N] [--rounds N] [--interleaved-chunks N]',
    );
    process.exit(2);
  }
}
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const partitions = 3;
const keyCount = 10_000;
const valueBytes = 600;
// The publisher's chunking: one produce request per chunk.
const maxChunkMessages = 1_000;
const maxChunkBytes = 512 * 1024;
// The consumer runner's production defaults.
const timing = {
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 1_000,
};
// One fetch size for both: kafkajs's defaults (@platformatic/kafka's are 50 MiB for both).
const fetchBytes = { max: 10 * 1024 * 1024, perPartition: 1024 * 1024 };

type BenchMessage = { key: string; value: string; headers: Record<string, string> };

type RunFigures = {
  client: ClientName;
  version: string;
  produce: { messages: number; bytes: number; seconds: number; msgsPerSec: number; mbPerSec: number; cpuMs: number };
  consume: {
    messages: number;
    /** From subscribing to the first message: joining the group and the first fetch. */
    joinMs: number;
    /** From the first message to the last. */
    seconds: number;
    msgsPerSec: number;
    mbPerSec: number;
    commits: number;
    cpuMs: number;
  };
  latency: { offeredRate: number; seconds: number; messages: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** Peak resident memory of the run's process, by the end of each phase (so never decreasing). */
  peakRssMiB: { produce: number; consume: number; latency: number };
};

/** What one client must do for the three phases; both adapters follow the bus's settings. */
type ClientAdapter = {
  version: string;
  /** Sends the chunks one after the other, each acknowledged by all in-sync replicas. */
  produce(topic: string, chunks: readonly BenchMessage[][], onAcked: (count: number) => void): Promise<void>;
  /**
   * Joins `groupId` on `topic` from the earliest offset, calls `onMessage` per message in partition
   * order, commits each fetched batch's last offset per partition after handling it, and resolves once
   * `until()` holds. `onPositioned` fires when the member has joined and fetched.
   */
  consume(options: {
    topic: string;
    groupId: string;
    onMessage: (headers: Record<string, string>, value: string) => void;
    onPositioned?: () => void;
    until: () => boolean;
    onCommit: () => void;
  }): Promise<void>;
  close(): Promise<void>;
};

// ---------------------------------------------------------------- kafkajs

async function kafkajsAdapter(): Promise<ClientAdapter> {
  const { Kafka, logLevel, Partitioners } = kafkajs;
  const version = JSON.parse(await readFile(new URL(import.meta.resolve('kafkajs/package.json')), 'utf8')).version;
  const kafka = new Kafka({ brokers, clientId: 'bench-kafkajs', logLevel: logLevel.ERROR });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    version,
    async produce(topic, chunks, onAcked) {
      for (const chunk of chunks) {
        await producer.send({ topic, acks: -1, messages: chunk as KafkajsMessage[] });
        onAcked(chunk.length);
      }
    },
    async consume({ topic, groupId, onMessage, onPositioned, until, onCommit }) {
      const consumer = kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: timing.sessionTimeoutMs,
        heartbeatInterval: timing.heartbeatIntervalMs,
        rebalanceTimeout: timing.rebalanceTimeoutMs,
        maxWaitTimeInMs: timing.maxWaitTimeMs,
        maxBytes: fetchBytes.max,
        maxBytesPerPartition: fetchBytes.perPartition,
      });
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
      const positioned = consumer.on(consumer.events.FETCH, () => {
        if (!joined) return;
        positioned();
        onPositioned?.();
      });
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset }: EachBatchPayload) => {
          for (const message of batch.messages) {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
            onMessage(headers, message.value?.toString() ?? '');
            resolveOffset(message.offset);
          }
          const last = batch.messages.at(-1);
          if (last !== undefined) {
            await consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
            ]);
            onCommit();
          }
          if (until()) finish();
        },
      });
      await finished;
      await consumer.disconnect();
    },
    close: () => producer.disconnect(),
  };
}

// ---------------------------------------------------------------- @platformatic/kafka

async function platformaticAdapter(): Promise<ClientAdapter> {
  // The package exports no ./package.json; it sits one level above the entry point.
  const packageJson = new URL('../package.json', import.meta.resolve('@platformatic/kafka'));
  const version = JSON.parse(await readFile(packageJson, 'utf8')).version;
  const producer = new Producer({
    clientId: 'bench-platformatic',
    bootstrapBrokers: brokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    // The default partitioner is not the Java client's for keys whose hash is negative.
    partitioner: compatibilityPartitioner,
    serializers: stringSerializers,
  });
  return {
    version,
    async produce(topic, chunks, onAcked) {
      for (const chunk of chunks) {
        await producer.send({ messages: chunk.map((message) => ({ ...message, topic })) });
        onAcked(chunk.length);
      }
    },
    async consume({ topic, groupId, onMessage, onPositioned, until, onCommit }) {
      const consumer = new Consumer({
        clientId: 'bench-platformatic',
        bootstrapBrokers: brokers,
        groupId,
        sessionTimeout: timing.sessionTimeoutMs,
        heartbeatInterval: timing.heartbeatIntervalMs,
        rebalanceTimeout: timing.rebalanceTimeoutMs,
        maxWaitTime: timing.maxWaitTimeMs,
        maxBytes: fetchBytes.max,
        maxBytesPerPartition: fetchBytes.perPartition,
        autocommit: false,
      });
      const stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> = await consumer.consume({
        topics: [topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.EARLIEST,
        autocommit: false,
      });
      stream.once('fetch', () => onPositioned?.());
      // Paused mode: each wake-up drains what the fetches buffered, which is the batch.
      let wake: () => void = () => undefined;
      stream.on('readable', () => wake());
      while (!until()) {
        const batch: PlatformaticMessage[] = [];
        for (let message = stream.read(); message !== null; message = stream.read()) batch.push(message);
        if (batch.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        const lastPerPartition = new Map<number, PlatformaticMessage>();
        for (const message of batch) {
          const headers: Record<string, string> = {};
          for (const [name, value] of message.headers) headers[name.toString()] = value.toString();
          onMessage(headers, message.value?.toString() ?? '');
          lastPerPartition.set(message.partition, message);
        }
        await Promise.all([...lastPerPartition.values()].map((message) => message.commit()));
        for (let i = 0; i < lastPerPartition.size; i += 1) onCommit();
      }
      await stream.close();
      await consumer.close(true);
    },
    close: () => producer.close(),
  };
}

// ---------------------------------------------------------------- one run, in a child process

function makeMessage(index: number, dueAtMs?: number): BenchMessage {
  const subject = `lead-${index % keyCount}`;
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: randomUUID(),
    ce_type: 'l2o.lead.captured.v1',
    ce_source: '/l2o/ingestion',
    ce_subject: subject,
    ce_time: new Date().toISOString(),
    'content-type': 'application/json',
    ce_tenantid: 'tenant-bench',
    ce_streamversion: String(Math.floor(index / keyCount) + 1),
    ce_correlationid: randomUUID(),
    traceparent: `00-${randomUUID().replaceAll('-', '')}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`,
  };
  if (dueAtMs !== undefined) headers.bench_due_at = dueAtMs.toFixed(3);
  const data = { leadId: subject, email: 'bench@example.com', touchpoint: { channel: 'api' }, note: '' };
  data.note = 'x'.repeat(Math.max(0, valueBytes - JSON.stringify(data).length));
  return { key: subject, value: JSON.stringify(data), headers };
}

function messageBytes(message: BenchMessage): number {
  let bytes = Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

function toChunks(messages: readonly BenchMessage[]): BenchMessage[][] {
  const chunks: BenchMessage[][] = [];
  let chunk: BenchMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageBytes(message);
    if (chunk.length > 0 && (bytes + size > maxChunkBytes || chunk.length >= maxChunkMessages)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: brokers });
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

async function createTopics(topics: readonly string[]): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.createTopics({ topics: [...topics], partitions, replicas: 1 });
    // A new topic's partitions need a leader before the first produce.
    for (let attempt = 0; ; attempt += 1) {
      const metadata = await admin.metadata({ topics: [...topics], forceUpdate: true }).catch(() => undefined);
      const ready = topics.every((topic) =>
        metadata?.topics.get(topic)?.partitions.every((partition) => partition.leader >= 0),
      );
      if (ready) return;
      if (attempt > 100) throw new Error(`topics ${topics.join(', ')} have no leaders after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

async function deleteTopicsWithPrefix(prefix: string): Promise<void> {
  await withAdmin(async (admin) => {
    const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  });
}

async function runClient(client: ClientName, prefix: string): Promise<RunFigures> {
  const memory = trackPeakMemory();
  const throughputTopic = `${prefix}.throughput`;
  const latencyTopic = `${prefix}.latency`;
  await createTopics([throughputTopic, latencyTopic]);
  const adapter = client === 'kafkajs' ? await kafkajsAdapter() : await platformaticAdapter();
  try {
    // One message per key, sent over and over: the load's memory stays small beside the clients'.
    const pool = Array.from({ length: keyCount }, (_, index) => makeMessage(index));
    const messages = Array.from({ length: settings.messages }, (_, index) => pool[index % keyCount]!);
    const bytes = messages.reduce((sum, message) => sum + messageBytes(message), 0);
    const chunks = toChunks(messages);

    // 1. Produce.
    const produceProgress = progress(`${client}: producing`, settings.messages);
    let acked = 0;
    let cpu = process.cpuUsage();
    let started = performance.now();
    await adapter.produce(throughputTopic, chunks, (count) => produceProgress((acked += count)));
    const produceSeconds = (performance.now() - started) / 1000;
    const produceCpuMs = cpuMs(process.cpuUsage(cpu));
    const producePeakMiB = memory.peakMiB();

    // 2. Consume through a group, committing per fetched batch.
    const consumeProgress = progress(`${client}: consuming`, settings.messages);
    let consumed = 0;
    let commits = 0;
    let firstAt = 0;
    let lastAt = 0;
    cpu = process.cpuUsage();
    started = performance.now();
    await adapter.consume({
      topic: throughputTopic,
      groupId: `${prefix}.throughput`,
      onMessage: (headers, value) => {
        // What the codec does per message: read the type and parse the data.
        if (headers.ce_type === undefined) throw new Error('a message lost its ce_type header');
        JSON.parse(value);
        consumed += 1;
        if (consumed === 1) firstAt = performance.now();
        if (consumed === settings.messages) lastAt = performance.now();
        consumeProgress(consumed);
      },
      until: () => consumed >= settings.messages,
      onCommit: () => (commits += 1),
    });
    const consumeSeconds = (lastAt - firstAt) / 1000;
    const consumeCpuMs = cpuMs(process.cpuUsage(cpu));
    const consumePeakMiB = memory.peakMiB();
    if (consumed !== settings.messages) throw new Error(`consumed ${consumed} of ${settings.messages} messages`);

    // 3. End-to-end latency at a fixed offered rate: from each message's due time to its handler.
    const total = settings.rate * settings.seconds;
    const latencies: number[] = [];
    let positioned: () => void = () => undefined;
    const isPositioned = new Promise<void>((resolve) => (positioned = resolve));
    const latencyProgress = progress(`${client}: latency at ${settings.rate}/s`, total);
    const consuming = adapter.consume({
      topic: latencyTopic,
      groupId: `${prefix}.latency`,
      onMessage: (headers) => {
        latencies.push(performance.now() - Number(headers.bench_due_at));
        latencyProgress(latencies.length);
      },
      onPositioned: positioned,
      until: () => latencies.length >= total,
      onCommit: () => undefined,
    });
    await isPositioned;
    const offerStart = performance.now();
    let offered = 0;
    // One send at a time, as the publisher does; what fell due while a send was in flight goes in the next one.
    while (offered < total) {
      const due = Math.min(total, Math.floor(((performance.now() - offerStart) / 1000) * settings.rate));
      if (due > offered) {
        const batch: BenchMessage[] = [];
        for (let index = offered; index < due; index += 1) {
          batch.push(makeMessage(index, offerStart + (index / settings.rate) * 1000));
        }
        await adapter.produce(latencyTopic, toChunks(batch), () => undefined);
        offered = due;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    await consuming;
    const sorted = latencies.sort((a, b) => a - b);

    return {
      client,
      version: adapter.version,
      produce: {
        messages: settings.messages,
        bytes,
        seconds: round2(produceSeconds),
        msgsPerSec: Math.round(settings.messages / produceSeconds),
        mbPerSec: round2(bytes / 1024 / 1024 / produceSeconds),
        cpuMs: produceCpuMs,
      },
      consume: {
        messages: consumed,
        joinMs: Math.round(firstAt - started),
        seconds: round2(consumeSeconds),
        msgsPerSec: Math.round(consumed / consumeSeconds),
        mbPerSec: round2(bytes / 1024 / 1024 / consumeSeconds),
        commits,
        cpuMs: consumeCpuMs,
      },
      latency: {
        offeredRate: settings.rate,
        seconds: settings.seconds,
        messages: sorted.length,
        p50Ms: round2(percentile(sorted, 50)),
        p99Ms: round2(percentile(sorted, 99)),
        maxMs: round2(sorted.at(-1) ?? Number.NaN),
      },
      peakRssMiB: { produce: producePeakMiB, consume: consumePeakMiB, latency: memory.peakMiB() },
    };
  } finally {
    memory.stop();
    await adapter.close();
    await deleteTopicsWithPrefix(prefix);
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return Math.round((usage.user + usage.system) / 1000);
}

/** Per-send figures of the interleaved phase for one client. */
type InterleavedFigures = {
  sends: number;
  messages: number;
  msgsPerSec: number;
  medianSendMs: number;
  p90SendMs: number;
};

/**
 * Both clients in one process send the publisher's chunks by turns, one at a time, each to its own
 * topic: every instant's load on the shared machine and broker falls on both alike, which separate
 * runs cannot promise.
 */
async function interleavedProduce(prefix: string): Promise<Record<ClientName, InterleavedFigures>> {
  const topics = Object.fromEntries(clients.map((client) => [client, `${prefix}.interleaved.${client}`]));
  await createTopics(Object.values(topics));
  const adapters = { kafkajs: await kafkajsAdapter(), platformatic: await platformaticAdapter() };
  try {
    const pool = Array.from({ length: keyCount }, (_, index) => makeMessage(index));
    const chunk = toChunks(pool)[0]!;
    const sendMs: Record<ClientName, number[]> = { kafkajs: [], platformatic: [] };
    const report = progress('interleaved produce', settings.interleavedChunks * clients.length);
    for (let index = 0; index < settings.interleavedChunks; index += 1) {
      const order = index % 2 === 0 ? clients : [...clients].reverse();
      for (const client of order) {
        const started = performance.now();
        await adapters[client].produce(topics[client]!, [chunk], () => undefined);
        sendMs[client].push(performance.now() - started);
        report(sendMs.kafkajs.length + sendMs.platformatic.length);
      }
    }
    const figures = (client: ClientName): InterleavedFigures => {
      const sorted = [...sendMs[client]].sort((a, b) => a - b);
      const totalMs = sorted.reduce((sum, ms) => sum + ms, 0);
      return {
        sends: sorted.length,
        messages: sorted.length * chunk.length,
        msgsPerSec: Math.round((sorted.length * chunk.length) / (totalMs / 1000)),
        medianSendMs: round2(percentile(sorted, 50)),
        p90SendMs: round2(percentile(sorted, 90)),
      };
    };
    return { kafkajs: figures('kafkajs'), platformatic: figures('platformatic') };
  } finally {
    await Promise.all(Object.values(adapters).map((adapter) => adapter.close()));
  }
}

// ---------------------------------------------------------------- the parent: runs, table, files

async function runInChild(client: ClientName, prefix: string): Promise<RunFigures> {
  const out = join(tmpdir(), `kafka-clients-${randomUUID()}.json`);
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(import.meta.url),
      `--client=${client}`,
      `--out=${out}`,
      `--prefix=${prefix}`,
      `--messages=${settings.messages}`,
      `--rate=${settings.rate}`,
      `--seconds=${settings.seconds}`,
    ],
    { stdio: 'inherit' },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the ${client} run exited with ${String(code)}; its output above says why`);
  try {
    return JSON.parse(await readFile(out, 'utf8')) as RunFigures;
  } finally {
    await rm(out, { force: true });
  }
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : round2((sorted[middle - 1]! + sorted[middle]!) / 2);
}

type Row = { label: string; pick: (run: RunFigures) => number; better: 'higher' | 'lower' };

const rows: Row[] = [
  { label: 'produce msgs/s', pick: (run) => run.produce.msgsPerSec, better: 'higher' },
  { label: 'produce MB/s', pick: (run) => run.produce.mbPerSec, better: 'higher' },
  { label: 'produce CPU ms', pick: (run) => run.produce.cpuMs, better: 'lower' },
  { label: 'consume: join to 1st msg ms', pick: (run) => run.consume.joinMs, better: 'lower' },
  { label: 'consume msgs/s', pick: (run) => run.consume.msgsPerSec, better: 'higher' },
  { label: 'consume MB/s', pick: (run) => run.consume.mbPerSec, better: 'higher' },
  { label: 'consume CPU ms', pick: (run) => run.consume.cpuMs, better: 'lower' },
  { label: 'consume commits', pick: (run) => run.consume.commits, better: 'lower' },
  { label: 'e2e latency p50 ms', pick: (run) => run.latency.p50Ms, better: 'lower' },
  { label: 'e2e latency p99 ms', pick: (run) => run.latency.p99Ms, better: 'lower' },
  { label: 'e2e latency max ms', pick: (run) => run.latency.maxMs, better: 'lower' },
  { label: 'peak RSS MiB after produce', pick: (run) => run.peakRssMiB.produce, better: 'lower' },
  { label: 'peak RSS MiB after consume', pick: (run) => run.peakRssMiB.consume, better: 'lower' },
  { label: 'peak RSS MiB (whole run)', pick: (run) => run.peakRssMiB.latency, better: 'lower' },
];

function table(runs: readonly RunFigures[]): string[][] {
  const byClient = new Map(clients.map((client) => [client, runs.filter((run) => run.client === client)]));
  const header = [
    'figure (median)',
    ...clients.map((client) => `${client} ${byClient.get(client)![0]!.version}`),
    'platformatic / kafkajs',
    'same-round ratios (median)',
  ];
  const body = rows.map((row) => {
    const [a, b] = clients.map((client) => median(byClient.get(client)!.map(row.pick)));
    // Runs of one round follow each other, so their ratio is the least touched by the shared machine's drifting load.
    const ratios = byClient
      .get('kafkajs')!
      .map((run, round) => row.pick(byClient.get('platformatic')![round]!) / row.pick(run));
    return [
      row.label,
      a!.toLocaleString('en'),
      b!.toLocaleString('en'),
      `${(b! / a!).toFixed(2)}× (${row.better} is better)`,
      `${median(ratios).toFixed(2)}× (${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`,
    ];
  });
  return [header, ...body];
}

function interleavedTable(figures: Record<ClientName, InterleavedFigures>): string[][] {
  const row = (label: string, pick: (f: InterleavedFigures) => number, better: 'higher' | 'lower'): string[] => [
    label,
    pick(figures.kafkajs).toLocaleString('en'),
    pick(figures.platformatic).toLocaleString('en'),
    `${(pick(figures.platformatic) / pick(figures.kafkajs)).toFixed(2)}× (${better} is better)`,
  ];
  return [
    ['interleaved produce (one process)', 'kafkajs', 'platformatic', 'platformatic / kafkajs'],
    row('msgs/s over its sends', (f) => f.msgsPerSec, 'higher'),
    row('send of one chunk, median ms', (f) => f.medianSendMs, 'lower'),
    row('send of one chunk, p90 ms', (f) => f.p90SendMs, 'lower'),
    row('messages sent', (f) => f.messages, 'higher'),
  ];
}

function markdown(cells: string[][], interleavedCells: string[][], startedAt: string): string {
  return [
    `# Kafka clients: kafkajs vs @platformatic/kafka (${startedAt})`,
    '',
    `Command: \`scripts/benchmark kafka-clients --messages ${settings.messages} --rate ${settings.rate} --seconds ${settings.seconds} --rounds ${settings.rounds} --interleaved-chunks ${settings.interleavedChunks}\``,
    `Broker: ${brokers.join(',')}; topics of ${partitions} partitions, ${keyCount.toLocaleString('en')} keys, ~${valueBytes}-byte JSON values with CloudEvents binary-mode headers.`,
    "Produce: idempotent, acks=all, Java-compatible murmur2 keys, the publisher's chunks (≤1,000 messages, ≤512 KiB) sent one at a time.",
    "Consume: a new group from the earliest offset, one partition at a time in order, each fetched batch's offsets committed after its messages were handled; fetches of up to 10 MiB (1 MiB per partition), waiting up to 1 s, for both.",
    `Latency: ${settings.rate} msgs/s offered for ${settings.seconds} s, from each message's due time to its handler. Medians of ${settings.rounds} round(s); one child process per run.`,
    '',
    markdownTable(cells),
    '',
    `Interleaved produce: both clients in one process send one chunk each by turns (${settings.interleavedChunks} chunks each), so both meet the same load at the same moments.`,
    '',
    markdownTable(interleavedCells),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  if (values.client !== undefined) {
    const client = values.client as ClientName;
    if (!clients.includes(client) || values.out === undefined || values.prefix === undefined) {
      throw new Error(`internal child options missing or wrong: --client=${values.client}`);
    }
    const figures = await runClient(client, values.prefix);
    await writeFile(values.out, JSON.stringify(figures));
    return;
  }

  const startedAt = new Date().toISOString();
  const runId = `bench.kafka-clients.${Date.now().toString(36)}`;
  console.log(
    `kafka-clients benchmark on ${brokers.join(',')}: ${settings.messages.toLocaleString('en')} messages, ` +
      `${settings.rate}/s for ${settings.seconds} s, ${settings.rounds} round(s) per client`,
  );
  const runs: RunFigures[] = [];
  let interleaved: Record<ClientName, InterleavedFigures>;
  try {
    interleaved = await interleavedProduce(runId);
    for (let round = 0; round < settings.rounds; round += 1) {
      // Alternating the order spreads any drift in the shared machine's load over both clients.
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      for (const client of order) runs.push(await runInChild(client, `${runId}.${client}.${round}`));
    }
  } finally {
    await deleteTopicsWithPrefix(runId);
  }

  const cells = table(runs);
  const interleavedCells = interleavedTable(interleaved);
  console.log('');
  console.log(plainTable(cells, { numbers: 'right' }));
  console.log('');
  console.log(plainTable(interleavedCells, { numbers: 'right' }));
  const dir = fileURLToPath(new URL('../../bench-results/kafka-clients/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const stamp = startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  await writeFile(
    join(dir, `${stamp}.json`),
    `${JSON.stringify({ startedAt, brokers, settings, partitions, keyCount, valueBytes, interleaved, runs }, null, 2)}\n`,
  );
  await writeFile(join(dir, `${stamp}.md`), markdown(cells, interleavedCells, startedAt));
  console.log(`\nwrote bench-results/kafka-clients/${stamp}.json and .md`);
}

await main();
