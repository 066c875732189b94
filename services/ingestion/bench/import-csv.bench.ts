// CSV import benchmark over real HTTP: generates a CSV of N rows (2% bad: an invalid email, an
// unknown country, neither email nor phone, an impossible phone, a company size that is no number)
// straight to a temp file, uploads it as a stream to POST /v1/imports on a listening app, and times
// the import processor capturing every row through the real capturer into the PostgreSQL event store.
// Prints upload and processing rates, rows/s, peak memory (server, processor and client share this
// process), the counts, and checks the rejected count and the rejections report.
//   node services/ingestion/bench/import-csv.bench.ts [--rows 100000] [--concurrency 4] [--chunk-rows 100] [--pool 20]
//   scripts/benchmark import-csv [--rows 100000]
// --upload-only stops after the upload: memory while a large file (--rows 1000000) streams to disk.
// Uses DATABASE_URL (default: the `test` database) and drops its throw-away schema afterwards.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import { buildServer, createLogger } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { freshSchema } from '@l2o/testing';
import { perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import { createLeadCapturer } from '../src/capture/create-lead-capturer.ts';
import { createImportProcessor } from '../src/imports/import-processor.ts';
import { importRoutes } from '../src/imports/imports.routes.ts';
import { migrateIngestion } from '../src/migrate-ingestion.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '4' },
    'chunk-rows': { type: 'string', default: '100' },
    pool: { type: 'string', default: '20' },
    'upload-only': { type: 'boolean', default: false },
  },
});
const totalRows = Number(values.rows);
const concurrency = Number(values.concurrency);
const poolSize = Number(values.pool);
const chunkRows = Number(values['chunk-rows']);
if (
  !Number.isInteger(totalRows) ||
  totalRows < 100 ||
  !Number.isInteger(concurrency) ||
  concurrency < 1 ||
  !Number.isInteger(chunkRows) ||
  chunkRows < 1 ||
  poolSize < 4
) {
  console.error('usage: import-csv [--rows N ≥ 100] [--concurrency N ≥ 1] [--chunk-rows N ≥ 1] [--pool N ≥ 4]');
  process.exit(2);
}

const header = [
  'E-mail',
  'First name',
  'Last name',
  'Company',
  'Website',
  'Country',
  'Phone',
  'Employees',
  'utm_campaign',
];
const mapping = {
  'E-mail': 'email',
  'First name': 'firstName',
  'Last name': 'lastName',
  Company: 'company.name',
  Website: 'company.website',
  Country: 'company.country',
  Phone: 'phone',
  Employees: 'company.size',
  utm_campaign: 'touchpoint.utm.campaign',
};
const countries = ['GB', 'Germany', 'US', 'France', 'NL', 'Japan'];
const badKinds = 5;

/** Row i (1-based): every 50th is bad, cycling through the kinds of bad. */
function row(index: number): string[] {
  const company = `Company ${index % 5000}`;
  const cells = [
    `person.${index}@bench-${index % 5000}.example.com`,
    `First${index}`,
    `Last ${index}`,
    company,
    `https://www.bench-${index % 5000}.example.com/`,
    countries[index % countries.length] ?? 'GB',
    '',
    String(10 + (index % 990)),
    index % 3 === 0 ? 'spring-webinar' : '',
  ];
  if (index % 50 === 0) {
    switch ((index / 50) % badKinds) {
      case 0:
        cells[0] = `person.${index}-at-bench.example.com`;
        break;
      case 1:
        cells[5] = 'Atlantis';
        break;
      case 2:
        cells[0] = '';
        break;
      case 3:
        cells[6] = '12';
        break;
      default:
        cells[7] = 'lots';
    }
  }
  return cells;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes the CSV line by line with backpressure, so generating it never holds it in memory. */
async function writeCsv(path: string): Promise<number> {
  const out = createWriteStream(path);
  let bad = 0;
  const lines = (function* () {
    yield header.join(',');
    for (let index = 1; index <= totalRows; index += 1) {
      if (index % 50 === 0) bad += 1;
      yield row(index).map(csvCell).join(',');
    }
  })();
  for (const line of lines) {
    if (!out.write(`${line}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bad;
}

type ImportStatus = {
  status: string;
  error?: string;
  counts: { total: number; processed: number; accepted: number; merged: number; duplicate: number; rejected: number };
};

/** POSTs the file with node:http, piping it with backpressure, as a client sending a large file would. */
async function uploadFile(options: {
  url: string;
  authorization: string;
  path: string;
}): Promise<{ status: number; body: string }> {
  const request = httpRequest(options.url, {
    method: 'POST',
    headers: { authorization: options.authorization, 'content-type': 'text/csv' },
  });
  const answered = once(request, 'response') as Promise<[IncomingMessage]>;
  await pipeline(createReadStream(options.path), request);
  const [response] = await answered;
  let body = '';
  for await (const chunk of response) body += String(chunk);
  return { status: response.statusCode ?? 0, body };
}

type Target = { baseUrl: string; authorization: string; importId: string };

/** Polls the progress route, printing a progress line, until the import is completed or failed. */
async function followProgress(target: Target): Promise<ImportStatus> {
  const show = progress('  rows processed', totalRows);
  for (;;) {
    const answer = await fetch(`${target.baseUrl}/v1/imports/${target.importId}`, {
      headers: { authorization: target.authorization },
    });
    const status = (await answer.json()) as ImportStatus;
    show(status.counts.processed);
    if (status.status === 'completed' || status.status === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function downloadReport(target: Target): Promise<void> {
  const started = performance.now();
  const report = await fetch(`${target.baseUrl}/v1/imports/${target.importId}/rejections`, {
    headers: { authorization: target.authorization },
  });
  let lines = -1;
  let bytes = 0;
  for await (const chunk of report.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 0x0a) lines += 1;
  }
  console.log(
    `  rejections report: ${lines} lines, ${(bytes / 1024).toFixed(0)} KiB in ${(performance.now() - started).toFixed(0)} ms`,
  );
}

const database = await freshSchema('benchimport');
const memory = trackPeakMemory();
const spoolDir = await mkdtemp(join(tmpdir(), 'l2o-import-bench-'));
const { databaseUrl, schema } = database;
try {
  await migrateModules({ databaseUrl, schema, modules: [migrateEventStore, migrateTenancy, migrateIngestion] });
  const pool = createPool({ connectionString: databaseUrl, schema, max: poolSize, applicationName: 'import-bench' });
  const store = createPostgresEventStore({ pool, schema });
  const logger = createLogger({ name: 'ingestion', level: 'warn' });
  const capturer = createLeadCapturer({ pool, store, clock: () => new Date(), logger });
  const app = await buildServer({
    name: 'ingestion',
    version: '0.1.0',
    logger,
    auth: { verifyApiKey: createApiKeyVerifier({ pool }) },
    routes: importRoutes({ pool, spoolDir: join(spoolDir, 'spool') }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { apiKey } = await createApiKey({ pool, tenantId: 'bench', name: 'import-bench', scopes: ['ingest'] });
  const authorization = `Bearer ${apiKey}`;

  const csvPath = join(spoolDir, 'leads.csv');
  console.log(
    `CSV import benchmark: ${totalRows.toLocaleString('en')} rows, ${concurrency} captures of ${chunkRows} rows in flight`,
  );
  const generated = performance.now();
  const expectedBad = await writeCsv(csvPath);
  const bytes = (await stat(csvPath)).size;
  console.log(
    `  generated ${(bytes / 1024 / 1024).toFixed(1)} MiB with ${expectedBad.toLocaleString('en')} bad rows ` +
      `in ${((performance.now() - generated) / 1000).toFixed(1)} s`,
  );

  const processor = createImportProcessor({ pool, capturer, logger, concurrency, chunkRows, pollIntervalMs: 100 });
  const uploadStarted = performance.now();
  const query = new URLSearchParams({ mapping: JSON.stringify(mapping), source: 'bench', fileName: 'leads.csv' });
  const upload = await uploadFile({ url: `${baseUrl}/v1/imports?${query}`, authorization, path: csvPath });
  const uploadMs = performance.now() - uploadStarted;
  if (upload.status !== 202) throw new Error(`upload answered ${upload.status}: ${upload.body}`);
  const { importId } = JSON.parse(upload.body) as { importId: string };
  console.log(
    `  upload (streamed, spooled, hashed, rows counted): ${(uploadMs / 1000).toFixed(2)} s, ` +
      `${(bytes / 1024 / 1024 / (uploadMs / 1000)).toFixed(1)} MiB/s`,
  );

  if (!values['upload-only']) {
    const processingStarted = performance.now();
    processor.start();
    const status = await followProgress({ baseUrl, authorization, importId });
    const processingMs = performance.now() - processingStarted;
    await processor.stop();
    if (status.status !== 'completed') throw new Error(`the import ${status.status}: ${status.error ?? ''}`);
    const { counts } = status;
    console.log(
      `  processing: ${counts.processed.toLocaleString('en')} rows in ${(processingMs / 1000).toFixed(1)} s ` +
        `= ${perSecond(counts.processed, processingMs)} rows`,
    );
    console.log(
      `  counts: accepted ${counts.accepted}, merged ${counts.merged}, duplicate ${counts.duplicate}, ` +
        `rejected ${counts.rejected} (expected ${expectedBad})`,
    );
    await downloadReport({ baseUrl, authorization, importId });
    console.log(
      `  end to end (upload + processing): ${((uploadMs + processingMs) / 1000).toFixed(1)} s, ` +
        `${perSecond(totalRows, uploadMs + processingMs)} rows`,
    );
    if (counts.rejected !== expectedBad || counts.processed !== totalRows) {
      throw new Error(`expected ${totalRows} rows processed and ${expectedBad} rejected`);
    }
  }
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
  await app.close();
  await pool.end();
} finally {
  memory.stop();
  await rm(spoolDir, { recursive: true, force: true });
  await database.drop();
}
