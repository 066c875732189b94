import type pg from 'pg';
import type { Logger } from '@l2o/service-kit';
import type { StreamBatch, StreamEvent } from '@l2o/stream-consumer';
import { assignLeadsOfTenant } from '../assign/assign-leads.ts';
import { localTime } from '../assignment/index.ts';
import type { QueuedLeadCommand } from '../lead-commands/queued-lead-command.ts';
import { readReps } from '../routing-config/routing-config.repository.ts';
import { changeAssignedToday, recountOpenLeads } from '../routing-leads/rep-loads.repository.ts';
import type { AssignedTodayChange } from '../routing-leads/rep-loads.repository.ts';
import { lockRoutingLeads, saveRoutingLeads } from '../routing-leads/routing-leads.repository.ts';
import { lockTenantRouting } from '../routing-leads/tenant-lock.ts';
import { cancelSlaTimers, insertSlaTimers } from '../sla-timers/sla-timers.repository.ts';
import { foldLeadEvents, needsTenantLock } from './fold-lead-events.ts';
import type { AssignmentRequest, CommandCause, FoldedLead, LeadStreamEvent } from './fold-lead-events.ts';
import { routingLeadEventOf } from './routing-lead-event.ts';

export type LeadBatchDeps = {
  /** The time assignments are decided at; tests fix it. */
  clock: () => Date;
  /** How long a lead nobody could take waits before it is tried again. */
  waitingRetryMs: number;
  logger: Logger;
};

type LeadStream = { leadId: string; tenantId: string; events: LeadStreamEvent[] };

/**
 * The lead consumer's `apply`: keeps routing's lead rows, SLA timers and rep loads current for a whole
 * batch and assigns the leads that asked for an owner, in the kit's transaction, in a few statements.
 *
 * Lock order, the same for every writer (retries, admin routes): the tenants' routing locks (sorted),
 * then the leads' rows (sorted). A tenant's lock is taken once per batch, when one of its events changes
 * an owner or asks for one; all its leads of the batch are then assigned in memory (see
 * `assignTenantLeads`), so caps and quotas hold across replicas as they did one lead per lock.
 *
 * The lock ends with the transaction, which commits each decision as a reservation (owner, open, the
 * SLA timer, counted against caps and quota) together with the kit's outbox entry of its AssignLead;
 * the command goes out after the commit. The Lead may refuse it (answer `[]`) if the lead moved in
 * between: got an owner by hand, or closed. Routing's view converges without undoing anything here: the
 * event that moved the lead comes next on the lead's stream, and applying it settles the reservation
 * (`reservationOutcome`): the real owner replaces the reserved one, open counts are recounted from the
 * rows, the reserved rep's daily count is given back, and the reservation's timer is cancelled (or fires
 * into a decider that answers `[]`).
 */
export function applyLeadBatch(deps: LeadBatchDeps): (batch: StreamBatch<QueuedLeadCommand>) => Promise<void> {
  return async ({ client, events, send }) => {
    const streams = leadStreamsOf(events);
    if (streams.length === 0) return;
    const lockedTenants = [
      ...new Set(
        streams
          .filter((stream) => stream.events.some(({ event }) => needsTenantLock(event.type)))
          .map((s) => s.tenantId),
      ),
    ].sort();
    for (const tenantId of lockedTenants) await lockTenantRouting(client, tenantId);

    const before = await lockRoutingLeads(client, streams);
    const folded = streams.map((stream) => {
      const lead = before.get(stream.leadId);
      if (lead === undefined) throw new Error(`lead ${stream.leadId} was not locked`);
      return foldLeadEvents(lead, stream.events);
    });
    await saveRoutingLeads(
      client,
      folded.map(({ lead }) => ({ lead })),
    );
    // Set first, cancelled after: a lead's last cancel covers the timers its earlier events set.
    await insertSlaTimers(
      client,
      folded.flatMap((lead) => lead.timers),
    );
    await cancelSlaTimers(
      client,
      folded.flatMap(({ cancel }) => (cancel === undefined ? [] : [cancel])),
    );
    await changeAssignedToday(client, await assignedTodayChanges(client, folded));
    await recountOpenLeads(
      client,
      folded.flatMap(({ lead, owners }) => owners.map((repId) => ({ tenantId: lead.tenantId, repId }))),
    );

    const requests = folded.flatMap(({ request }) => (request === undefined ? [] : [request]));
    const now = deps.clock();
    for (const [tenantId, ofTenant] of byTenant(requests)) {
      const { commands } = await assignLeadsOfTenant(client, { ...deps, tenantId, requests: ofTenant, now });
      for (const command of commands) send(command);
    }
  };
}

/** The batch's followed events per lead, leads in order of first appearance, each in version order. */
function leadStreamsOf(events: readonly StreamEvent[]): LeadStream[] {
  const streams = new Map<string, LeadStream>();
  for (const event of events) {
    const routed = routingLeadEventOf(event);
    if (routed === undefined) continue;
    let stream = streams.get(event.aggregateId);
    if (stream === undefined) {
      stream = { leadId: event.aggregateId, tenantId: event.tenantId, events: [] };
      streams.set(event.aggregateId, stream);
    }
    stream.events.push({
      event: routed,
      version: event.streamVersion,
      recordedAt: event.recordedAt,
      cause: causeOf(event),
    });
  }
  return [...streams.values()];
}

function causeOf(event: StreamEvent): CommandCause {
  return {
    causationId: event.id,
    ...(event.correlationId === undefined ? {} : { correlationId: event.correlationId }),
    ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
  };
}

/** Assignments routing did not choose count on their rep's local day; refused reservations give theirs back. */
async function assignedTodayChanges(
  client: pg.PoolClient,
  folded: readonly FoldedLead[],
): Promise<AssignedTodayChange[]> {
  const changes: AssignedTodayChange[] = [];
  const timezones = new Map<string, Map<string, string>>();
  for (const { lead, counted, givenBack } of folded) {
    const { tenantId } = lead;
    for (const { repId, day } of givenBack) changes.push({ tenantId, repId, day, delta: -1 });
    if (counted.length === 0) continue;
    let zones = timezones.get(tenantId);
    if (zones === undefined) {
      zones = new Map((await readReps(client, tenantId)).map((rep) => [rep.id, rep.timezone]));
      timezones.set(tenantId, zones);
    }
    for (const { repId, assignedAt } of counted) {
      const day = localTime(new Date(assignedAt), zones.get(repId) ?? 'UTC').day;
      changes.push({ tenantId, repId, day, delta: 1 });
    }
  }
  return changes;
}

function byTenant(requests: readonly AssignmentRequest[]): Array<[string, AssignmentRequest[]]> {
  const grouped = new Map<string, AssignmentRequest[]>();
  for (const request of requests) {
    const ofTenant = grouped.get(request.lead.tenantId);
    if (ofTenant === undefined) grouped.set(request.lead.tenantId, [request]);
    else ofTenant.push(request);
  }
  return [...grouped].sort(([a], [b]) => (a < b ? -1 : 1));
}
