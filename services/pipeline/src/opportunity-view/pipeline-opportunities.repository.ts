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
  last_version: number;
};

const columns = `opportunity_id::text AS opportunity_id, tenant_id, lead_id::text AS lead_id, owner_id, pipeline_id,
  stage_id, stage_name, stage_position, probability, forecast_category, amount::text AS amount, currency,
  to_char(close_date, 'YYYY-MM-DD') AS close_date, status, entered_stage_at, stalled, closed_at, last_version`;

/** The opportunity's row, locked for the caller's transaction so deliveries of one stream apply one at a time. */
export async function lockPipelineOpportunity(db: Db, opportunityId: string): Promise<PipelineOpportunity | undefined> {
  const result = await db.query<OpportunityRow>(
    `SELECT ${columns} FROM pipeline_opportunities WHERE opportunity_id = $1 FOR UPDATE`,
    [opportunityId],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : fromRow(row);
}

/** Inserts or replaces the row. A first row racing another delivery of itself fails on the primary key. */
export async function savePipelineOpportunity(
  db: Db,
  options: { row: PipelineOpportunity; isNew: boolean },
): Promise<void> {
  const { row } = options;
  const values = [
    row.opportunityId,
    row.tenantId,
    row.leadId,
    row.ownerId,
    row.pipelineId,
    row.stage.id,
    row.stage.name,
    row.stage.position,
    row.stage.probability,
    row.stage.forecastCategory,
    row.amount,
    row.currency,
    row.closeDate,
    row.status,
    row.enteredStageAt,
    row.stalled,
    row.closedAt ?? null,
    row.lastVersion,
  ];
  if (options.isNew) {
    await db.query(
      `INSERT INTO pipeline_opportunities (opportunity_id, tenant_id, lead_id, owner_id, pipeline_id, stage_id,
         stage_name, stage_position, probability, forecast_category, amount, currency, close_date, status,
         entered_stage_at, stalled, closed_at, last_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      values,
    );
    return;
  }
  await db.query(
    `UPDATE pipeline_opportunities SET tenant_id = $2, lead_id = $3, owner_id = $4, pipeline_id = $5, stage_id = $6,
       stage_name = $7, stage_position = $8, probability = $9, forecast_category = $10, amount = $11, currency = $12,
       close_date = $13, status = $14, entered_stage_at = $15, stalled = $16, closed_at = $17, last_version = $18
     WHERE opportunity_id = $1`,
    values,
  );
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
    lastVersion: row.last_version,
  };
}
