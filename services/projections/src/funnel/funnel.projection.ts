import type { StreamEvent } from '@l2o/stream-consumer';
import { instantKey } from '../read-model/instant.ts';
import type { Instant } from '../read-model/instant.ts';
import type { ReadModel, ReadModelBatch } from '../read-model/read-model.ts';
import { keysFrom, readRows, rowKey, writeRows } from '../read-model/row-store.ts';
import type { RowTable } from '../read-model/row-store.ts';
import { funnelDailyChange } from './funnel-daily.rollup.ts';

const handled = new Set<string>([
  'LeadCaptured',
  'LeadQualified',
  'LeadAssigned',
  'LeadSalesQualified',
  'LeadConverted',
  'LeadDisqualified',
  'LeadsMerged',
  'OpportunityWon',
  'OpportunityReopened',
]);

/**
 * The `funnel` read model: per lead the first time it reached each step (captured, MQL, SQL,
 * opportunity), and per opportunity each win with the reopen that undid it. Steps keep their first
 * time, so the funnel as of any date is a filter on these times. funnel_daily sums the current funnel
 * (no `asOf`) by capture day, channel, campaign and source, funnel_daily_by_channel by day and channel
 * alone; both change in the same transaction.
 */
export const funnelReadModel: ReadModel = {
  name: 'funnel',
  tables: ['funnel_leads', 'funnel_wins', 'funnel_daily', 'funnel_daily_by_channel'],
  handles: (eventType) => handled.has(eventType),
  applyBatch: applyToFunnel,
};

type FunnelLead = {
  tenant_id: string;
  lead_id: string;
  channel: string;
  source: string | null;
  campaign: string | null;
  team: string | null;
  captured_at: Instant;
  mql_at: Instant | null;
  sql_at: Instant | null;
  converted_at: Instant | null;
  opportunity_id: string | null;
  disqualified_at: Instant | null;
  merged_at: Instant | null;
};

type FunnelWin = { tenant_id: string; opportunity_id: string; won_at: Instant; reopened_at: Instant | null };

const leadTable = {
  table: 'funnel_leads',
  key: ['tenant_id', 'lead_id'],
  columns: [
    'tenant_id',
    'lead_id',
    'channel',
    'source',
    'campaign',
    'team',
    'captured_at',
    'mql_at',
    'sql_at',
    'converted_at',
    'opportunity_id',
    'disqualified_at',
    'merged_at',
  ],
} as const satisfies RowTable<keyof FunnelLead>;

const winTable = {
  table: 'funnel_wins',
  key: ['tenant_id', 'opportunity_id', 'won_at'],
  columns: ['tenant_id', 'opportunity_id', 'won_at', 'reopened_at'],
} as const satisfies RowTable<keyof FunnelWin>;

// The leads (alias f) whose daily sums a batch changes: it takes away what they counted for before and
// adds what they count for after, so every rule of the row scan holds in the rollup as is.
const touchedLeads = `(f.tenant_id, f.lead_id) IN (${keysFrom('$1')})`;
const takeAway = funnelDailyChange({ sign: -1, where: touchedLeads });
const addBack = funnelDailyChange({ sign: 1, where: touchedLeads });

/** Folds the batch into its leads' and opportunities' rows in memory; the daily sums follow the rows. */
async function applyToFunnel({ client, events }: ReadModelBatch): Promise<void> {
  const leadEvents = events.filter((event) => event.aggregate === 'lead');
  const dealEvents = events.filter((event) => event.aggregate === 'opportunity');
  const captured = new Set(
    leadEvents
      .filter((event) => event.type === 'LeadCaptured')
      .map((event) => rowKey(event.tenantId, event.aggregateId)),
  );
  const stored = await readRows<FunnelLead>(client, {
    ...leadTable,
    keys: leadEvents
      .filter((event) => !captured.has(rowKey(event.tenantId, event.aggregateId)))
      .map((event) => [event.tenantId, event.aggregateId] as const),
  });
  const deals = dealEvents.map((event) => [event.tenantId, event.aggregateId] as const);
  const storedWins = await readRows<FunnelWin>(client, { ...winTable, keys: deals });
  // A win counts for the lead that converted into the opportunity, whichever of the two streams came first.
  const converted = await readRows<FunnelLead>(client, { ...leadTable, keys: deals, idColumn: 'opportunity_id' });
  const touched = [
    ...leadEvents.map((event) => [event.tenantId, event.aggregateId] as const),
    ...converted.map((row) => [row.tenant_id, row.lead_id] as const),
  ];
  const touchedKeys = [JSON.stringify(touched)];

  const leads = foldLeads({ events: leadEvents, stored, captured });
  const wins = foldWins({ events: dealEvents, stored: storedWins });
  await client.query(takeAway, touchedKeys);
  await writeRows(client, { ...leadTable, insert: leads.fresh, update: leads.changed });
  await writeRows(client, { ...winTable, insert: wins.fresh, update: wins.changed });
  await client.query(addBack, touchedKeys);
}

function foldLeads(options: {
  events: readonly StreamEvent[];
  stored: readonly FunnelLead[];
  captured: ReadonlySet<string>;
}): { fresh: FunnelLead[]; changed: FunnelLead[] } {
  const rows = new Map(options.stored.map((row) => [rowKey(row.tenant_id, row.lead_id), row]));
  const changed = new Set<string>();
  for (const event of options.events) {
    const key = rowKey(event.tenantId, event.aggregateId);
    if (event.type === 'LeadCaptured') {
      const { touchpoint } = event.data;
      rows.set(key, {
        tenant_id: event.tenantId,
        lead_id: event.aggregateId,
        channel: touchpoint.channel,
        source: touchpoint.source ?? touchpoint.utm?.source ?? null,
        campaign: touchpoint.campaign ?? touchpoint.utm?.campaign ?? null,
        team: null,
        captured_at: event.data.capturedAt,
        mql_at: null,
        sql_at: null,
        converted_at: null,
        opportunity_id: null,
        disqualified_at: null,
        merged_at: null,
      });
      continue;
    }
    const row = rows.get(key);
    // A lead this model has no row of changes nothing, as an UPDATE of no row would not.
    if (row === undefined) continue;
    const next = nextFunnelLead(row, event);
    if (next === row) continue;
    rows.set(key, next);
    changed.add(key);
  }
  const fresh = [...options.captured].flatMap((key) => rows.get(key) ?? []);
  return {
    fresh,
    changed: [...changed].filter((key) => !options.captured.has(key)).flatMap((key) => rows.get(key) ?? []),
  };
}

function nextFunnelLead(row: FunnelLead, event: StreamEvent): FunnelLead {
  switch (event.type) {
    case 'LeadQualified':
      return { ...row, mql_at: row.mql_at ?? event.data.qualifiedAt };
    case 'LeadAssigned':
      // The team is not in funnel_daily: reports by team scan the leads.
      return { ...row, team: event.data.poolId };
    case 'LeadSalesQualified':
      return { ...row, sql_at: row.sql_at ?? event.data.qualifiedAt };
    case 'LeadConverted':
      return {
        ...row,
        converted_at: row.converted_at ?? event.data.convertedAt,
        opportunity_id: event.data.opportunityId,
      };
    case 'LeadDisqualified':
      // Not a funnel step: a disqualified lead still counts for the steps it reached.
      return { ...row, disqualified_at: row.disqualified_at ?? event.data.disqualifiedAt };
    case 'LeadsMerged':
      // The merged lead was a duplicate of the survivor, which carries on: counting both would count one person twice.
      return event.data.role === 'merged' ? { ...row, merged_at: event.data.mergedAt } : row;
    default:
      return row;
  }
}

/** Every win of the batch's opportunities, each reopen closing the standing ones. */
function foldWins(options: { events: readonly StreamEvent[]; stored: readonly FunnelWin[] }): {
  fresh: FunnelWin[];
  changed: FunnelWin[];
} {
  const winKey = (win: FunnelWin) => `${rowKey(win.tenant_id, win.opportunity_id)}\u0000${instantKey(win.won_at)}`;
  const byDeal = new Map<string, Map<string, FunnelWin>>();
  const winsOf = (tenantId: string, opportunityId: string) => {
    const deal = rowKey(tenantId, opportunityId);
    let wins = byDeal.get(deal);
    if (wins === undefined) byDeal.set(deal, (wins = new Map()));
    return wins;
  };
  for (const win of options.stored) winsOf(win.tenant_id, win.opportunity_id).set(winKey(win), win);
  const storedKeys = new Set(options.stored.map(winKey));
  const changed = new Set<string>();
  for (const event of options.events) {
    const wins = winsOf(event.tenantId, event.aggregateId);
    if (event.type === 'OpportunityWon') {
      const win = {
        tenant_id: event.tenantId,
        opportunity_id: event.aggregateId,
        won_at: event.data.wonAt,
        reopened_at: null,
      };
      // The same win twice (at the same instant) is one row.
      if (!wins.has(winKey(win))) wins.set(winKey(win), win);
    } else if (event.type === 'OpportunityReopened' && event.data.previousOutcome === 'won') {
      for (const [key, win] of wins) {
        if (win.reopened_at !== null) continue;
        wins.set(key, { ...win, reopened_at: event.data.reopenedAt });
        changed.add(key);
      }
    }
  }
  const all = [...byDeal.values()].flatMap((wins) => [...wins]);
  return {
    fresh: all.filter(([key]) => !storedKeys.has(key)).map(([, win]) => win),
    changed: all.filter(([key]) => storedKeys.has(key) && changed.has(key)).map(([, win]) => win),
  };
}
