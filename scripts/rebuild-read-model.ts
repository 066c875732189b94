// Drops a read model (or all of them) for every tenant and rebuilds it from the event store:
//   scripts/rebuild-read-model leads|lead_timeline|all
// Uses DATABASE_URL and DATABASE_SCHEMA like the services; safe while they run (see rebuildReadModels).
import { runRebuildCommand } from '@l2o/projections/rebuild';

const [name, ...rest] = process.argv.slice(2);
if (name === undefined || rest.length > 0 || name.startsWith('-')) {
  console.error('usage: scripts/rebuild-read-model <read model name>|all');
  process.exit(2);
}
try {
  const report = await runRebuildCommand({
    name,
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/l2o',
    schema: process.env.DATABASE_SCHEMA ?? 'l2o',
  });
  process.exit(report.skipped.length === 0 ? 0 : 1);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
