import type pg from 'pg';
import { withTransaction } from '@l2o/pg';
import type { IdentityKey, MatchRule } from '../normalize/index.ts';

/**
 * The lead a capture belongs to. `matchedBy` is the key that tied it there; for a new lead, its
 * strongest key, which is what ties it to the lead should a concurrent capture append first.
 */
export type ResolvedLead = { leadId: string; matchedBy?: MatchRule; isNew: boolean };

/** One capture to resolve: its keys, strongest first, and a fresh lead id for it should it be new. */
export type IdentityClaim = { keys: readonly IdentityKey[]; candidateId: string };

const deadlockDetected = '40P01';
const maxDeadlockRetries = 3;

/**
 * For each capture of one tenant, in one transaction: finds the lead that owns the highest-priority
 * of its `keys` (ordered strongest first), claiming every key nobody owns yet for it. When no key is
 * owned, they are all claimed for its `candidateId`, a fresh lead id. Concurrent claims of one key
 * serialize on the primary key, so they all resolve to one lead. Captures of one person in the list
 * resolve to one lead: a key two of them share is claimed for the earlier one.
 */
export async function resolveLeads(options: {
  pool: pg.Pool;
  tenantId: string;
  claims: readonly IdentityClaim[];
}): Promise<ResolvedLead[]> {
  const { pool, tenantId, claims } = options;
  const allKeys = uniqueKeys(claims);
  if (allKeys.length === 0) return claims.map((claim) => winnerOf(claim, new Map()));

  // Most captures of a known person find every key owned already: one read, no write.
  const known = await owners(pool, tenantId, allKeys);
  if (known.size === allKeys.length) return resolveInOrder(claims, known);

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await withTransaction(pool, async (client) => {
        const unclaimed = allKeys.filter((key) => !known.has(keyOf(key)));
        // A key goes to the first capture that has it; sorted, so two claims lock their keys in one order.
        const firstClaim = new Map<string, string>();
        for (const claim of claims) {
          for (const key of claim.keys) if (!firstClaim.has(keyOf(key))) firstClaim.set(keyOf(key), claim.candidateId);
        }
        const rows = unclaimed
          .map((key) => ({ ...key, leadId: firstClaim.get(keyOf(key)) as string }))
          .sort((a, b) => compare(a.kind, b.kind) || compare(a.value, b.value));
        await client.query(
          `INSERT INTO lead_identities (tenant_id, kind, value, lead_id)
           SELECT $1, k.kind, k.value, k.lead_id
           FROM unnest($2::text[], $3::text[], $4::uuid[]) WITH ORDINALITY AS k(kind, value, lead_id, n)
           ORDER BY k.n
           ON CONFLICT DO NOTHING`,
          [tenantId, rows.map((row) => row.kind), rows.map((row) => row.value), rows.map((row) => row.leadId)],
        );
        const claimed = await owners(client, tenantId, allKeys);
        const resolved = resolveInOrder(claims, claimed);
        const moves = claims
          .map((claim, index) => ({ from: claim.candidateId, to: resolved[index]?.leadId as string }))
          .filter((move) => move.from !== move.to);
        if (moves.length > 0) {
          // Keys claimed for a capture that joined an existing lead now point at that lead.
          await client.query(
            `UPDATE lead_identities i SET lead_id = m.to_lead
             FROM unnest($2::uuid[], $3::uuid[]) AS m(from_lead, to_lead)
             WHERE i.tenant_id = $1 AND i.lead_id = m.from_lead`,
            [tenantId, moves.map((move) => move.from), moves.map((move) => move.to)],
          );
        }
        return resolved;
      });
    } catch (error) {
      if (!isDeadlock(error) || attempt > maxDeadlockRetries) throw error;
    }
  }
}

/**
 * Deletes every key claimed for `leadIds`: the compensation for claims whose lead was never
 * appended (see `createLeadCapturer`), so no key is left pointing at a lead that does not exist.
 */
export async function releaseClaims(options: {
  pool: pg.Pool;
  tenantId: string;
  leadIds: readonly string[];
}): Promise<number> {
  if (options.leadIds.length === 0) return 0;
  const result = await options.pool.query(
    'DELETE FROM lead_identities WHERE tenant_id = $1 AND lead_id = ANY($2::uuid[])',
    [options.tenantId, options.leadIds],
  );
  return result.rowCount ?? 0;
}

/** Claims for `leadId` each of `keys` nobody owns, as a lead captured on keys released meanwhile needs. */
export async function claimFreeKeys(options: {
  pool: pg.Pool;
  tenantId: string;
  leadId: string;
  keys: readonly IdentityKey[];
}): Promise<void> {
  const { pool, tenantId, leadId, keys } = options;
  if (keys.length === 0) return;
  await pool.query(
    `INSERT INTO lead_identities (tenant_id, kind, value, lead_id)
     SELECT $1, k.kind, k.value, $4 FROM unnest($2::text[], $3::text[]) AS k(kind, value)
     ON CONFLICT DO NOTHING`,
    [tenantId, keys.map((key) => key.kind), keys.map((key) => key.value), leadId],
  );
}

/** The lead a single key points at, if any. */
export async function findLeadByKey(options: {
  pool: pg.Pool;
  tenantId: string;
  key: IdentityKey;
}): Promise<string | undefined> {
  const result = await options.pool.query<{ lead_id: string }>(
    'SELECT lead_id FROM lead_identities WHERE tenant_id = $1 AND kind = $2 AND value = $3',
    [options.tenantId, options.key.kind, options.key.value],
  );
  return result.rows[0]?.lead_id;
}

/** Points every key of a merged lead at its survivor, so later captures go there directly. */
export async function repointIdentities(options: {
  pool: pg.Pool | pg.PoolClient;
  tenantId: string;
  fromLeadId: string;
  toLeadId: string;
}): Promise<number> {
  const result = await options.pool.query(
    'UPDATE lead_identities SET lead_id = $3 WHERE tenant_id = $1 AND lead_id = $2',
    [options.tenantId, options.fromLeadId, options.toLeadId],
  );
  return result.rowCount ?? 0;
}

/**
 * Each capture's lead, in list order. A key owned by an earlier capture's candidate leads to where
 * that capture went; a key is only ever claimed for an earlier or the same capture, so this ends.
 */
function resolveInOrder(claims: readonly IdentityClaim[], owned: ReadonlyMap<string, string>): ResolvedLead[] {
  const winnerOfCandidate = new Map<string, string>();
  return claims.map((claim) => {
    const resolved = winnerOf(claim, owned);
    const leadId = winnerOfCandidate.get(resolved.leadId) ?? resolved.leadId;
    winnerOfCandidate.set(claim.candidateId, leadId);
    return { ...resolved, leadId };
  });
}

function winnerOf(claim: IdentityClaim, owned: ReadonlyMap<string, string>): ResolvedLead {
  const { keys, candidateId } = claim;
  for (const key of keys) {
    const owner = owned.get(keyOf(key));
    if (owner !== undefined && owner !== candidateId) return { leadId: owner, matchedBy: key.kind, isNew: false };
  }
  const strongest = keys[0];
  return { leadId: candidateId, isNew: true, ...(strongest === undefined ? {} : { matchedBy: strongest.kind }) };
}

async function owners(
  db: pg.Pool | pg.PoolClient,
  tenantId: string,
  keys: readonly IdentityKey[],
): Promise<Map<string, string>> {
  const result = await db.query<{ kind: MatchRule; value: string; lead_id: string }>(
    `SELECT i.kind, i.value, i.lead_id FROM lead_identities i
     JOIN unnest($2::text[], $3::text[]) AS k(kind, value) ON i.kind = k.kind AND i.value = k.value
     WHERE i.tenant_id = $1`,
    [tenantId, keys.map((key) => key.kind), keys.map((key) => key.value)],
  );
  return new Map(result.rows.map((row) => [keyOf(row), row.lead_id]));
}

function uniqueKeys(claims: readonly IdentityClaim[]): IdentityKey[] {
  const unique = new Map<string, IdentityKey>();
  for (const claim of claims) for (const key of claim.keys) unique.set(keyOf(key), key);
  return [...unique.values()];
}

function keyOf(key: { kind: string; value: string }): string {
  return `${key.kind}\u0000${key.value}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDeadlock(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === deadlockDetected;
}
