import type { StreamEvent } from '@l2o/stream-consumer';
import type { Instant } from '../read-model/instant.ts';
import type { ReadModel, ReadModelBatch } from '../read-model/read-model.ts';
import { readRows, rowKey, splitByStored, writeRows } from '../read-model/row-store.ts';
import type { RowTable } from '../read-model/row-store.ts';

const handled = new Set<string>([
  'LeadCaptured',
  'LeadAssigned',
  'LeadAccepted',
  'LeadContacted',
  'LeadResponseSlaBreached',
  'LeadRejected',
  'LeadRecycled',
  'LeadConverted',
  'LeadDisqualified',
  'LeadsMerged',
]);

/**
 * The `response` read model: one row per assignment of a lead to a rep, with the rep's first response
 * (accepted or contacted), the SLA breach if the deadline came first, and how the assignment ended.
 * Open assignments are the reps' workload.
 */
export const responseReadModel: ReadModel = {
  name: 'response',
  tables: ['response_leads', 'response_assignments'],
  handles: (eventType) => handled.has(eventType),
  applyBatch: applyToResponse,
};

type ResponseLead = { tenant_id: string; lead_id: string; channel: string; campaign: string | null };

type Assignment = {
  tenant_id: string;
  lead_id: string;
  assigned_version: number;
  owner_id: string;
  team: string;
  channel: string;
  campaign: string | null;
  assigned_at: Instant;
  due_at: Instant | null;
  responded_at: Instant | null;
  response: 'accepted' | 'contacted' | null;
  breached_at: Instant | null;
  ended_at: Instant | null;
  end_reason: string | null;
};

const leadTable = {
  table: 'response_leads',
  key: ['tenant_id', 'lead_id'],
  columns: ['tenant_id', 'lead_id', 'channel', 'campaign'],
} as const satisfies RowTable<keyof ResponseLead>;

const assignmentTable = {
  table: 'response_assignments',
  key: ['tenant_id', 'lead_id', 'assigned_version'],
  columns: [
    'tenant_id',
    'lead_id',
    'assigned_version',
    'owner_id',
    'team',
    'channel',
    'campaign',
    'assigned_at',
    'due_at',
    'responded_at',
    'response',
    'breached_at',
    'ended_at',
    'end_reason',
  ],
} as const satisfies RowTable<keyof Assignment>;

/** Where a lead of the batch stands: its capture's channel and campaign, and its open assignment. */
type LeadState = { lead?: ResponseLead; open?: Assignment };

/**
 * Folds each lead's events of the batch in memory from its stored open assignment (a lead has at most
 * one), then writes the changed and new assignments.
 */
async function applyToResponse({ client, events }: ReadModelBatch): Promise<void> {
  const keys = events.map((event) => [event.tenantId, event.aggregateId] as const);
  const leads = await readRows<ResponseLead>(client, { ...leadTable, keys });
  const open = await readRows<Assignment>(client, { ...assignmentTable, keys, where: 't.ended_at IS NULL' });
  const states = new Map<string, LeadState>();
  const stateOf = (tenantId: string, leadId: string) => {
    const key = rowKey(tenantId, leadId);
    let state = states.get(key);
    if (state === undefined) states.set(key, (state = {}));
    return state;
  };
  for (const lead of leads) stateOf(lead.tenant_id, lead.lead_id).lead = lead;
  for (const assignment of open) stateOf(assignment.tenant_id, assignment.lead_id).open = assignment;
  const storedOpen = new Set(open.map(assignmentKey));

  const freshLeads: ResponseLead[] = [];
  const assignments = new Map<string, Assignment>();
  for (const event of events) {
    const state = stateOf(event.tenantId, event.aggregateId);
    const change = changeOf(event, state);
    if (change.lead !== undefined) {
      freshLeads.push(change.lead);
      state.lead = change.lead;
    }
    if (change.closed !== undefined) assignments.set(assignmentKey(change.closed), change.closed);
    if (change.open !== undefined) assignments.set(assignmentKey(change.open), change.open);
    if ('open' in change) state.open = change.open;
  }
  await writeRows(client, { ...leadTable, insert: freshLeads });
  await writeRows(client, { ...assignmentTable, ...splitByStored(assignments, storedOpen) });
}

function assignmentKey(row: Assignment): string {
  return `${rowKey(row.tenant_id, row.lead_id)}\u0000${row.assigned_version}`;
}

/**
 * What one event does: a captured lead, the open assignment it changes or ends (`closed`), and the
 * lead's open assignment after it (`open`, present when it changes; undefined when none is left).
 */
type Change = { lead?: ResponseLead; closed?: Assignment; open?: Assignment | undefined };

function changeOf(event: StreamEvent, state: LeadState): Change {
  const { open } = state;
  const end = (at: Instant, reason: string): Change =>
    open === undefined ? {} : { closed: { ...open, ended_at: at, end_reason: reason }, open: undefined };
  /** The owner's first answer to the assignment is its response; later ones (and anyone else's) change nothing. */
  const respond = (ownerId: string, at: Instant, response: 'accepted' | 'contacted'): Change =>
    open === undefined || open.owner_id !== ownerId || open.responded_at !== null
      ? {}
      : { open: { ...open, responded_at: at, response } };
  switch (event.type) {
    case 'LeadCaptured': {
      const { touchpoint } = event.data;
      return {
        lead: {
          tenant_id: event.tenantId,
          lead_id: event.aggregateId,
          channel: touchpoint.channel,
          campaign: touchpoint.campaign ?? touchpoint.utm?.campaign ?? null,
        },
      };
    }
    case 'LeadAssigned': {
      const { assignedAt, ownerId, poolId, responseDueAt } = event.data;
      const ended = end(assignedAt, 'reassigned');
      // The lead's channel and campaign come from its capture; without it there is no row, as before.
      if (state.lead === undefined) return ended;
      const assigned: Assignment = {
        tenant_id: event.tenantId,
        lead_id: event.aggregateId,
        assigned_version: event.streamVersion,
        owner_id: ownerId,
        team: poolId,
        channel: state.lead.channel,
        campaign: state.lead.campaign,
        assigned_at: assignedAt,
        due_at: responseDueAt ?? null,
        responded_at: null,
        response: null,
        breached_at: null,
        ended_at: null,
        end_reason: null,
      };
      return { ...ended, open: assigned };
    }
    case 'LeadAccepted':
      return respond(event.data.ownerId, event.data.acceptedAt, 'accepted');
    case 'LeadContacted':
      return respond(event.data.ownerId, event.data.contactedAt, 'contacted');
    case 'LeadResponseSlaBreached':
      if (open === undefined || open.owner_id !== event.data.ownerId) return {};
      return { open: { ...open, breached_at: open.breached_at ?? event.data.breachedAt } };
    case 'LeadRejected':
      return end(event.data.rejectedAt, 'rejected');
    case 'LeadRecycled':
      return end(event.data.recycledAt, 'recycled');
    case 'LeadConverted':
      return end(event.data.convertedAt, 'converted');
    case 'LeadDisqualified':
      return end(event.data.disqualifiedAt, 'disqualified');
    case 'LeadsMerged':
      return event.data.role === 'merged' ? end(event.data.mergedAt, 'merged') : {};
    default:
      return {};
  }
}
