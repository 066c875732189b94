import cliProgress from 'cli-progress';
import { createPostgresEventStore, START } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { migrateProjections } from '../migrations.ts';
import { readModelsNamed } from '../read-models.ts';
import { rebuildReadModels } from './rebuild-read-models.ts';
import type { RebuildReport } from './rebuild-read-models.ts';

/**
 * `scripts/rebuild-read-model <name>|all`: drops the named read model (or all of them) for every tenant
 * and replays the event store into it, with a progress bar on stderr (events/s and ETA). The event store
 * is read from the same database and schema as the read models.
 * @throws Error for an unknown read model name, before anything is dropped.
 */
export async function runRebuildCommand(options: {
  name: string;
  databaseUrl: string;
  schema: string;
  /** Where the summary goes (default: console.log). */
  print?: (line: string) => void;
}): Promise<RebuildReport> {
  const print = options.print ?? ((line: string) => console.log(line));
  const readModels = readModelsNamed(options.name);
  await migrateProjections({ databaseUrl: options.databaseUrl, schema: options.schema });
  const pool = createPool({
    connectionString: options.databaseUrl,
    schema: options.schema,
    // A connection per read model applying a page, and one reading the next.
    max: readModels.length + 1,
    applicationName: 'l2o-rebuild-read-model',
  });
  const store = createPostgresEventStore({ pool, schema: options.schema });
  const bar = new cliProgress.SingleBar(
    {
      format: 'rebuild {names} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}',
      noTTYOutput: true,
      notTTYSchedule: 5_000,
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  try {
    const lag = await store.feedLag(START);
    const names = readModels.map((model) => model.name).join(', ');
    const started = performance.now();
    bar.start(lag.readable + lag.heldBack, 0, { names, rate: 0 });
    const report = await rebuildReadModels({
      pool,
      store,
      readModels,
      onProgress: (eventsRead) => {
        // Events appended while the rebuild runs make the feed longer than counted at the start.
        if (eventsRead > bar.getTotal()) bar.setTotal(eventsRead);
        bar.update(eventsRead, { rate: Math.round(eventsRead / ((performance.now() - started) / 1000)) });
      },
    });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    print(`rebuilt ${names} from ${report.events} events in ${seconds.toFixed(1)} s`);
    for (const skipped of report.skipped) {
      print(
        `  ${skipped.readModel} skipped ${skipped.streamId} v${skipped.streamVersion} (event ${skipped.eventId}): ${skipped.reason}`,
      );
    }
    return report;
  } finally {
    bar.stop();
    await pool.end();
  }
}
