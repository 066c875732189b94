// Runs the whole platform in one terminal: prepares the database and topics, starts each service
// as its own process (restarting one that exits), then feeds a demo lead stream. Ctrl-C stops all.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureDemoApiKey } from './lib/demo-api-key.ts';
import { prepareInfrastructure } from './lib/prepare-infrastructure.ts';
import { runDemoSalesTeam } from './lib/demo-sales-team.ts';
import { runDemoStream } from './lib/demo-stream.ts';

type ServiceSpec = { name: string; port: number; env?: Record<string, string> };

const demoTenant = process.env.L2O_DEMO_TENANT ?? 'demo';
const services: ServiceSpec[] = [
  { name: 'relay', port: 4007 },
  { name: 'ingestion', port: 4001 },
  { name: 'scoring', port: 4002 },
  { name: 'routing', port: 4003, env: { DEMO_TENANT: demoTenant } },
  { name: 'pipeline', port: 4004 },
  { name: 'attribution', port: 4005 },
  { name: 'projections', port: 4006 },
];

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/l2o';
const schema = process.env.DATABASE_SCHEMA ?? 'l2o';
const demoKeyFile = fileURLToPath(new URL('../.data/demo-api-key', import.meta.url));
const colours = [36, 35, 33, 32, 34, 31];
const children = new Map<string, ChildProcess>();
let stopping = false;

function prefixLines(name: string, colour: number, chunk: Buffer): void {
  for (const line of chunk.toString().split('\n')) {
    if (line.trim()) process.stdout.write(`\x1b[${colour}m${name.padEnd(12)}\x1b[0m ${line}\n`);
  }
}

function startService(spec: ServiceSpec, index: number, restarts = 0): void {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: new URL(`../services/${spec.name}/`, import.meta.url),
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(spec.port), ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const colour = colours[index % colours.length] ?? 37;
  child.stdout.on('data', (chunk: Buffer) => prefixLines(spec.name, colour, chunk));
  child.stderr.on('data', (chunk: Buffer) => prefixLines(spec.name, colour, chunk));
  children.set(spec.name, child);
  child.on('exit', (code, signal) => {
    children.delete(spec.name);
    if (stopping) return;
    const wait = Math.min(30_000, 1_000 * 2 ** restarts);
    console.error(`${spec.name} exited (${signal ?? code}); restarting in ${wait / 1000} s`);
    setTimeout(() => startService(spec, index, restarts + 1), wait);
  });
}

async function waitUntilReady(spec: ServiceSpec, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await fetch(`http://127.0.0.1:${spec.port}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await delay(250);
  }
  throw new Error(
    `${spec.name} was not ready on port ${spec.port} within ${timeoutMs / 1000} s; see its log lines above`,
  );
}

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('stopping services…');
  const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children.values()) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), delay(15_000)]);
  process.exit(0);
}

process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

await prepareInfrastructure({ databaseUrl, schema, log: (message) => console.log(message) });
const demoKey = await ensureDemoApiKey({
  databaseUrl,
  schema,
  tenantId: demoTenant,
  file: demoKeyFile,
});
console.log(`${demoKey.created ? 'created' : 'reusing'} the demo API key in .data/demo-api-key`);
services.forEach((spec, index) => startService(spec, index));
for (const spec of services) await waitUntilReady(spec);
console.log(
  [
    '',
    'L2O platform is up:',
    '  ingestion    http://127.0.0.1:4001/docs',
    '  scoring      http://127.0.0.1:4002/docs',
    '  routing      http://127.0.0.1:4003/docs',
    '  pipeline     http://127.0.0.1:4004/docs',
    '  attribution  http://127.0.0.1:4005/docs',
    '  query API    http://127.0.0.1:4006/docs',
    '  relay        http://127.0.0.1:4007/health',
    '  Kafka        127.0.0.1:9092',
    `  PostgreSQL   ${databaseUrl}`,
    `  API key      ${demoKey.apiKey}`,
    `               tenant ${demoKey.tenantId}, scopes ${demoKey.scopes.join(', ')} (saved in .data/demo-api-key)`,
    '',
    'Try it:',
    `  export L2O_API_KEY=${demoKey.apiKey}`,
    `  curl -s -X POST localhost:4001/v1/leads -H "authorization: Bearer $L2O_API_KEY" -H 'content-type: application/json' \\`,
    `    -d '{"email":"ada@example.com","firstName":"Ada"}'`,
    '  curl -s localhost:4006/v1/leads/<leadId> -H "authorization: Bearer $L2O_API_KEY"',
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
if (process.env.L2O_DEMO_STREAM !== '0') {
  void runDemoStream({
    ingestionUrl: 'http://127.0.0.1:4001',
    apiKey: demoKey.apiKey,
    log: (message) => console.log(message),
    isStopping: () => stopping,
  });
  void runDemoSalesTeam({
    urls: {
      projections: 'http://127.0.0.1:4006',
      routing: 'http://127.0.0.1:4003',
      pipeline: 'http://127.0.0.1:4004',
      attribution: 'http://127.0.0.1:4005',
    },
    apiKey: demoKey.apiKey,
    log: (message) => console.log(message),
    isStopping: () => stopping,
  });
}
