import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import type { Db } from '../db.ts';

export type JourneyOutcome = 'open' | 'won' | 'lost';

/** What attribution knows of one opportunity and the lead it came from. */
export type Journey = {
  opportunityId: string;
  tenantId: string;
  leadId?: string;
  /** LeadConverted was applied: every touch the lead had before the conversion is stored. */
  leadConverted: boolean;
  outcome: JourneyOutcome;
  openedAt?: string;
  wonAt?: string;
  amountCents?: number;
  currency?: string;
};

/** A journey whose deal was won and whose touches are all in: it can be attributed. */
export type WonJourney = Journey & { leadId: string; wonAt: string; amountCents: number; currency: string };

type JourneyRecord = {
  opportunity_id: string;
  tenant_id: string;
  lead_id: string | null;
  lead_converted: boolean;
  outcome: JourneyOutcome;
  opened_at: Date | null;
  won_at: Date | null;
  amount_cents: string | null;
  currency: string | null;
};

const columns = `opportunity_id::text AS opportunity_id, tenant_id, lead_id::text AS lead_id, lead_converted, outcome,
  opened_at, won_at, amount_cents, currency`;

/**
 * Creates the rows of opportunities not seen before and locks every one, in opportunity order, for the
 * caller's transaction: a win and the lead's conversion, which arrive on two topics, take turns, so the
 * second sees the first and attributes the deal. Two statements for any number of opportunities.
 * @throws PermanentError when an opportunity is known under another tenant than the one given.
 */
export async function lockJourneys(
  client: pg.PoolClient,
  refs: ReadonlyArray<{ opportunityId: string; tenantId: string }>,
): Promise<Journey[]> {
  if (refs.length === 0) return [];
  const tenants = new Map(refs.map((ref) => [ref.opportunityId.toLowerCase(), ref.tenantId]));
  await client.query(
    `INSERT INTO attribution_journeys (opportunity_id, tenant_id)
     SELECT * FROM unnest($1::uuid[], $2::text[]) ORDER BY 1
     ON CONFLICT (opportunity_id) DO NOTHING`,
    [[...tenants.keys()], [...tenants.values()]],
  );
  const result = await client.query<JourneyRecord>(
    `SELECT ${columns} FROM attribution_journeys WHERE opportunity_id = ANY($1::uuid[])
     ORDER BY opportunity_id FOR UPDATE`,
    [[...tenants.keys()]],
  );
  for (const row of result.rows) {
    const tenantId = tenants.get(row.opportunity_id);
    if (row.tenant_id !== tenantId) {
      throw new PermanentError(`opportunity ${row.opportunity_id} belongs to another tenant than ${String(tenantId)}`);
    }
  }
  return result.rows.map(fromRecord);
}

/** Writes the journeys as given, in one statement; the caller holds their locks (see {@link lockJourneys}). */
export async function saveJourneys(db: Db, journeys: readonly Journey[]): Promise<void> {
  if (journeys.length === 0) return;
  await db.query(
    `UPDATE attribution_journeys j SET lead_id = r.lead_id, lead_converted = r.lead_converted, outcome = r.outcome,
       opened_at = r.opened_at, won_at = r.won_at, amount_cents = r.amount_cents, currency = r.currency
     FROM jsonb_to_recordset($1::jsonb) AS r(opportunity_id uuid, lead_id uuid, lead_converted boolean, outcome text,
       opened_at timestamptz, won_at timestamptz, amount_cents bigint, currency text)
     WHERE j.opportunity_id = r.opportunity_id`,
    [
      JSON.stringify(
        journeys.map((journey) => ({
          opportunity_id: journey.opportunityId,
          lead_id: journey.leadId ?? null,
          lead_converted: journey.leadConverted,
          outcome: journey.outcome,
          opened_at: journey.openedAt ?? null,
          won_at: journey.wonAt ?? null,
          amount_cents: journey.amountCents ?? null,
          currency: journey.currency ?? null,
        })),
      ),
    ],
  );
}

/** The tenant's won deals that can be attributed, oldest win first. */
export async function wonJourneys(db: Db, tenantId: string): Promise<WonJourney[]> {
  const result = await db.query<JourneyRecord>(
    `SELECT ${columns} FROM attribution_journeys
     WHERE tenant_id = $1 AND outcome = 'won' AND lead_converted AND lead_id IS NOT NULL
     ORDER BY won_at, opportunity_id`,
    [tenantId],
  );
  return result.rows.map(fromRecord).filter(isWon);
}

/** The journey when its deal is won and all its touches are in, else undefined. */
export function asWonJourney(journey: Journey | undefined): WonJourney | undefined {
  return journey !== undefined && isWon(journey) ? journey : undefined;
}

function isWon(journey: Journey): journey is WonJourney {
  return (
    journey.outcome === 'won' &&
    journey.leadConverted &&
    journey.leadId !== undefined &&
    journey.wonAt !== undefined &&
    journey.amountCents !== undefined &&
    journey.currency !== undefined
  );
}

function fromRecord(row: JourneyRecord): Journey {
  return {
    opportunityId: row.opportunity_id,
    tenantId: row.tenant_id,
    ...(row.lead_id === null ? {} : { leadId: row.lead_id }),
    leadConverted: row.lead_converted,
    outcome: row.outcome,
    ...(row.opened_at === null ? {} : { openedAt: row.opened_at.toISOString() }),
    ...(row.won_at === null ? {} : { wonAt: row.won_at.toISOString() }),
    ...(row.amount_cents === null ? {} : { amountCents: Number(row.amount_cents) }),
    ...(row.currency === null ? {} : { currency: row.currency }),
  };
}
