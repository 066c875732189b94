import type { ForecastCategory } from '@l2o/contracts';
import type { Db } from '../db.ts';
import type { PipelineOpportunity } from './pipeline-opportunity.projection.ts';

type OpportunityRow = {
  opportunity_id: string;
  tenant_id: string;
  lead_id: string;
  owner_id: string;
  pipeline_id: string;
  stage_id: string;
  stage_name: string;
  stage_position: number;
  probability: number;
  forecast_category: ForecastCategory;
  amount: string;
  currency: string;
  close_date: string;
  status: PipelineOpportunity['status'];
  entered_stage_at: Date;
  stalled: boolean;
  closed_at: Date | null;
};

const columns = `opportunity_id::text AS opportunity_id, tenant_id, lead_id::text AS lead_id, owner_id, pipeline_id,
  stage_id, stage_name, stage_position, probability, forecast_category, amount::text AS amount, currency,
  to_char(close_date, 'YYYY-MM-DD') AS close_date, status, entered_stage_at, stalled, closed_at`;

/** The rows of the opportunities, by id (lower case), in one query. */
export async function loadPipelineOpportunities(
  db: Db,
  opportunityIds: readonly string[],
): Promise<Map<string, PipelineOpportunity>> {
  const result = await db.query<OpportunityRow>(
    `SELECT ${columns} FROM pipeline_opportunities WHERE opportunity_id = ANY($1::uuid[])`,
    [opportunityIds],
  );
  return new Map(result.rows.map((row) => [row.opportunity_id, fromRow(row)]));
}

/** Inserts or replaces the rows, in one statement. */
export async function savePipelineOpportunities(db: Db, rows: readonly PipelineOpportunity[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO pipeline_opportunities (opportunity_id, tenant_id, lead_id, owner_id, pipeline_id, stage_id,
       stage_name, stage_position, probability, forecast_category, amount, currency, close_date, status,
       entered_stage_at, stalled, closed_at)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(opportunity_id uuid, tenant_id text, lead_id uuid,
       owner_id text, pipeline_id text, stage_id text, stage_name text, stage_position integer, probability integer,
       forecast_category text, amount numeric, currency text, close_date date, status text,
       entered_stage_at timestamptz, stalled boolean, closed_at timestamptz)
     ON CONFLICT (opportunity_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, lead_id = EXCLUDED.lead_id,
       owner_id = EXCLUDED.owner_id, pipeline_id = EXCLUDED.pipeline_id, stage_id = EXCLUDED.stage_id,
       stage_name = EXCLUDED.stage_name, stage_position = EXCLUDED.stage_position,
       probability = EXCLUDED.probability, forecast_category = EXCLUDED.forecast_category,
       amount = EXCLUDED.amount, currency = EXCLUDED.currency, close_date = EXCLUDED.close_date,
       status = EXCLUDED.status, entered_stage_at = EXCLUDED.entered_stage_at, stalled = EXCLUDED.stalled,
       closed_at = EXCLUDED.closed_at`,
    [JSON.stringify(rows.map(recordOf))],
  );
}

function recordOf(row: PipelineOpportunity) {
  return {
    opportunity_id: row.opportunityId,
    tenant_id: row.tenantId,
    lead_id: row.leadId,
    owner_id: row.ownerId,
    pipeline_id: row.pipelineId,
    stage_id: row.stage.id,
    stage_name: row.stage.name,
    stage_position: row.stage.position,
    probability: row.stage.probability,
    forecast_category: row.stage.forecastCategory,
    amount: row.amount,
    currency: row.currency,
    close_date: row.closeDate,
    status: row.status,
    entered_stage_at: row.enteredStageAt,
    stalled: row.stalled,
    closed_at: row.closedAt ?? null,
  };
}

function fromRow(row: OpportunityRow): PipelineOpportunity {
  return {
    opportunityId: row.opportunity_id,
    tenantId: row.tenant_id,
    leadId: row.lead_id,
    ownerId: row.owner_id,
    pipelineId: row.pipeline_id,
    stage: {
      id: row.stage_id,
      name: row.stage_name,
      probability: row.probability,
      forecastCategory: row.forecast_category,
      position: row.stage_position,
    },
    amount: Number(row.amount),
    currency: row.currency,
    closeDate: row.close_date,
    status: row.status,
    enteredStageAt: row.entered_stage_at.toISOString(),
    stalled: row.stalled,
    ...(row.closed_at === null ? {} : { closedAt: row.closed_at.toISOString() }),
  };
}
