// Read-model rebuild benchmark: seeds an event store with the history fixtures (leads, their
// opportunities, attributions and campaign costs), rebuilds the read models from it and prints
// events/s, p50/p99 per page and peak RSS.
//   scripts/benchmark rebuild [--events 200000] [--page N] [--models all|leads,…] [--schema S] [--keep]
// Uses DATABASE_URL (default: the `test` database). Without --schema the seeded schema is dropped at the
// end (unless --keep); with --schema an existing seeded schema is rebuilt again, or a new one of that
// name is seeded and kept, so runs can be compared on the same events. scripts/rebuild-read-model runs
// node with --max-old-space-size=256: NODE_OPTIONS=--max-old-space-size=256 with the --schema of a seeded
// run measures it as it runs there (seeding holds every planned event and does not fit in that heap).
import { parseArgs } from 'node:util';
import { createPostgresEventStore, migrateEventStore, START } from '@l2o/event-store';
import { createPool, quoteIdent } from '@l2o/pg';
import { freshSchema, testDatabaseUrl } from '@l2o/testing';
import { latencySummary, perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import { migrateProjections, reportingSchemaOf } from '../src/migrations.ts';
import { appendStreamPlans, planDealHistory } from '../src/read-model/deal-history.fixture.ts';
import { appendLeadHistory, planLeadHistory } from '../src/read-model/lead-history.fixture.ts';
import { appendOpportunityHistory, planOpportunityHistory } from '../src/read-model/opportunity-history.fixture.ts';
import { readModels, readModelsNamed } from '../src/read-models.ts';
import { rebuildReadModels } from '../src/rebuild/rebuild-read-models.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    page: { type: 'string' },
    models: { type: 'string', default: 'all' },
    schema: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const targetEvents = Number(values.events);
const pageSize = values.page === undefined ? undefined : Number(values.page);
if (!Number.isInteger(targetEvents) || targetEvents < 1000 || (pageSize !== undefined && !(pageSize >= 1))) {
  console.error(
    'usage: scripts/benchmark rebuild [--events N ≥ 1000] [--page N ≥ 1] [--models all|name,…] [--schema S] [--keep]',
  );
  process.exit(2);
}
const models = values.models === 'all' ? [...readModels] : values.models.split(',').flatMap(readModelsNamed);

const databaseUrl = testDatabaseUrl();
const owned = values.schema === undefined ? await freshSchema('bench_rebuild') : undefined;
const schema = values.schema ?? (owned as { schema: string }).schema;
const memory = trackPeakMemory();
const pool = createPool({
  connectionString: databaseUrl,
  schema,
  max: readModels.length + 2,
  applicationName: 'l2o-bench-rebuild',
});
try {
  if (owned === undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await migrateEventStore({ databaseUrl, schema });
  await migrateProjections({ databaseUrl, schema });
  const store = createPostgresEventStore({ pool, schema });
  const stored = Number((await pool.query<{ count: string }>('SELECT count(*) FROM events')).rows[0]?.count ?? 0);
  if (stored === 0) await seed(store, targetEvents);
  else console.log(`reusing ${stored.toLocaleString('en')} events in schema ${schema}`);
  // Held back: committed behind a transaction still open somewhere in the cluster; the rebuild reads them too.
  const lag = await store.feedLag(START);
  const total = lag.readable + lag.heldBack;

  const names = models.map((model) => model.name).join(', ');
  console.log(
    `rebuilding ${names} from ${total.toLocaleString('en')} events${pageSize ? `, pages of ${pageSize}` : ''}`,
  );
  const show = progress('rebuild', total);
  const pageMs: number[] = [];
  let last = performance.now();
  const started = last;
  const report = await rebuildReadModels({
    pool,
    store,
    readModels: models,
    ...(pageSize === undefined ? {} : { pageSize }),
    onProgress: (eventsRead) => {
      const now = performance.now();
      pageMs.push(now - last);
      last = now;
      show(eventsRead);
    },
  });
  const elapsed = performance.now() - started;
  // The last call reports the empty read that ends the rebuild, not a page.
  pageMs.pop();
  console.log(
    `  ${report.events.toLocaleString('en')} events in ${(elapsed / 1000).toFixed(1)} s: ${perSecond(report.events, elapsed)} events`,
  );
  console.log(`  per page (${pageMs.length} pages): ${latencySummary(pageMs)}`);
  // RSS seldom falls back after seeding, so the peak of a run that seeded is the seeding's.
  const rss = stored === 0 ? ' (seeding included: run again with --schema for the rebuild alone)' : '';
  console.log(`  skipped: ${report.skipped.length}; peak RSS ${memory.peakMiB()} MiB${rss}`);
} finally {
  memory.stop();
  await pool.end();
  if (owned !== undefined && !values.keep) {
    await owned.drop();
  } else {
    console.log(`kept schema ${schema} (drop it with DROP SCHEMA ${schema}, ${reportingSchemaOf(schema)} CASCADE)`);
  }
}

/** Appends about `target` events of plausible histories, round by round as they would arrive. */
async function seed(store: ReturnType<typeof createPostgresEventStore>, target: number): Promise<void> {
  const tenants = ['acme', 'globex', 'initech'];
  const from = new Date('2025-01-01T00:00:00Z');
  const days = 90;
  // Events per lead (its own, its deal's and its share of the costs), from a sample of the same generator.
  const sample = planAll(2_000, 1);
  const perLead = sample.events / 2_000;
  const estimate = planAll(Math.ceil(target / perLead), 20_250_401);
  // Costs are per campaign and day, not per lead: a second plan scaled by the first one's count lands near the target.
  const planned = planAll(Math.ceil((estimate.leads.length * target) / estimate.events), 20_250_401);
  console.log(`seeding ${planned.events.toLocaleString('en')} events into schema ${schema}`);
  const show = progress(
    'seed streams',
    planned.leads.length + planned.opportunities.length + planned.attributions.length,
  );
  let done = 0;
  const chunk = 5_000;
  for (let start = 0; start < planned.leads.length; start += chunk) {
    await appendLeadHistory({ store, plans: planned.leads.slice(start, start + chunk), streamsPerAppend: 500 });
    show((done += Math.min(chunk, planned.leads.length - start)));
  }
  await appendOpportunityHistory({ store, plans: planned.opportunities, streamsPerAppend: 500 });
  show((done += planned.opportunities.length));
  await appendStreamPlans({ store, plans: planned.attributions, streamsPerAppend: 500 });
  show(done + planned.attributions.length);

  function planAll(leadCount: number, seed: number) {
    const leads = planLeadHistory({ leads: leadCount, tenants, seed, from, days });
    const opportunities = planOpportunityHistory({ leads, seed: seed + 1 });
    const attributions = planDealHistory({ leads, seed: seed + 2, from, days }).filter(
      (plan) => plan.aggregate === 'attribution',
    );
    const events = [...leads, ...opportunities, ...attributions].reduce((sum, plan) => sum + plan.events.length, 0);
    return { leads, opportunities, attributions, events };
  }
}
