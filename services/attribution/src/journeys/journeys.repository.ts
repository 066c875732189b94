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
 * Locks the opportunity's row (creating it on its first event) and returns the stream version last applied.
 * @throws PermanentError when the opportunity is known under another tenant.
 */
export async function lockJourney(
  client: pg.PoolClient,
  options: { opportunityId: string; tenantId: string },
): Promise<number> {
  await client.query(
    'INSERT INTO attribution_journeys (opportunity_id, tenant_id) VALUES ($1, $2) ON CONFLICT (opportunity_id) DO NOTHING',
    [options.opportunityId, options.tenantId],
  );
  const result = await client.query<{ tenant_id: string; last_version: string }>(
    'SELECT tenant_id, last_version FROM attribution_journeys WHERE opportunity_id = $1 FOR UPDATE',
    [options.opportunityId],
  );
  const row = result.rows[0];
  if (row === undefined || row.tenant_id !== options.tenantId) {
    throw new PermanentError(`opportunity ${options.opportunityId} belongs to another tenant than ${options.tenantId}`);
  }
  return Number(row.last_version);
}

export async function setJourneyVersion(
  client: pg.PoolClient,
  options: { opportunityId: string; version: number },
): Promise<void> {
  await client.query('UPDATE attribution_journeys SET last_version = $2 WHERE opportunity_id = $1', [
    options.opportunityId,
    options.version,
  ]);
}

export async function recordOpened(
  client: pg.PoolClient,
  options: { opportunityId: string; leadId: string; openedAt: string },
): Promise<void> {
  await client.query('UPDATE attribution_journeys SET lead_id = $2, opened_at = $3 WHERE opportunity_id = $1', [
    options.opportunityId,
    options.leadId,
    options.openedAt,
  ]);
}

export async function recordWon(
  client: pg.PoolClient,
  options: { opportunityId: string; wonAt: string; amountCents: number; currency: string },
): Promise<void> {
  await client.query(
    `UPDATE attribution_journeys SET outcome = 'won', won_at = $2, amount_cents = $3, currency = $4
     WHERE opportunity_id = $1`,
    [options.opportunityId, options.wonAt, options.amountCents, options.currency],
  );
}

export async function recordOutcome(
  client: pg.PoolClient,
  options: { opportunityId: string; outcome: 'open' | 'lost' },
): Promise<void> {
  await client.query('UPDATE attribution_journeys SET outcome = $2 WHERE opportunity_id = $1', [
    options.opportunityId,
    options.outcome,
  ]);
}

/**
 * Records, from the lead's stream, that the lead became this opportunity. The row locks like
 * {@link lockJourney}, so a win handled at the same moment either sees the conversion or is seen by it.
 * @throws PermanentError when the opportunity is known under another tenant.
 */
export async function recordConversion(
  client: pg.PoolClient,
  options: { opportunityId: string; tenantId: string; leadId: string },
): Promise<void> {
  const result = await client.query(
    `INSERT INTO attribution_journeys (opportunity_id, tenant_id, lead_id, lead_converted) VALUES ($1, $2, $3, true)
     ON CONFLICT (opportunity_id) DO UPDATE SET lead_id = EXCLUDED.lead_id, lead_converted = true
     WHERE attribution_journeys.tenant_id = EXCLUDED.tenant_id`,
    [options.opportunityId, options.tenantId, options.leadId],
  );
  if (result.rowCount !== 1) {
    throw new PermanentError(`opportunity ${options.opportunityId} belongs to another tenant than ${options.tenantId}`);
  }
}

export async function findJourney(db: Db, opportunityId: string): Promise<Journey | undefined> {
  const result = await db.query<JourneyRecord>(
    `SELECT ${columns} FROM attribution_journeys WHERE opportunity_id = $1`,
    [opportunityId],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : fromRecord(row);
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
