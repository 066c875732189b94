// Asks the relay to go back to a feed cursor and publish everything after it again (see scripts/relay-republish).
import { parseArgs } from 'node:util';
import {
  createPostgresEventStore,
  InvalidFeedCursorError,
  migrateEventStore,
  requestCheckpointRewind,
  START,
} from '@l2o/event-store';
import { createPool } from '@l2o/pg';

const usage = 'usage: scripts/relay-republish --from <xid:position>|start  |  --since <ISO time>';
const { values } = parseArgs({ options: { from: { type: 'string' }, since: { type: 'string' } } });
if ((values.from === undefined) === (values.since === undefined)) {
  console.error(usage);
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/l2o';
const schema = process.env.DATABASE_SCHEMA ?? 'l2o';
await migrateEventStore({ databaseUrl, schema });
const pool = createPool({ connectionString: databaseUrl, schema, max: 1, applicationName: 'l2o-relay-republish' });
try {
  const cursor =
    values.from !== undefined ? fromArgument(values.from) : await cursorBefore(new Date(values.since ?? ''));
  await requestCheckpointRewind(pool, 'relay', cursor);
  const lag = await createPostgresEventStore({ pool, schema }).feedLag(cursor);
  console.log(
    `The relay will publish ${lag.readable + lag.heldBack} events again from ${cursor} at its next poll ` +
      '(or when it starts). Consumers skip what they already applied.',
  );
} catch (error) {
  if (error instanceof InvalidFeedCursorError) console.error(`${error.message}\n${usage}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await pool.end();
}

function fromArgument(value: string): string {
  return value.toLowerCase() === START ? START : value;
}

/** The cursor just before the first event (in feed order) recorded at or after `since`. */
async function cursorBefore(since: Date): Promise<string> {
  if (Number.isNaN(since.getTime())) throw new Error(`--since needs an ISO time, got ${JSON.stringify(values.since)}`);
  const first = await pool.query<{ xid: string; position: string }>(
    `SELECT events.transaction_id::text AS xid, events.global_position::text AS position FROM events
     WHERE recorded_at >= $1 ORDER BY events.transaction_id, events.global_position LIMIT 1`,
    [since],
  );
  const row = first.rows[0];
  if (!row) throw new Error(`no event was recorded at or after ${since.toISOString()}: nothing to publish again`);
  return `${row.xid}:${BigInt(row.position) - 1n}`;
}
