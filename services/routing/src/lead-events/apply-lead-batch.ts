import type { Logger } from '@l2o/service-kit';
import type { StreamBatch, StreamEvent } from '@l2o/stream-consumer';
import { assignCommandsOf, logWaiting, readAssignmentState, saveRoutingWrites } from '../assign/assign-leads.ts';
import { decideTenantBatch } from '../assign/tenant-batch.ts';
import type { QueuedLeadCommand } from '../lead-commands/queued-lead-command.ts';
import { lockRoutingLeads } from '../routing-leads/routing-leads.repository.ts';
import { lockTenantRouting } from '../routing-leads/tenant-lock.ts';
import { foldLeadEvents, needsTenantLock } from './fold-lead-events.ts';
import type { CommandCause, FoldedLead, LeadStreamEvent } from './fold-lead-events.ts';
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
 * an owner or asks for one; its routing and loads are read once, and all its leads of the batch decided
 * in memory (`decideTenantBatch`), so caps and quotas hold across replicas as with one lead per lock.
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
    const lockedTenants = new Set(
      streams.filter((stream) => stream.events.some(({ event }) => needsTenantLock(event.type))).map((s) => s.tenantId),
    );
    for (const tenantId of [...lockedTenants].sort()) await lockTenantRouting(client, tenantId);

    const before = await lockRoutingLeads(client, streams);
    const folded = streams.map((stream) => {
      const lead = before.get(stream.leadId);
      if (lead === undefined) throw new Error(`lead ${stream.leadId} was not locked`);
      return foldLeadEvents(lead, stream.events);
    });
    const now = deps.clock();
    const decided = [];
    for (const [tenantId, ofTenant] of byTenant(folded)) {
      const state = lockedTenants.has(tenantId) ? await readAssignmentState(client, tenantId) : undefined;
      const batch = decideTenantBatch({ tenantId, folded: ofTenant, state, now, waitingRetryMs: deps.waitingRetryMs });
      decided.push({ tenantId, ...batch });
    }
    await saveRoutingWrites(
      client,
      decided.map(({ writes }) => writes),
    );
    for (const { tenantId, decisions } of decided) {
      logWaiting({ logger: deps.logger, tenantId, decisions, level: 'warn' });
      for (const command of assignCommandsOf(decisions)) send(command);
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

function byTenant(folded: readonly FoldedLead[]): Array<[string, FoldedLead[]]> {
  const grouped = new Map<string, FoldedLead[]>();
  for (const lead of folded) {
    const ofTenant = grouped.get(lead.lead.tenantId);
    if (ofTenant === undefined) grouped.set(lead.lead.tenantId, [lead]);
    else ofTenant.push(lead);
  }
  return [...grouped].sort(([a], [b]) => (a < b ? -1 : 1));
}
