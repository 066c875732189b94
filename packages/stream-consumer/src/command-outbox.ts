import type pg from 'pg';

/** A command kept in the outbox: its row id and the JSON the consumer decided. */
export type OutboxEntry<Command> = { id: string; command: Command };

/** Sends commands (appends to aggregates); must be idempotent, since a crash can make it send one twice. */
export type CommandDispatcher<Command> = (commands: readonly Command[]) => Promise<void>;

/** Keeps `commands` in the caller's transaction, so they exist exactly when the batch that decided them committed. */
export async function keepCommands<Command>(
  client: pg.PoolClient,
  consumer: string,
  commands: readonly Command[],
): Promise<Array<OutboxEntry<Command>>> {
  // One JSON document, not a jsonb[] literal: escaping each element as an array item cost more than the insert.
  const result = await client.query<{ id: string }>(
    `INSERT INTO consumer_outbox (consumer, command)
     SELECT $1, kept.command FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS kept(command, n)
     ORDER BY kept.n RETURNING id::text AS id`,
    [consumer, JSON.stringify(commands)],
  );
  return result.rows.map((row, index) => ({ id: row.id, command: commands[index] as Command }));
}

/** Sends the entries, then removes them; a failure leaves them for {@link sweepOutbox}. */
export async function sendKept<Command>(
  pool: pg.Pool,
  entries: ReadonlyArray<OutboxEntry<Command>>,
  dispatch: CommandDispatcher<Command>,
): Promise<void> {
  if (entries.length === 0) return;
  await dispatch(entries.map((entry) => entry.command));
  await pool.query('DELETE FROM consumer_outbox WHERE id = ANY($1::bigint[])', [entries.map((entry) => entry.id)]);
}

/**
 * Sends commands left in the outbox longer than `minAgeMs` (their batch committed, then the process
 * stopped or the send failed), up to `limit` at a time. Rows are leased by pushing their age forward
 * in one short statement rather than locked across the send, since an open writing transaction would
 * hold back the event store's feed. Returns how many it sent.
 */
export async function sweepOutbox<Command>(options: {
  pool: pg.Pool;
  consumer: string;
  dispatch: CommandDispatcher<Command>;
  minAgeMs: number;
  limit?: number;
}): Promise<number> {
  const leased = await options.pool.query<{ id: string; command: Command }>(
    `UPDATE consumer_outbox SET created_at = now(), attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM consumer_outbox
       WHERE consumer = $1 AND created_at < now() - make_interval(secs => $2::double precision / 1000)
       ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING id::text AS id, command`,
    [options.consumer, options.minAgeMs, options.limit ?? 500],
  );
  const entries = leased.rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  await sendKept(options.pool, entries, options.dispatch);
  return entries.length;
}
