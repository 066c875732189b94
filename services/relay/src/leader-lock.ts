import pg from 'pg';
import { setTimeout as delay } from 'node:timers/promises';

// Advisory lock keys (class, object): a fixed class for the relay ("L2O" in hex), and the
// schema's hash, so relays of different environments sharing one database do not contend.
const RELAY_LOCK_CLASS = 0x4c324f;

export type LeaderLock = {
  /** Rejects if the lock's session ends: another relay may then be leading, so this one must stop. */
  lost: Promise<never>;
  release(): Promise<void>;
};

/**
 * Waits until this process holds the relay's session-level advisory lock, so exactly one relay
 * publishes at a time; the others wait here as standbys and take over when the leader's session ends.
 */
export async function acquireLeaderLock(options: {
  connectionString: string;
  schema: string;
  signal: AbortSignal;
  retryMs?: number;
  onWaiting?: () => void;
}): Promise<LeaderLock | undefined> {
  const client = new pg.Client({ connectionString: options.connectionString, application_name: 'l2o-relay-lock' });
  await client.connect();
  let announcedWaiting = false;
  while (!options.signal.aborted) {
    const result = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked',
      [RELAY_LOCK_CLASS, options.schema],
    );
    if (result.rows[0]?.locked) {
      let rejectLost: (error: Error) => void = () => undefined;
      const lost = new Promise<never>((_, reject) => {
        rejectLost = reject;
      });
      lost.catch(() => undefined);
      client.on('error', (error) => rejectLost(new Error(`relay lock session failed: ${error.message}`)));
      client.on('end', () => rejectLost(new Error('relay lock session ended')));
      return {
        lost,
        release: async () => {
          client.removeAllListeners('end');
          client.removeAllListeners('error');
          await client.end().catch(() => undefined);
        },
      };
    }
    if (!announcedWaiting) options.onWaiting?.();
    announcedWaiting = true;
    await delay(options.retryMs ?? 1_000, undefined, { signal: options.signal }).catch(() => undefined);
  }
  await client.end().catch(() => undefined);
  return undefined;
}
