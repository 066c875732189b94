import { attributionCalculatedV1Schema, streamIdFor } from '@l2o/contracts';
import { eventMetadata, retryOnConflict, toNewEvents } from '@l2o/event-store';
import type { EventStore, StreamAppend } from '@l2o/event-store';
import type { EventOrigin } from '../attribution-deps.ts';
import { attributionEventId, attributionStreamDecider } from './attribution-stream.decider.ts';
import type { AttributionStreamCommand, AttributionStreamEvent } from './attribution-stream.decider.ts';

/** A command on the attribution stream of one opportunity, with what its events' metadata needs. */
export type AttributionCommand = AttributionStreamCommand & {
  opportunityId: string;
  tenantId: string;
  origin?: EventOrigin;
};

// Streams per append: a few hundred keep the store's per-stream locks within PostgreSQL's lock table.
const streamsPerAppend = 200;
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
 * Runs the commands on their opportunities' attribution streams, set-based: reads every stream in one
 * query, decides each stream's commands in order with the attribution stream's decider, and appends all
 * streams' new events in one atomic append, expecting the versions read (a conflict runs it all again).
 * Idempotent: the decider answers a win attributed already with nothing, and event ids are derived from
 * opportunity, model and revision, so a command sent again appends nothing. Returns how many events it appended.
 */
export async function appendAttributionCommands(
  store: Pick<EventStore, 'readStreams' | 'appendToStreams'>,
  commands: readonly AttributionCommand[],
): Promise<number> {
  const byStream = new Map<string, AttributionCommand[]>();
  for (const command of commands) {
    const streamId = streamIdFor('attribution', command.opportunityId);
    byStream.set(streamId, [...(byStream.get(streamId) ?? []), command]);
  }
  const streams = [...byStream];
  let appended = 0;
  for (let start = 0; start < streams.length; start += streamsPerAppend) {
    const chunk = new Map(streams.slice(start, start + streamsPerAppend));
    appended += await retryOnConflict(() => decideAndAppend(store, chunk), { maxRetries: maxConflictRetries });
  }
  return appended;
}

async function decideAndAppend(
  store: Pick<EventStore, 'readStreams' | 'appendToStreams'>,
  byStream: ReadonlyMap<string, readonly AttributionCommand[]>,
): Promise<number> {
  const read = await store.readStreams([...byStream.keys()].map((streamId) => ({ streamId })));
  const appends: StreamAppend[] = [];
  for (const [streamId, commands] of byStream) {
    const past = read.get(streamId) ?? [];
    let state = past.reduce(
      (current, recorded) =>
        attributionStreamDecider.evolve(current, {
          type: recorded.type,
          data: recorded.data,
        } as AttributionStreamEvent),
      attributionStreamDecider.initialState(),
    );
    const events = commands.flatMap((command) => {
      const decided = attributionStreamDecider.decide(command, state);
      state = decided.reduce(attributionStreamDecider.evolve, state);
      return toNewEvents({
        events: decided,
        metadata: eventMetadata({ ...command.origin, tenantId: command.tenantId, producer: 'attribution' }),
        eventId: (event) => attributionEventId(event.data),
      });
    });
    if (events.length === 0) continue;
    const version = past.at(-1)?.streamVersion ?? 0;
    appends.push({ streamId, events, expectedVersion: version === 0 ? 'no_stream' : version });
  }
  if (appends.length === 0) return 0;
  const results = await store.appendToStreams(appends);
  return results.reduce((sum, result) => sum + result.appended, 0);
}
