import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import { catalogue } from '@l2o/contracts';
import type { ProjectedEvent, ReadModel } from '../read-model/read-model.ts';
import { nextOpportunityState, openedState, stageVisitChange } from './opportunity-state.ts';
import type { OpportunityState } from './opportunity-state.ts';

const opportunityEventNames = new Set<string>(
  catalogue.filter((entry) => entry.aggregate === 'opportunity').map((entry) => entry.name),
);

/**
 * The `pipeline` read model: every state of every opportunity with the time it held (so the pipeline
 * as of any date is a WHERE), and every stay in a stage, for forecasts, stage conversion and time in stage.
 */
export const pipelineReadModel: ReadModel = {
  name: 'pipeline',
  tables: ['opportunity_states', 'opportunity_stage_visits'],
  handles: (eventType) => opportunityEventNames.has(eventType),
  apply: applyToPipeline,
};

const stateColumns = `status, lead_id, owner_id, pipeline_id, channel, campaign, opened_at, stage_id, stage_name,
  stage_position, probability, forecast_category, amount, currency, expected_close_date, closed_at, lost_reason,
  competitor, stalled, valid_from`;

type StateRow = {
  status: OpportunityState['status'];
  lead_id: string;
  owner_id: string;
  pipeline_id: string;
  channel: string | null;
  campaign: string | null;
  opened_at: string;
  stage_id: string;
  stage_name: string;
  stage_position: number;
  probability: number;
  forecast_category: OpportunityState['stage']['forecastCategory'];
  amount: number;
  currency: string;
  expected_close_date: string;
  closed_at: string | null;
  lost_reason: string | null;
  competitor: string | null;
  stalled: boolean;
  valid_from: string;
};

async function applyToPipeline(options: { client: pg.PoolClient; event: ProjectedEvent }): Promise<void> {
  const { client, event } = options;
  const keys = [event.tenantId, event.aggregateId];
  if (event.type === 'OpportunityOpened') {
    if (event.streamVersion !== 1) {
      throw new PermanentError(
        `event ${event.id}: opportunity ${event.aggregateId} opened at version ${event.streamVersion}`,
      );
    }
    const state = openedState(event.data);
    await insertState(client, { event, state });
    await changeVisits(client, { event, state });
    return;
  }
  const current = await client.query<StateRow>(
    `SELECT ${jsonTimes} FROM opportunity_states WHERE tenant_id = $1 AND opportunity_id = $2 AND valid_to IS NULL`,
    keys,
  );
  const row = current.rows[0];
  if (row === undefined) {
    throw new PermanentError(
      `event ${event.id}: opportunity ${event.aggregateId} has no state; its stream starts with ${event.type}`,
    );
  }
  const next = nextOpportunityState(stateOf(row), event);
  if (next === undefined) return;
  await client.query(
    'UPDATE opportunity_states SET valid_to = $3 WHERE tenant_id = $1 AND opportunity_id = $2 AND valid_to IS NULL',
    [...keys, next.validFrom],
  );
  await insertState(client, { event, state: next });
  await changeVisits(client, { event, state: next });
}

// Times and dates as ISO text and the amount as a number, as the events carry them.
const jsonTimes = stateColumns
  .replace('opened_at', `to_json(opened_at) #>> '{}' AS opened_at`)
  .replace('closed_at', `to_json(closed_at) #>> '{}' AS closed_at`)
  .replace('valid_from', `to_json(valid_from) #>> '{}' AS valid_from`)
  .replace('expected_close_date', 'expected_close_date::text AS expected_close_date')
  .replace(/\bamount\b/, 'amount::float8 AS amount');

function stateOf(row: StateRow): OpportunityState {
  return {
    status: row.status,
    leadId: row.lead_id,
    ownerId: row.owner_id,
    pipelineId: row.pipeline_id,
    channel: row.channel,
    campaign: row.campaign,
    openedAt: row.opened_at,
    stage: {
      id: row.stage_id,
      name: row.stage_name,
      position: row.stage_position,
      probability: row.probability,
      forecastCategory: row.forecast_category,
    },
    amount: row.amount,
    currency: row.currency,
    expectedCloseDate: row.expected_close_date,
    closedAt: row.closed_at,
    lostReason: row.lost_reason,
    competitor: row.competitor,
    stalled: row.stalled,
    validFrom: row.valid_from,
  };
}

async function insertState(
  client: pg.PoolClient,
  options: { event: ProjectedEvent; state: OpportunityState },
): Promise<void> {
  const { event, state } = options;
  await client.query(
    `INSERT INTO opportunity_states (tenant_id, opportunity_id, version, ${stateColumns})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
    [
      event.tenantId,
      event.aggregateId,
      event.streamVersion,
      state.status,
      state.leadId,
      state.ownerId,
      state.pipelineId,
      state.channel,
      state.campaign,
      state.openedAt,
      state.stage.id,
      state.stage.name,
      state.stage.position,
      state.stage.probability,
      state.stage.forecastCategory,
      state.amount,
      state.currency,
      state.expectedCloseDate,
      state.closedAt,
      state.lostReason,
      state.competitor,
      state.stalled,
      state.validFrom,
    ],
  );
}

async function changeVisits(
  client: pg.PoolClient,
  options: { event: ProjectedEvent; state: OpportunityState },
): Promise<void> {
  const { event, state } = options;
  const change = stageVisitChange(event, state);
  if (change.leave !== undefined) {
    await client.query(
      `UPDATE opportunity_stage_visits SET left_at = $3, exit = $4
       WHERE tenant_id = $1 AND opportunity_id = $2 AND left_at IS NULL`,
      [event.tenantId, event.aggregateId, change.leave.at, change.leave.exit],
    );
  }
  if (change.enter !== undefined) {
    const { stage, at } = change.enter;
    await client.query(
      `INSERT INTO opportunity_stage_visits (tenant_id, opportunity_id, version, pipeline_id, stage_id, stage_name,
         stage_position, entered_at, channel, campaign, lead_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        event.tenantId,
        event.aggregateId,
        event.streamVersion,
        state.pipelineId,
        stage.id,
        stage.name,
        stage.position,
        at,
        state.channel,
        state.campaign,
        state.leadId,
      ],
    );
  }
}
