import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import type { RoutableLead } from '../assignment/index.ts';
import type { Db } from '../db.ts';
import { newRoutingLead } from './routing-lead.ts';
import type { Reservation, RoutingLead, Waiting } from './routing-lead.ts';

type LeadRow = {
  lead_id: string;
  tenant_id: string;
  attributes: RoutableLead;
  owner_id: string | null;
  open: boolean;
  closed: boolean;
  previous_owner_ids: string[];
  reservation: Reservation | null;
  waiting: Waiting | null;
  last_version: number;
};

const columns =
  'lead_id::text AS lead_id, tenant_id, attributes, owner_id, open, closed, previous_owner_ids, reservation, waiting, last_version';

/**
 * The lead's row, locked until the transaction ends (created empty when routing has not seen the
 * lead yet). Lead ids are UUIDs unique across tenants; a row of another tenant is a corrupt message.
 */
export async function lockRoutingLead(
  client: pg.PoolClient,
  options: { leadId: string; tenantId: string },
): Promise<RoutingLead> {
  await client.query(
    'INSERT INTO routing_leads (lead_id, tenant_id) VALUES ($1, $2) ON CONFLICT (lead_id) DO NOTHING',
    [options.leadId, options.tenantId],
  );
  const result = await client.query<LeadRow>(`SELECT ${columns} FROM routing_leads WHERE lead_id = $1 FOR UPDATE`, [
    options.leadId,
  ]);
  const row = result.rows[0];
  if (row === undefined) return newRoutingLead(options);
  if (row.tenant_id !== options.tenantId) {
    throw new PermanentError(`lead ${options.leadId} belongs to tenant ${row.tenant_id}, not ${options.tenantId}`);
  }
  return fromRow(row);
}

/** The lead as routing knows it, or `undefined` when routing has seen none of its events (or it is another tenant's). */
export async function readRoutingLead(
  db: Db,
  options: { leadId: string; tenantId: string },
): Promise<RoutingLead | undefined> {
  const result = await db.query<LeadRow>(`SELECT ${columns} FROM routing_leads WHERE lead_id = $1 AND tenant_id = $2`, [
    options.leadId,
    options.tenantId,
  ]);
  const row = result.rows[0];
  return row === undefined ? undefined : fromRow(row);
}

/** Writes the lead back; `nextTryAt` is when a waiting lead is tried again (unchanged when not given). */
export async function saveRoutingLead(
  client: pg.PoolClient,
  options: { lead: RoutingLead; nextTryAt?: Date },
): Promise<void> {
  const { lead } = options;
  await client.query(
    `UPDATE routing_leads
        SET attributes = $2, owner_id = $3, open = $4, closed = $5, previous_owner_ids = $6,
            reservation = $7, waiting = $8,
            next_try_at = CASE WHEN $8::jsonb IS NULL THEN NULL ELSE coalesce($9, next_try_at) END,
            last_version = $10
      WHERE lead_id = $1`,
    [
      lead.leadId,
      lead.attributes,
      lead.ownerId ?? null,
      lead.open,
      lead.closed,
      lead.previousOwnerIds,
      lead.reservation ?? null,
      lead.waiting ?? null,
      options.nextTryAt ?? null,
      lead.lastVersion,
    ],
  );
}

/** Waiting leads whose next try is due, oldest due first. */
export async function waitingLeadsDue(
  db: Db,
  options: { now: Date; limit: number },
): Promise<Array<{ leadId: string; tenantId: string; waiting: Waiting }>> {
  const result = await db.query<{ lead_id: string; tenant_id: string; waiting: Waiting }>(
    `SELECT lead_id::text AS lead_id, tenant_id, waiting FROM routing_leads
      WHERE waiting IS NOT NULL AND next_try_at <= $1
      ORDER BY next_try_at LIMIT $2`,
    [options.now, options.limit],
  );
  return result.rows.map((row) => ({ leadId: row.lead_id, tenantId: row.tenant_id, waiting: row.waiting }));
}

function fromRow(row: LeadRow): RoutingLead {
  return {
    leadId: row.lead_id,
    tenantId: row.tenant_id,
    attributes: row.attributes,
    ...(row.owner_id === null ? {} : { ownerId: row.owner_id }),
    open: row.open,
    closed: row.closed,
    previousOwnerIds: row.previous_owner_ids,
    ...(row.reservation === null ? {} : { reservation: row.reservation }),
    ...(row.waiting === null ? {} : { waiting: row.waiting }),
    lastVersion: row.last_version,
  };
}
