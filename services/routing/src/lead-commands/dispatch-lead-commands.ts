import { streamIdFor } from '@l2o/contracts';
import { leadDecider, RuleViolation } from '@l2o/domain';
import type { Lead } from '@l2o/domain';
import { eventMetadata, handleCommands } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import type { Logger } from '@l2o/service-kit';
import { leadCommandOf } from './queued-lead-command.ts';
import type { QueuedLeadCommand } from './queued-lead-command.ts';

export type LeadCommandStore = Pick<EventStore, 'readStreams' | 'appendToStreams'>;

/** What a dispatch did: how many events it appended, and the commands the Lead refused. */
export type DispatchOutcome = { appended: number; refused: Array<{ command: QueuedLeadCommand; reason: string }> };

// A chunk is decided again when any of its leads changed in between; a few tries ride that out.
const maxConflictRetries = 8;

/**
 * Sends routing's Lead commands set-based through the store's `handleCommands` (one read per chunk of
 * leads, each lead's commands decided in order with the Lead decider, one atomic append, a conflict
 * decided again). Idempotent, as the outbox needs: the decider answers a command the lead already has
 * (or that no longer applies) with nothing, so event ids can stay random. A refused command
 * (RuleViolation: a merged or foreign lead) is logged and returned, not thrown: the event that made the
 * Lead refuse reaches routing on the lead's stream.
 */
export async function dispatchLeadCommands(options: {
  store: LeadCommandStore;
  commands: readonly QueuedLeadCommand[];
  logger: Logger;
}): Promise<DispatchOutcome> {
  const { store, commands, logger } = options;
  if (commands.length === 0) return { appended: 0, refused: [] };
  const result = await handleCommands({
    store,
    decider: {
      ...leadDecider,
      decide: (command: QueuedLeadCommand, lead: Lead) => leadDecider.decide(leadCommandOf(command), lead),
    },
    commands,
    streamIdOf: (command) => streamIdFor('lead', command.data.leadId),
    metadataOf,
    isRefusal: (error) => error instanceof RuleViolation,
    maxRetries: maxConflictRetries,
  });
  const refused = result.refused.map(({ command, error }) => ({ command, reason: error.message }));
  for (const { command, reason } of refused) {
    const { leadId, tenantId } = command.data;
    logger.warn({ tenantId, leadId, command: command.type, reason }, 'the lead refused routing’s command');
  }
  return { appended: result.appended, refused };
}

function metadataOf(command: QueuedLeadCommand) {
  return eventMetadata({
    tenantId: command.data.tenantId,
    producer: 'routing',
    correlationId: command.correlationId,
    causationId: command.causationId,
    traceparent: command.traceparent,
  });
}
