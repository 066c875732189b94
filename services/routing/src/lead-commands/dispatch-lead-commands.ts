import { streamIdFor } from '@l2o/contracts';
import { leadDecider, RuleViolation } from '@l2o/domain';
import type { Lead, LeadEvent } from '@l2o/domain';
import { eventMetadata, retryOnConflict, toNewEvents } from '@l2o/event-store';
import type { EventStore, NewEvent, StreamAppend } from '@l2o/event-store';
import type { Logger } from '@l2o/service-kit';
import { leadCommandOf } from './queued-lead-command.ts';
import type { QueuedLeadCommand } from './queued-lead-command.ts';

export type LeadCommandStore = Pick<EventStore, 'readStreams' | 'appendToStreams'>;

/** What a dispatch did: how many events it appended, and the commands the Lead refused. */
export type DispatchOutcome = { appended: number; refused: Array<{ command: QueuedLeadCommand; reason: string }> };

// A whole batch is decided again when any of its leads changed in between; a few tries ride that out.
const maxConflictRetries = 8;

/**
 * Sends routing's Lead commands set-based: reads every lead's stream in one query, decides each command
 * with the Lead decider on its lead's state (commands on one lead in order), and appends all new events
 * in one atomic `appendToStreams`, each stream at the version it was read at. When another writer moved a
 * lead in between, the whole read-decide-append runs again. Idempotent, as the outbox needs: the decider
 * answers a command the lead already has (or that no longer applies) with nothing, so event ids can stay
 * random. A refused command (RuleViolation: a merged or foreign lead) is logged and returned, not thrown:
 * the event that made the Lead refuse reaches routing on the lead's stream.
 */
export async function dispatchLeadCommands(options: {
  store: LeadCommandStore;
  commands: readonly QueuedLeadCommand[];
  logger: Logger;
}): Promise<DispatchOutcome> {
  const { store, commands, logger } = options;
  if (commands.length === 0) return { appended: 0, refused: [] };
  const outcome = await retryOnConflict(() => decideAndAppend({ store, commands }), {
    maxRetries: maxConflictRetries,
  });
  for (const { command, reason } of outcome.refused) {
    const { leadId, tenantId } = command.data;
    logger.warn({ tenantId, leadId, command: command.type, reason }, 'the lead refused routing’s command');
  }
  return outcome;
}

async function decideAndAppend(options: {
  store: LeadCommandStore;
  commands: readonly QueuedLeadCommand[];
}): Promise<DispatchOutcome> {
  const { store, commands } = options;
  const streamIds = [...new Set(commands.map((command) => streamIdFor('lead', command.data.leadId)))];
  const read = await store.readStreams(streamIds.map((streamId) => ({ streamId })));
  const streams = new Map(
    streamIds.map((streamId) => {
      const past = read.get(streamId) ?? [];
      // Stored events are the decider's own, as handleCommand trusts them too.
      const state = past.reduce(
        (current, recorded) => leadDecider.evolve(current, { type: recorded.type, data: recorded.data } as LeadEvent),
        leadDecider.initialState(),
      );
      return [streamId, { state, version: past.at(-1)?.streamVersion ?? 0, events: [] as NewEvent[] }];
    }),
  );

  const refused: DispatchOutcome['refused'] = [];
  for (const command of commands) {
    const stream = streams.get(streamIdFor('lead', command.data.leadId));
    if (stream === undefined) continue;
    let decided: LeadEvent[];
    try {
      decided = leadDecider.decide(leadCommandOf(command), stream.state);
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      refused.push({ command, reason: error.message });
      continue;
    }
    stream.state = decided.reduce((state: Lead, event) => leadDecider.evolve(state, event), stream.state);
    stream.events.push(...toNewEvents({ events: decided, metadata: metadataOf(command) }));
  }

  const appends: StreamAppend[] = [...streams]
    .filter(([, stream]) => stream.events.length > 0)
    .map(([streamId, stream]) => ({
      streamId,
      events: stream.events,
      expectedVersion: stream.version === 0 ? 'no_stream' : stream.version,
    }));
  if (appends.length > 0) await store.appendToStreams(appends);
  return { appended: appends.reduce((sum, append) => sum + append.events.length, 0), refused };
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
