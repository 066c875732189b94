// The query API's main report queries against a large leads read model: seeds N leads by set-based
// SQL into a throw-away schema, then times each query over HTTP (inject, no network) and prints
// p50/p95/p99 against the 200 ms p95 target.
//   scripts/benchmark report-queries [--leads 1000000] [--runs 200]
// Uses DATABASE_URL (default: the `test` database); the schema is dropped at the end.
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { createPool, quoteIdent } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import { freshSchema } from '@l2o/testing';
import { buildApp } from '../src/app.ts';
import { migrateProjections, reportingSchemaOf } from '../src/migrations.ts';
import {
  funnelAndResponseQueries,
  funnelAndResponseTables,
  rollUpSeededFunnel,
  seedFunnelAndResponse,
} from './funnel-response.bench-queries.ts';
import {
  pipelineAndAttributionQueries,
  pipelineAndAttributionTables,
  seedPipelineAndAttribution,
} from './pipeline-attribution.bench-queries.ts';

const { values } = parseArgs({
  options: { leads: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '200' } },
});
const totalLeads = Number(values.leads);
const runs = Number(values.runs);
if (!Number.isInteger(totalLeads) || totalLeads < 1000 || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: scripts/benchmark report-queries [--leads N ≥ 1000] [--runs N ≥ 1]');
  process.exit(2);
}

/** Half of the leads belong to the tenant the queries ask for, the rest to nine others. */
const tenant = 'tenant-0';
const targetP95Ms = 200;
const batchSize = 50_000;

// One statement per batch; every value derives from the row number and random(), the status from the
// generated column. A year of captures, most leads scored, a third owned, some ended.
const seedBatch = `
  INSERT INTO leads (tenant_id, lead_id, email, first_name, last_name, company_name, company_domain, country,
    channel, source, campaign, touch_count, last_touch_at, last_channel, last_campaign, captured_at, updated_at,
    version, stage, score, grade, scored_at, qualified_at, owner_id, pool_id, assigned_at, first_assigned_at,
    response_due_at, responded_at, sales_qualified_at, converted_at, disqualified_at, merged_into)
  SELECT CASE WHEN i % 2 = 0 THEN '${tenant}' ELSE 'tenant-' || (1 + i % 9) END, gen_random_uuid(),
    'lead' || i || '@company' || (i % 40000) || '.example', 'First' || (i % 997), 'Last' || (i % 1009),
    'Company ' || (i % 40000), 'company' || (i % 40000) || '.example', (ARRAY['GB','DE','US','FR','ES'])[1 + i % 5],
    channel, 'source-' || (i % 12), 'campaign-' || (i % 25), 1, captured_at, channel, 'campaign-' || (i % 25),
    captured_at, captured_at, 1, stage, score,
    CASE WHEN score >= 80 THEN 'A' WHEN score >= 60 THEN 'B' WHEN score >= 40 THEN 'C' WHEN score IS NOT NULL THEN 'D' END,
    CASE WHEN score IS NOT NULL THEN captured_at + interval '1 minute' END,
    CASE WHEN stage <> 'new' THEN captured_at + interval '2 minutes' END,
    owner, CASE WHEN owner IS NOT NULL THEN 'pool-' || (i % 6) END,
    CASE WHEN owner IS NOT NULL THEN captured_at + interval '3 minutes' END,
    CASE WHEN owner IS NOT NULL THEN captured_at + interval '3 minutes' END,
    CASE WHEN owner IS NOT NULL THEN captured_at + interval '2 hours 3 minutes' END,
    CASE WHEN owner IS NOT NULL AND random() < 0.7 THEN captured_at + random() * interval '4 hours' END,
    CASE WHEN stage IN ('sql', 'converted') THEN captured_at + interval '5 days' END,
    CASE WHEN stage = 'converted' THEN captured_at + interval '9 days' END,
    CASE WHEN stage = 'disqualified' THEN captured_at + interval '2 days' END,
    CASE WHEN i % 100 = 0 THEN gen_random_uuid() END
  FROM (
    SELECT i, captured_at, channel, stage,
      CASE WHEN random() < 0.7 THEN floor(random() * 101)::int END AS score,
      CASE WHEN stage <> 'new' AND random() < 0.85 THEN 'rep-' || (i % 50) END AS owner
    FROM (
      SELECT i, now() - random() * interval '365 days' AS captured_at,
        (ARRAY['web_form','api','csv_import','kafka_intake','event','partner','ad'])[1 + floor(random() * 7)::int] AS channel,
        (ARRAY['new','new','new','new','new','new','new','new','new','new','new',
               'mql','mql','mql','mql','mql','sql','sql','converted','disqualified'])[1 + floor(random() * 20)::int] AS stage
      FROM generate_series($1::int, $2::int) AS i
    ) AS drawn
  ) AS seeded`;

function isoDay(offsetDays: number): string {
  return new Date(Date.now() - offsetDays * 86_400_000).toISOString().slice(0, 10);
}

const randomInt = (max: number) => Math.floor(Math.random() * max);

/** The query API calls the dashboard and analysts make most, each with parameters that vary per run. */
const queries: Array<{ name: string; url: () => string }> = [
  { name: 'list, first page (50, newest)', url: () => '/v1/leads?limit=50' },
  {
    name: 'list, status + channel + 30-day period',
    url: () => {
      const from = 30 + randomInt(300);
      return `/v1/leads?status=mql&channel=ad&capturedFrom=${isoDay(from)}&capturedTo=${isoDay(from - 30)}&limit=50`;
    },
  },
  { name: 'list, owner’s leads', url: () => `/v1/leads?ownerId=rep-${randomInt(50)}&limit=50` },
  { name: 'list, score 80+ (grade A)', url: () => '/v1/leads?minScore=80&limit=50' },
  {
    name: 'list, deep page (keyset)',
    url: () => {
      const at = new Date(Date.now() - randomInt(360) * 86_400_000).toISOString().replace('Z', '000Z');
      const cursor = Buffer.from(JSON.stringify([at, 'ffffffff-ffff-4fff-bfff-ffffffffffff'])).toString('base64url');
      return `/v1/leads?limit=50&cursor=${cursor}`;
    },
  },
  {
    name: 'counts by day × channel, 30 days (dashboard)',
    url: () => `/v1/reports/lead-counts?groupBy=day,channel&capturedFrom=${isoDay(30)}&capturedTo=${isoDay(-1)}`,
  },
  {
    name: 'counts by day × channel, 30 days, one channel',
    url: () =>
      `/v1/reports/lead-counts?groupBy=day,channel&channel=partner&capturedFrom=${isoDay(30)}&capturedTo=${isoDay(-1)}`,
  },
  {
    name: 'counts by status, 90 days (funnel)',
    url: () => `/v1/reports/lead-counts?groupBy=status&capturedFrom=${isoDay(90)}&capturedTo=${isoDay(-1)}`,
  },
  {
    name: 'counts by owner × status, owned (workload)',
    url: () => '/v1/reports/lead-counts?groupBy=ownerId,status&status=assigned',
  },
  {
    name: 'counts by month × channel, whole year',
    url: () => `/v1/reports/lead-counts?groupBy=month,channel&capturedFrom=${isoDay(366)}`,
  },
  {
    name: 'search q, 30-day period',
    url: () => `/v1/leads?q=company${randomInt(40000)}.&capturedFrom=${isoDay(30)}&limit=50`,
  },
];

queries.push(...funnelAndResponseQueries);
queries.push(...pipelineAndAttributionQueries);

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1))] ?? NaN;
}

const database = await freshSchema('bench_reports');
const dropAll = async () => {
  const client = new pg.Client({ connectionString: database.databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(reportingSchemaOf(database.schema))} CASCADE`);
  await client.end();
  await database.drop();
};
const pool = createPool({ connectionString: database.databaseUrl, schema: database.schema, max: 4 });
try {
  await migrateProjections({ databaseUrl: database.databaseUrl, schema: database.schema });
  console.log(`report queries benchmark: ${totalLeads.toLocaleString('en')} leads, ${runs} runs per query`);

  const bar = new cliProgress.SingleBar(
    { format: 'seeding [{bar}] {percentage}% | {value}/{total} leads | ETA {eta_formatted}', noTTYOutput: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalLeads, 0);
  const seedStarted = performance.now();
  for (let first = 1; first <= totalLeads; first += batchSize) {
    const last = Math.min(totalLeads, first + batchSize - 1);
    await pool.query(seedBatch, [first, last]);
    await seedFunnelAndResponse({ pool, first, last });
    await seedPipelineAndAttribution({ pool, first, last });
    bar.update(last);
  }
  bar.stop();
  await rollUpSeededFunnel({ pool });
  await pool.query('VACUUM ANALYZE leads');
  for (const table of funnelAndResponseTables) await pool.query(`VACUUM ANALYZE ${table}`);
  for (const table of pipelineAndAttributionTables) await pool.query(`VACUUM ANALYZE ${table}`);
  console.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${tenant} holds half)`);

  const app = await buildApp({
    pool,
    logger: createLogger({ name: 'bench', level: 'silent' }),
    verifyApiKey: async () => ({ tenantId: tenant, scopes: ['read_reports'] }),
  });
  await app.ready();
  const header = `${'query'.padEnd(48)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}`;
  console.log(`\n${header}`);
  let slow = 0;
  for (const query of queries) {
    const samples: number[] = [];
    for (let run = -5; run < runs; run += 1) {
      const started = performance.now();
      const response = await app.inject({
        method: 'GET',
        url: query.url(),
        headers: { authorization: 'Bearer bench' },
      });
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`${query.name}: ${response.statusCode} ${response.body}`);
      if (run >= 0) samples.push(elapsed);
    }
    samples.sort((a, b) => a - b);
    const ms = (p: number) => `${percentile(samples, p).toFixed(1)} ms`.padStart(9);
    const p95 = percentile(samples, 95);
    if (p95 >= targetP95Ms) slow += 1;
    const max = `${(samples.at(-1) ?? NaN).toFixed(1)} ms`.padStart(9);
    console.log(
      `${query.name.padEnd(48)} ${ms(50)} ${ms(95)} ${ms(99)} ${max}${p95 >= targetP95Ms ? '  over target' : ''}`,
    );
  }
  await app.close();
  console.log(
    `\n${slow === 0 ? 'every' : `${queries.length - slow} of ${queries.length}`} p95 under ${targetP95Ms} ms`,
  );
} finally {
  await pool.end();
  await dropAll();
}
