import { attributionCalculatedV1Schema, streamIdFor } from '@l2o/contracts';
import { eventMetadata, handleCommands } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import type { EventOrigin } from '../attribution-deps.ts';
import { attributionEventId, attributionStreamDecider } from './attribution-stream.decider.ts';
import type { AttributionStreamCommand } from './attribution-stream.decider.ts';

/** A command on the attribution stream of one opportunity, with what its events' metadata needs. */
export type AttributionCommand = AttributionStreamCommand & {
  opportunityId: string;
  tenantId: string;
  origin?: EventOrigin;
};

// Attribution streams are written by the consumer and the recalculation; a conflict seldom repeats.
const maxConflictRetries = 5;

/**
 * A command whose drafts keep the public contract; a draft that breaks it is a bug here and must fail
 * where it was decided, before it is kept to be sent and before subscribers could see it.
 * @throws `z.ZodError` naming what breaks the contract.
 */
export function checkedAttributionCommand(command: AttributionCommand): AttributionCommand {
  for (const draft of command.drafts) attributionCalculatedV1Schema.parse({ ...draft, revision: 1 });
  return command;
}

/**
 * Runs the commands on their opportunities' attribution streams set-based (the store's `handleCommands`:
 * one read per chunk of streams, each stream's commands decided in order, one atomic append, a conflict
 * decided again). Idempotent: the decider answers a win attributed already with nothing, and event ids
 * are derived from opportunity, model and revision, so a command sent again appends nothing. Returns how
 * many events it appended.
 */
export async function appendAttributionCommands(
  store: Pick<EventStore, 'readStreams' | 'appendToStreams'>,
  commands: readonly AttributionCommand[],
): Promise<number> {
  const result = await handleCommands({
    store,
    decider: attributionStreamDecider,
    commands,
    streamIdOf: (command) => streamIdFor('attribution', command.opportunityId),
    metadataOf: (command) => eventMetadata({ ...command.origin, tenantId: command.tenantId, producer: 'attribution' }),
    eventId: (event) => attributionEventId(event.data),
    maxRetries: maxConflictRetries,
  });
  return result.appended;
}
