import type pg from 'pg';
import type { LeadTouchpoint } from '@l2o/contracts';
import type { Outcome, ScoringProfile } from '../model/index.ts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';

/** Remembers which lead an opportunity came from; a repeat is a no-op. */
export async function rememberOpportunity(
  db: Queryable,
  options: { opportunityId: string; tenantId: string; leadId: string },
): Promise<void> {
  await db.query(
    `INSERT INTO scoring_opportunities (opportunity_id, tenant_id, lead_id) VALUES ($1, $2, $3)
     ON CONFLICT (opportunity_id) DO NOTHING`,
    [options.opportunityId, options.tenantId, options.leadId],
  );
}

/** The lead a tenant's opportunity came from, or `undefined` when its opening was never seen. */
export async function leadOfOpportunity(
  db: Queryable,
  options: { tenantId: string; opportunityId: string },
): Promise<string | undefined> {
  const result = await db.query<{ lead_id: string }>(
    'SELECT lead_id::text AS lead_id FROM scoring_opportunities WHERE tenant_id = $1 AND opportunity_id = $2',
    [options.tenantId, options.opportunityId],
  );
  return result.rows[0]?.lead_id;
}

/**
 * Records a closed opportunity, `learned` when the model learns it in the same transaction; false
 * when it was already recorded (a redelivery).
 */
export async function insertOutcome(
  client: pg.PoolClient,
  options: {
    opportunityId: string;
    tenantId: string;
    leadId: string;
    outcome: Outcome;
    recordedAt: string;
    learned: boolean;
  },
): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO scoring_outcomes (opportunity_id, tenant_id, lead_id, outcome, recorded_at, learned)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (opportunity_id) DO NOTHING`,
    [options.opportunityId, options.tenantId, options.leadId, options.outcome, options.recordedAt, options.learned],
  );
  return result.rowCount === 1;
}

/** Forgets the outcome of a reopened opportunity; false when there was none. */
export async function deleteOutcome(
  client: pg.PoolClient,
  options: { tenantId: string; opportunityId: string },
): Promise<boolean> {
  const result = await client.query('DELETE FROM scoring_outcomes WHERE tenant_id = $1 AND opportunity_id = $2', [
    options.tenantId,
    options.opportunityId,
  ]);
  return result.rowCount === 1;
}

/** Tenants with outcomes not yet learnt whose lead scoring now knows. */
export async function tenantsWithLearnableOutcomes(db: Queryable, options: { limit: number }): Promise<string[]> {
  const result = await db.query<{ tenant_id: string }>(
    `SELECT DISTINCT o.tenant_id FROM scoring_outcomes o
     JOIN scoring_leads l ON l.lead_id = o.lead_id AND l.tenant_id = o.tenant_id
     WHERE NOT o.learned LIMIT $1`,
    [options.limit],
  );
  return result.rows.map((row) => row.tenant_id);
}

/** A closed outcome with the profile of its lead, when scoring has seen it. */
export type OutcomeExample = {
  outcome: Outcome;
  lead?: { profile: ScoringProfile; firstTouch?: LeadTouchpoint };
};

type ExampleRow = { outcome: Outcome; profile: ScoringProfile | null; first_touch: LeadTouchpoint | null };

function toExample(row: ExampleRow): OutcomeExample {
  return {
    outcome: row.outcome,
    ...(row.profile === null
      ? {}
      : { lead: { profile: row.profile, ...(row.first_touch === null ? {} : { firstTouch: row.first_touch }) } }),
  };
}

// One statement, so the leads it marks learnt are exactly the leads it returns, even while leads arrive.
const markAndReturn = `UPDATE scoring_outcomes o SET learned = (j.profile IS NOT NULL)
  FROM (SELECT o2.opportunity_id, l.profile, l.first_touch FROM scoring_outcomes o2
        LEFT JOIN scoring_leads l ON l.lead_id = o2.lead_id AND l.tenant_id = o2.tenant_id
        WHERE o2.tenant_id = $1) AS j
  WHERE o.opportunity_id = j.opportunity_id AND o.tenant_id = $1`;

/**
 * Every closed outcome of a tenant with the profile of its lead when scoring knows it, marking
 * exactly those learnt. Call with the tenant's model locked, to rebuild it.
 */
export async function takeAllOutcomes(client: pg.PoolClient, tenantId: string): Promise<OutcomeExample[]> {
  const result = await client.query<ExampleRow>(`${markAndReturn} RETURNING o.outcome, j.profile, j.first_touch`, [
    tenantId,
  ]);
  return result.rows.map(toExample);
}

/**
 * The tenant's outcomes not yet learnt whose lead scoring now knows, marked learnt. Call with the
 * tenant's model locked, to learn them.
 */
export async function takeLearnableOutcomes(client: pg.PoolClient, tenantId: string): Promise<OutcomeExample[]> {
  const result = await client.query<ExampleRow>(
    `UPDATE scoring_outcomes o SET learned = true FROM scoring_leads l
     WHERE l.lead_id = o.lead_id AND l.tenant_id = o.tenant_id AND o.tenant_id = $1 AND NOT o.learned
     RETURNING o.outcome, l.profile, l.first_touch`,
    [tenantId],
  );
  return result.rows.map(toExample);
}
