import type pg from 'pg';
import { localTime } from '../assignment/index.ts';
import { readReps } from '../routing-config/routing-config.repository.ts';
import { countAssignment, recountOpenLeads } from '../routing-leads/rep-loads.repository.ts';
import { evolveRoutingLead } from '../routing-leads/routing-lead.ts';
import type { RoutingLead, RoutingLeadEventType } from '../routing-leads/routing-lead.ts';
import { lockRoutingLead, saveRoutingLead } from '../routing-leads/routing-leads.repository.ts';
import { lockTenantRouting } from '../routing-leads/tenant-lock.ts';
import { cancelSlaTimers, insertSlaTimer } from '../sla-timers/sla-timers.repository.ts';
import type { ConsumedLeadEvent } from './routing-lead-event.ts';

const ownershipEvents: ReadonlySet<RoutingLeadEventType> = new Set([
  'LeadAssigned',
  'LeadRejected',
  'LeadRecycled',
  'LeadConverted',
  'LeadDisqualified',
  'LeadsMerged',
]);

/**
 * Applies one lead event to `routing_leads`, the SLA timers and the rep loads, in the caller's
 * transaction. An event at or below the lead's last applied version is a redelivery and changes
 * nothing. A version gap is tolerated: routing follows only some event types, and an owner is better
 * found with what is known than never. Returns the lead after the event.
 */
export async function applyLeadEvent(
  client: pg.PoolClient,
  consumed: ConsumedLeadEvent,
): Promise<{ lead: RoutingLead; applied: boolean }> {
  const { event, leadId, tenantId, streamVersion, recordedAt } = consumed;
  // Ownership changes move open counts: they wait for a running assignment of the tenant, never the reverse.
  if (ownershipEvents.has(event.type)) await lockTenantRouting(client, tenantId);
  const before = await lockRoutingLead(client, { leadId, tenantId });
  if (streamVersion <= before.lastVersion) return { lead: before, applied: false };
  const lead = { ...evolveRoutingLead(before, event), lastVersion: streamVersion };
  await saveRoutingLead(client, { lead });

  switch (event.type) {
    case 'LeadAssigned': {
      const { ownerId, poolId, assignedAt, responseDueAt, reason, previousOwnerId } = event.data;
      // The decider ignores a timer of an earlier assignment anyway; cancelling spares it the command.
      await cancelSlaTimers(client, { leadId, now: recordedAt, keepAssignedAt: assignedAt });
      if (responseDueAt !== undefined) {
        await insertSlaTimer(client, { leadId, tenantId, ownerId, poolId, assignedAt, dueAt: new Date(responseDueAt) });
      }
      if (reason === 'manual') {
        const day = await repLocalDay(client, { tenantId, repId: ownerId, at: new Date(assignedAt) });
        await countAssignment(client, { tenantId, repId: ownerId, day });
      }
      await recountOpenLeads(client, { tenantId, repIds: defined([ownerId, previousOwnerId, before.ownerId]) });
      break;
    }
    case 'LeadAccepted':
    case 'LeadContacted':
      await cancelSlaTimers(client, { leadId, now: recordedAt });
      break;
    case 'LeadRejected':
    case 'LeadRecycled':
    case 'LeadConverted':
    case 'LeadDisqualified':
    case 'LeadsMerged':
      if (!lead.open) await cancelSlaTimers(client, { leadId, now: recordedAt });
      await recountOpenLeads(client, { tenantId, repIds: defined([before.ownerId]) });
      break;
    default:
      break;
  }
  return { lead, applied: true };
}

async function repLocalDay(
  client: pg.PoolClient,
  options: { tenantId: string; repId: string; at: Date },
): Promise<string> {
  const reps = await readReps(client, options.tenantId);
  const timezone = reps.find((rep) => rep.id === options.repId)?.timezone ?? 'UTC';
  return localTime(options.at, timezone).day;
}

function defined(ids: Array<string | undefined>): string[] {
  return ids.filter((id): id is string => id !== undefined);
}
