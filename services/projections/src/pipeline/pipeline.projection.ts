import { PermanentError } from '@l2o/bus';
import { catalogue } from '@l2o/contracts';
import type { StreamEvent } from '@l2o/stream-consumer';
import type { Instant } from '../read-model/instant.ts';
import type { ReadModel, ReadModelBatch } from '../read-model/read-model.ts';
import { readRows, rowKey, splitByStored, writeRows } from '../read-model/row-store.ts';
import type { RowTable } from '../read-model/row-store.ts';
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
  applyBatch: applyToPipeline,
};

type StateRow = {
  tenant_id: string;
  opportunity_id: string;
  version: number;
  valid_from: Instant;
  valid_to: Instant | null;
  status: OpportunityState['status'];
  lead_id: string;
  owner_id: string;
  pipeline_id: string;
  channel: string | null;
  campaign: string | null;
  opened_at: Instant;
  stage_id: string;
  stage_name: string;
  stage_position: number;
  probability: number;
  forecast_category: OpportunityState['stage']['forecastCategory'];
  amount: number;
  currency: string;
  expected_close_date: string;
  closed_at: Instant | null;
  lost_reason: string | null;
  competitor: string | null;
  stalled: boolean;
};

type VisitRow = {
  tenant_id: string;
  opportunity_id: string;
  version: number;
  pipeline_id: string;
  stage_id: string;
  stage_name: string;
  stage_position: number;
  entered_at: Instant;
  left_at: Instant | null;
  exit: string | null;
  channel: string | null;
  campaign: string | null;
  lead_id: string;
};

const stateTable = {
  table: 'opportunity_states',
  key: ['tenant_id', 'opportunity_id', 'version'],
  columns: [
    'tenant_id',
    'opportunity_id',
    'version',
    'valid_from',
    'valid_to',
    'status',
    'lead_id',
    'owner_id',
    'pipeline_id',
    'channel',
    'campaign',
    'opened_at',
    'stage_id',
    'stage_name',
    'stage_position',
    'probability',
    'forecast_category',
    'amount',
    'currency',
    'expected_close_date',
    'closed_at',
    'lost_reason',
    'competitor',
    'stalled',
  ],
} as const satisfies RowTable<keyof StateRow>;

const visitTable = {
  table: 'opportunity_stage_visits',
  key: ['tenant_id', 'opportunity_id', 'version'],
  columns: [
    'tenant_id',
    'opportunity_id',
    'version',
    'pipeline_id',
    'stage_id',
    'stage_name',
    'stage_position',
    'entered_at',
    'left_at',
    'exit',
    'channel',
    'campaign',
    'lead_id',
  ],
} as const satisfies RowTable<keyof VisitRow>;

/** One opportunity of the batch: its current state row and its open stage visits, stored or new. */
type Deal = { current?: StateRow; openVisits: VisitRow[] };

/**
 * Folds each opportunity's events of the batch in memory from its stored current state and open stage
 * visits, then ends the stored rows the batch closed and inserts the new ones.
 */
async function applyToPipeline({ client, events }: ReadModelBatch): Promise<void> {
  const keys = events.map((event) => [event.tenantId, event.aggregateId] as const);
  const currents = await readRows<StateRow>(client, { ...stateTable, keys, where: 't.valid_to IS NULL' });
  const visits = await readRows<VisitRow>(client, { ...visitTable, keys, where: 't.left_at IS NULL' });
  const deals = new Map<string, Deal>();
  const dealOf = (tenantId: string, opportunityId: string) => {
    const key = rowKey(tenantId, opportunityId);
    let deal = deals.get(key);
    if (deal === undefined) deals.set(key, (deal = { openVisits: [] }));
    return deal;
  };
  for (const row of currents)
    dealOf(row.tenant_id, row.opportunity_id).current = { ...row, amount: Number(row.amount) };
  for (const row of visits) dealOf(row.tenant_id, row.opportunity_id).openVisits.push(row);
  const storedStates = new Set(currents.map(versionKey));
  const storedVisits = new Set(visits.map(versionKey));

  const states = new Map<string, StateRow>();
  const stays = new Map<string, VisitRow>();
  for (const event of events) {
    const deal = dealOf(event.tenantId, event.aggregateId);
    const next = nextState(event, deal.current);
    if (next === undefined) continue;
    if (deal.current !== undefined) {
      const closed = { ...deal.current, valid_to: next.validFrom };
      states.set(versionKey(closed), closed);
    }
    deal.current = stateRow(event, next);
    states.set(versionKey(deal.current), deal.current);
    const change = stageVisitChange(event, next);
    if (change.leave !== undefined) {
      const { at, exit } = change.leave;
      for (const visit of deal.openVisits) stays.set(versionKey(visit), { ...visit, left_at: at, exit });
      deal.openVisits = [];
    }
    if (change.enter !== undefined) {
      const { stage, at } = change.enter;
      const visit: VisitRow = {
        tenant_id: event.tenantId,
        opportunity_id: event.aggregateId,
        version: event.streamVersion,
        pipeline_id: next.pipelineId,
        stage_id: stage.id,
        stage_name: stage.name,
        stage_position: stage.position,
        entered_at: at,
        left_at: null,
        exit: null,
        channel: next.channel,
        campaign: next.campaign,
        lead_id: next.leadId,
      };
      deal.openVisits.push(visit);
      stays.set(versionKey(visit), visit);
    }
  }
  await writeRows(client, { ...stateTable, ...splitByStored(states, storedStates) });
  await writeRows(client, { ...visitTable, ...splitByStored(stays, storedVisits) });
}

/** The state after `event`, or undefined when it changes nothing reported on. */
function nextState(event: StreamEvent, current: StateRow | undefined): OpportunityState | undefined {
  if (event.type === 'OpportunityOpened') {
    if (event.streamVersion !== 1) {
      throw new PermanentError(
        `event ${event.id}: opportunity ${event.aggregateId} opened at version ${event.streamVersion}`,
      );
    }
    return openedState(event.data);
  }
  if (current === undefined) {
    throw new PermanentError(
      `event ${event.id}: opportunity ${event.aggregateId} has no state; its stream starts with ${event.type}`,
    );
  }
  return nextOpportunityState(stateOf(current), event);
}

function versionKey(row: { tenant_id: string; opportunity_id: string; version: number }): string {
  return `${rowKey(row.tenant_id, row.opportunity_id)}\u0000${row.version}`;
}

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

function stateRow(event: StreamEvent, state: OpportunityState): StateRow {
  return {
    tenant_id: event.tenantId,
    opportunity_id: event.aggregateId,
    version: event.streamVersion,
    valid_from: state.validFrom,
    valid_to: null,
    status: state.status,
    lead_id: state.leadId,
    owner_id: state.ownerId,
    pipeline_id: state.pipelineId,
    channel: state.channel,
    campaign: state.campaign,
    opened_at: state.openedAt,
    stage_id: state.stage.id,
    stage_name: state.stage.name,
    stage_position: state.stage.position,
    probability: state.stage.probability,
    forecast_category: state.stage.forecastCategory,
    amount: state.amount,
    currency: state.currency,
    expected_close_date: state.expectedCloseDate,
    closed_at: state.closedAt,
    lost_reason: state.lostReason,
    competitor: state.competitor,
    stalled: state.stalled,
  };
}
