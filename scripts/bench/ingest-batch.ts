// Ingestion benchmark over real HTTP: the ingestion app listens on a free port against a throw-away
// schema, and concurrent clients post batches of leads to POST /v1/leads/batch. Prints accepted
// leads/s, batch latency, peak memory (server and clients share this process) and the result counts.
//   node scripts/bench/ingest-batch.ts [--leads 50000] [--concurrency 8] [--batch 500] [--known 0.1] [--pool 20]
// --known is the share of items repeating an email captured earlier in the run (merged, not new).
// Uses DATABASE_URL (default: the `test` database) and drops the schema afterwards.
import { parseArgs } from 'node:util';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { freshSchema } from '@l2o/testing';
import { buildApp } from '../../services/ingestion/src/app.ts';
import { migrateIngestion } from '../../services/ingestion/src/migrate-ingestion.ts';
import { latencySummary, perSecond, progress, trackPeakMemory } from './lib/measure.ts';

const { values } = parseArgs({
  options: {
    leads: { type: 'string', default: '50000' },
    concurrency: { type: 'string', default: '8' },
    batch: { type: 'string', default: '500' },
    known: { type: 'string', default: '0' },
    pool: { type: 'string', default: '20' },
  },
});
const totalLeads = Number(values.leads);
const concurrency = Number(values.concurrency);
const batchSize = Number(values.batch);
const knownShare = Number(values.known);
const poolSize = Number(values.pool);
if (
  !Number.isInteger(totalLeads) ||
  !Number.isInteger(batchSize) ||
  batchSize < 1 ||
  batchSize > 1000 ||
  totalLeads < batchSize ||
  !Number.isInteger(concurrency) ||
  concurrency < 1 ||
  !(knownShare >= 0 && knownShare < 1) ||
  !Number.isInteger(poolSize) ||
  poolSize < 2
) {
  console.error(
    'usage: node scripts/bench/ingest-batch.ts [--leads N ≥ batch] [--concurrency N ≥ 1] [--batch 1..1000] [--known 0..<1] [--pool N ≥ 2]',
  );
  process.exit(2);
}

type BatchResponse = { counts: { accepted: number; merged: number; duplicate: number; rejected: number } };

const database = await freshSchema('benchingest');
const memory = trackPeakMemory();
const { databaseUrl, schema } = database;
try {
  await migrateEventStore({ databaseUrl, schema });
  await migrateTenancy({ databaseUrl, schema });
  await migrateIngestion({ databaseUrl, schema });
  const pool = createPool({ connectionString: databaseUrl, schema, max: poolSize, applicationName: 'ingest-bench' });
  const store = createPostgresEventStore({ pool, schema });
  const app = await buildApp({
    pool,
    store,
    logger: createLogger({ name: 'ingestion', level: 'warn' }),
    clock: () => new Date(),
    verifyApiKey: createApiKeyVerifier({ pool }),
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const { apiKey } = await createApiKey({ pool, tenantId: 'bench', name: 'ingest-bench', scopes: ['ingest'] });

  const batches = Math.ceil(totalLeads / batchSize);
  console.log(
    `ingestion benchmark: ${totalLeads.toLocaleString('en')} leads in ${batches} batches of ${batchSize}, ` +
      `${concurrency} concurrent clients, ${Math.round(knownShare * 100)}% known emails, pool ${poolSize}, ${address}`,
  );

  let sent = 0;
  let nextBatch = 0;
  const latencies: number[] = [];
  const counts = { accepted: 0, merged: 0, duplicate: 0, rejected: 0 };
  const show = progress('posting', totalLeads);
  const itemsOf = (batch: number) =>
    Array.from({ length: Math.min(batchSize, totalLeads - batch * batchSize) }, (_, index) => {
      const n = batch * batchSize + index;
      // A known email repeats one from an earlier batch, so it finds a lead that is already captured.
      const known = batch > 0 && (n * 2654435761) % 1000 < knownShare * 1000;
      const id = known ? (n * 7919) % (batch * batchSize) : n;
      return {
        email: `Lead.${id}@Company-${id % 997}.example`,
        firstName: `First${id}`,
        lastName: `Last${id}`,
        // A valid San Francisco number per id: exchange 200–999, line 0000–9999.
        phone: `+1415${200 + (Math.floor(id / 10_000) % 800)}${String(id % 10_000).padStart(4, '0')}`,
        company: { name: `Company ${id % 997}`, country: 'US', size: 50 },
        touchpoint: { utm: { source: 'google', medium: 'cpc', campaign: `bench-${batch % 10}` } },
      };
    });

  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextBatch < batches) {
        const batch = nextBatch;
        nextBatch += 1;
        const body = JSON.stringify({ items: itemsOf(batch) });
        const before = performance.now();
        const response = await fetch(`${address}/v1/leads/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body,
        });
        if (response.status !== 200)
          throw new Error(`batch ${batch}: HTTP ${response.status} ${await response.text()}`);
        const result = (await response.json()) as BatchResponse;
        latencies.push(performance.now() - before);
        for (const status of ['accepted', 'merged', 'duplicate', 'rejected'] as const)
          counts[status] += result.counts[status];
        sent += Math.min(batchSize, totalLeads - batch * batchSize);
        show(sent);
      }
    }),
  );
  const elapsedMs = performance.now() - started;

  const stored = await pool.query<{ type: string; count: number }>(
    'SELECT type, count(*)::int AS count FROM events GROUP BY type ORDER BY type',
  );
  console.log(`  accepted leads: ${perSecond(counts.accepted, elapsedMs)} (all items: ${perSecond(sent, elapsedMs)})`);
  console.log(`  batch latency: ${latencySummary(latencies)}`);
  console.log(`  elapsed: ${(elapsedMs / 1000).toFixed(1)} s, peak RSS ${memory.peakMiB()} MiB`);
  console.log(
    `  results: ${Object.entries(counts)
      .map(([status, count]) => `${status} ${count.toLocaleString('en')}`)
      .join(', ')}`,
  );
  console.log(
    `  stored events: ${stored.rows.map((row) => `${row.type} ${row.count.toLocaleString('en')}`).join(', ')}`,
  );
  await app.close();
  await pool.end();
} finally {
  memory.stop();
  await database.drop();
}
