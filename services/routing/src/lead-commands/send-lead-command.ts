import { streamIdFor } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { AcceptLead, AssignLead, BreachResponseSla, DisqualifyLead, RecordContact, RejectLead } from '@l2o/domain';
import { eventMetadata, handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import { currentTraceparent } from '@l2o/service-kit';

/** The Lead commands routing sends. */
export type RoutingLeadCommand =
  AssignLead | AcceptLead | RecordContact | RejectLead | DisqualifyLead | BreachResponseSla;

export type LeadStore = Pick<EventStore, 'readStream' | 'appendToStream'>;

// Load-decide-append retries; commands on one lead rarely collide more than once or twice.
const maxConflictRetries = 5;

/**
 * Decides `command` on its Lead stream and appends what it yields, as `routing`. Returns the types
 * of the appended events; none when the command was already done or no longer applies.
 * @throws the decider's RuleViolation (LeadMergedError for a merged lead) unchanged.
 */
export async function sendLeadCommand(options: {
  store: LeadStore;
  command: RoutingLeadCommand;
  correlationId?: string | undefined;
  causationId?: string | undefined;
}): Promise<string[]> {
  const { command } = options;
  const { events } = await handleCommand({
    store: options.store,
    streamId: streamIdFor('lead', command.data.leadId),
    decider: leadDecider,
    command,
    metadata: eventMetadata({
      tenantId: command.data.tenantId,
      producer: 'routing',
      correlationId: options.correlationId,
      causationId: options.causationId,
      traceparent: currentTraceparent(),
    }),
    maxRetries: maxConflictRetries,
  });
  return events.map((event) => event.type);
}
