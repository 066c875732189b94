import type { EventHandler } from '@l2o/bus';
import { withTransaction } from '@l2o/pg';
import { assignOwner } from '../assign/assign-owner.ts';
import type { AssignDeps } from '../assign/assign-owner.ts';
import { assignmentTriggerOf } from '../routing-leads/routing-lead.ts';
import { applyLeadEvent } from './apply-lead-event.ts';
import { consumedLeadEvent } from './routing-lead-event.ts';

/**
 * Keeps routing's view of each lead current and, for a qualified, rejected or recycled lead, finds
 * it an owner. The assignment runs on redeliveries too: its reservation makes it send the same
 * command again, which the Lead decider answers with nothing new.
 */
export function onLeadEvent(deps: AssignDeps & { clock: () => Date }): EventHandler {
  return async ({ event: cloudEvent }) => {
    const consumed = consumedLeadEvent(cloudEvent);
    if (consumed === undefined) return;
    const { lead } = await withTransaction(deps.pool, (client) => applyLeadEvent(client, consumed));
    const trigger = assignmentTriggerOf({ lead, event: consumed.event, version: consumed.streamVersion });
    if (trigger === undefined) return;
    await assignOwner({
      ...deps,
      tenantId: consumed.tenantId,
      leadId: consumed.leadId,
      trigger,
      now: deps.clock(),
      correlationId: cloudEvent.correlationid,
      causationId: cloudEvent.id,
    });
  };
}
