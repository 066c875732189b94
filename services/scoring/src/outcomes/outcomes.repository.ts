import type pg from 'pg';
import type { LeadTouchpoint } from '@l2o/contracts';
import type { Outcome, ScoringProfile } from '../model/index.ts';
import type { Queryable } from '../scoring-leads/scoring-lead.repository.ts';

/** Remembers which lead each opportunity came from, in one statement; a repeat is a no-op. */
export async function rememberOpportunities(
  db: Queryable,
  opportunities: ReadonlyArray<{ opportunityId: string; tenantId: string; leadId: string }>,
): Promise<void> {
  if (opportunities.length === 0) return;
  await db.query(
    `INSERT INTO scoring_opportunities (opportunity_id, tenant_id, lead_id)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[]) ON CONFLICT (opportunity_id) DO NOTHING`,
    [
      opportunities.map((opportunity) => opportunity.opportunityId),
      opportunities.map((opportunity) => opportunity.tenantId),
      opportunities.map((opportunity) => opportunity.leadId),
    ],
  );
}

/** The lead of each opportunity whose opening scoring saw, by opportunity id, with the tenant that owns it. */
export async function leadsOfOpportunities(
  db: Queryable,
  opportunityIds: readonly string[],
): Promise<Map<string, { tenantId: string; leadId: string }>> {
  const result = await db.query<{ opportunity_id: string; tenant_id: string; lead_id: string }>(
    `SELECT opportunity_id::text AS opportunity_id, tenant_id, lead_id::text AS lead_id FROM scoring_opportunities
     WHERE opportunity_id = ANY($1::uuid[])`,
    [[...new Set(opportunityIds)]],
  );
  return new Map(result.rows.map((row) => [row.opportunity_id, { tenantId: row.tenant_id, leadId: row.lead_id }]));
}

/** A closed opportunity to record; `learned` when the model learns it in the same transaction. */
export type NewOutcome = {
  opportunityId: string;
  tenantId: string;
  leadId: string;
  outcome: Outcome;
  recordedAt: string;
  learned: boolean;
};

/** Records closed opportunities in one statement; returns the ids of those not recorded before (a redelivery is not). */
export async function insertOutcomes(client: pg.PoolClient, outcomes: readonly NewOutcome[]): Promise<Set<string>> {
  if (outcomes.length === 0) return new Set();
  const result = await client.query<{ opportunity_id: string }>(
    `INSERT INTO scoring_outcomes (opportunity_id, tenant_id, lead_id, outcome, recorded_at, learned)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::boolean[])
     ON CONFLICT (opportunity_id) DO NOTHING RETURNING opportunity_id::text AS opportunity_id`,
    [
      outcomes.map((outcome) => outcome.opportunityId),
      outcomes.map((outcome) => outcome.tenantId),
      outcomes.map((outcome) => outcome.leadId),
      outcomes.map((outcome) => outcome.outcome),
      outcomes.map((outcome) => outcome.recordedAt),
      outcomes.map((outcome) => outcome.learned),
    ],
  );
  return new Set(result.rows.map((row) => row.opportunity_id));
}

/** Forgets the outcomes of reopened opportunities; returns the tenants that had one. */
export async function deleteOutcomes(
  client: pg.PoolClient,
  opportunities: ReadonlyArray<{ tenantId: string; opportunityId: string }>,
): Promise<Set<string>> {
  if (opportunities.length === 0) return new Set();
  const result = await client.query<{ tenant_id: string }>(
    `DELETE FROM scoring_outcomes o USING unnest($1::text[], $2::uuid[]) AS r(tenant_id, opportunity_id)
     WHERE o.tenant_id = r.tenant_id AND o.opportunity_id = r.opportunity_id RETURNING o.tenant_id`,
    [
      opportunities.map((opportunity) => opportunity.tenantId),
      opportunities.map((opportunity) => opportunity.opportunityId),
    ],
  );
  return new Set(result.rows.map((row) => row.tenant_id));
}

/** What the model learns of each lead scoring has seen, by lead id (another tenant's lead is not seen). */
export async function leadExamplesOf(
  db: Queryable,
  leads: ReadonlyArray<{ tenantId: string; leadId: string }>,
): Promise<Map<string, NonNullable<OutcomeExample['lead']>>> {
  if (leads.length === 0) return new Map();
  const result = await db.query<{ lead_id: string; profile: ScoringProfile; first_touch: LeadTouchpoint | null }>(
    `SELECT l.lead_id::text AS lead_id, l.profile, l.first_touch FROM scoring_leads l
     JOIN unnest($1::text[], $2::uuid[]) AS wanted(tenant_id, lead_id)
       ON l.tenant_id = wanted.tenant_id AND l.lead_id = wanted.lead_id`,
    [leads.map((lead) => lead.tenantId), leads.map((lead) => lead.leadId)],
  );
  return new Map(
    result.rows.map((row) => [
      row.lead_id,
      { profile: row.profile, ...(row.first_touch === null ? {} : { firstTouch: row.first_touch }) },
    ]),
  );
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
