import type pg from 'pg';
import type { ProjectedEvent, ReadModel } from '../read-model/read-model.ts';

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
  apply: applyToResponse,
};

async function applyToResponse(options: { client: pg.PoolClient; event: ProjectedEvent }): Promise<void> {
  const { client, event } = options;
  const lead = [event.tenantId, event.aggregateId];
  /** Changes the lead's open assignment, if any (`$3` onwards are `values`). */
  const onOpen = (set: string, values: unknown[], where = '') =>
    client.query(
      `UPDATE response_assignments SET ${set}
       WHERE tenant_id = $1 AND lead_id = $2 AND ended_at IS NULL ${where}`,
      [...lead, ...values],
    );
  const end = (at: string, reason: string) => onOpen('ended_at = $3, end_reason = $4', [at, reason]);
  switch (event.type) {
    case 'LeadCaptured': {
      const { touchpoint } = event.data;
      await client.query('INSERT INTO response_leads (tenant_id, lead_id, channel, campaign) VALUES ($1, $2, $3, $4)', [
        ...lead,
        touchpoint.channel,
        touchpoint.campaign ?? touchpoint.utm?.campaign ?? null,
      ]);
      return;
    }
    case 'LeadAssigned': {
      const { assignedAt, ownerId, poolId, responseDueAt } = event.data;
      await end(assignedAt, 'reassigned');
      await client.query(
        `INSERT INTO response_assignments (tenant_id, lead_id, assigned_version, owner_id, team, channel, campaign,
           assigned_at, due_at)
         SELECT $1, $2, $3, $4, $5, channel, campaign, $6, $7 FROM response_leads WHERE tenant_id = $1 AND lead_id = $2`,
        [...lead, event.streamVersion, ownerId, poolId, assignedAt, responseDueAt ?? null],
      );
      return;
    }
    case 'LeadAccepted':
      await respond({ onOpen, ownerId: event.data.ownerId, at: event.data.acceptedAt, response: 'accepted' });
      return;
    case 'LeadContacted':
      await respond({ onOpen, ownerId: event.data.ownerId, at: event.data.contactedAt, response: 'contacted' });
      return;
    case 'LeadResponseSlaBreached':
      await onOpen(
        'breached_at = COALESCE(breached_at, $3)',
        [event.data.breachedAt, event.data.ownerId],
        'AND owner_id = $4',
      );
      return;
    case 'LeadRejected':
      await end(event.data.rejectedAt, 'rejected');
      return;
    case 'LeadRecycled':
      await end(event.data.recycledAt, 'recycled');
      return;
    case 'LeadConverted':
      await end(event.data.convertedAt, 'converted');
      return;
    case 'LeadDisqualified':
      await end(event.data.disqualifiedAt, 'disqualified');
      return;
    case 'LeadsMerged':
      if (event.data.role === 'merged') await end(event.data.mergedAt, 'merged');
      return;
    default:
      return;
  }
}

/** The owner's first answer to the assignment is its response; later ones (and anyone else's) change nothing. */
async function respond(options: {
  onOpen: (set: string, values: unknown[], where?: string) => Promise<unknown>;
  ownerId: string;
  at: string;
  response: 'accepted' | 'contacted';
}): Promise<void> {
  await options.onOpen(
    'responded_at = $3, response = $4',
    [options.at, options.response, options.ownerId],
    'AND owner_id = $5 AND responded_at IS NULL',
  );
}
