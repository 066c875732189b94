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
};

const columns =
  'lead_id::text AS lead_id, tenant_id, attributes, owner_id, open, closed, previous_owner_ids, reservation, waiting';

/**
 * The leads' rows, locked in lead id order until the transaction ends (created empty for leads routing
 * has not seen yet). Lead ids are UUIDs unique across tenants; a row of another tenant is a corrupt message.
 */
export async function lockRoutingLeads(
  client: pg.PoolClient,
  leads: ReadonlyArray<{ leadId: string; tenantId: string }>,
): Promise<Map<string, RoutingLead>> {
  const wanted = new Map(leads.map((lead) => [lead.leadId, lead.tenantId]));
  const leadIds = [...wanted.keys()].sort();
  await client.query(
    `INSERT INTO routing_leads (lead_id, tenant_id)
     SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT (lead_id) DO NOTHING`,
    [leadIds, leadIds.map((leadId) => wanted.get(leadId))],
  );
  const result = await client.query<LeadRow>(
    `SELECT ${columns} FROM routing_leads WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id FOR UPDATE`,
    [leadIds],
  );
  const locked = new Map(result.rows.map((row) => [row.lead_id, row]));
  return new Map(
    leadIds.map((leadId) => {
      const tenantId = wanted.get(leadId) ?? '';
      const row = locked.get(leadId);
      if (row !== undefined && row.tenant_id !== tenantId) {
        throw new PermanentError(`lead ${leadId} belongs to tenant ${row.tenant_id}, not ${tenantId}`);
      }
      return [leadId, row === undefined ? newRoutingLead({ leadId, tenantId }) : fromRow(row)];
    }),
  );
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

/**
 * Writes the leads back in one statement; `nextTryAt` is when a waiting lead is tried again
 * (unchanged when not given), cleared with `waiting`.
 */
export async function saveRoutingLeads(
  client: pg.PoolClient,
  leads: ReadonlyArray<{ lead: RoutingLead; nextTryAt?: Date }>,
): Promise<void> {
  if (leads.length === 0) return;
  const rows = leads.map(({ lead, nextTryAt }) => ({
    lead_id: lead.leadId,
    attributes: lead.attributes,
    owner_id: lead.ownerId ?? null,
    open: lead.open,
    closed: lead.closed,
    previous_owner_ids: lead.previousOwnerIds,
    reservation: lead.reservation ?? null,
    waiting: lead.waiting ?? null,
    next_try_at: nextTryAt?.toISOString() ?? null,
  }));
  await client.query(
    `UPDATE routing_leads AS l
        SET attributes = s.attributes, owner_id = s.owner_id, open = s.open, closed = s.closed,
            previous_owner_ids = s.previous_owner_ids, reservation = s.reservation, waiting = s.waiting,
            next_try_at = CASE WHEN s.waiting IS NULL THEN NULL ELSE coalesce(s.next_try_at, l.next_try_at) END
       FROM jsonb_to_recordset($1::jsonb) AS s(
              lead_id uuid, attributes jsonb, owner_id text, open boolean, closed boolean,
              previous_owner_ids text[], reservation jsonb, waiting jsonb, next_try_at timestamptz)
      WHERE l.lead_id = s.lead_id`,
    [JSON.stringify(rows)],
  );
}

/** Waiting leads whose next try is due, oldest due first (not locked: lock them with {@link lockDueWaitingLeads}). */
export async function waitingLeadsDue(
  db: Db,
  options: { now: Date; limit: number },
): Promise<Array<{ leadId: string; tenantId: string }>> {
  const result = await db.query<{ lead_id: string; tenant_id: string }>(
    `SELECT lead_id::text AS lead_id, tenant_id FROM routing_leads
      WHERE waiting IS NOT NULL AND next_try_at <= $1
      ORDER BY next_try_at LIMIT $2`,
    [options.now, options.limit],
  );
  return result.rows.map((row) => ({ leadId: row.lead_id, tenantId: row.tenant_id }));
}

/**
 * Of `leadIds`, the ones still waiting and due, locked in lead id order; call it under the tenants'
 * routing locks, so a lead another replica just assigned or tried is no longer due.
 */
export async function lockDueWaitingLeads(
  client: pg.PoolClient,
  options: { leadIds: readonly string[]; now: Date },
): Promise<RoutingLead[]> {
  const result = await client.query<LeadRow>(
    `SELECT ${columns} FROM routing_leads
      WHERE lead_id = ANY($1::uuid[]) AND waiting IS NOT NULL AND next_try_at <= $2
      ORDER BY lead_id FOR UPDATE`,
    [options.leadIds, options.now],
  );
  return result.rows.map(fromRow);
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
  };
}
