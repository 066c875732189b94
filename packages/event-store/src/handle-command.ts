import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError } from './event-store.port.ts';
import type { EventMetadata, EventStore, NewEvent, StreamAppend } from './event-store.port.ts';

/** An event as a decider returns it: the store adds id, version and metadata. */
export type DecidedEvent = { type: string; data: Record<string, unknown>; schemaVersion?: number };

/** The pure functions of an aggregate (the shape of `@l2o/domain`'s `Decider`). */
export type CommandDecider<Command, Event extends DecidedEvent, State> = {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
};

export type HandleCommandOptions<Command, Event extends DecidedEvent, State> = {
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  streamId: string;
  decider: CommandDecider<Command, Event, State>;
  command: Command;
  /** Added to every new event: tenant, correlation and causation ids, trace context, producer. */
  metadata: EventMetadata;
  /** Retries of the whole load-decide-append after a version conflict; default 3. */
  maxRetries?: number;
  /**
   * The id of each new event; random UUIDs when omitted. Give ids derived from the command (e.g. the
   * id of the message that carried it) so a redelivered command is "already appended", not new events.
   */
  eventId?: (event: Event, index: number) => string;
};

export type HandleCommandResult<Event extends DecidedEvent> = {
  /** What the decider decided, as appended; empty when the command was already done. */
  events: Array<NewEvent & { type: Event['type'] }>;
  /** The stream's version after the command (0 when the stream is still empty). */
  nextExpectedVersion: number;
};

const defaultMaxRetries = 3;

/**
 * Runs a command on an aggregate stream: reads the stream, folds it into the state, decides, and
 * appends the new events expecting the version it read. When another writer appended in between
 * (a {@link ConcurrencyError}), the whole load-decide-append runs again on the newer state, so the
 * decision always sees every event before it.
 * @throws whatever the decider throws (a `RuleViolation`), unchanged; nothing is appended then.
 * @throws {@link ConcurrencyError} when the stream kept changing through every retry.
 */
export async function handleCommand<Command, Event extends DecidedEvent, State>(
  options: HandleCommandOptions<Command, Event, State>,
): Promise<HandleCommandResult<Event>> {
  return retryOnConflict(() => decideAndAppend(options), { maxRetries: options.maxRetries ?? defaultMaxRetries });
}

/**
 * Runs a whole load-decide-append again, after a growing random delay, each time another writer got
 * there first (a {@link ConcurrencyError}); for decisions that span several streams as much as for one.
 * @throws the last {@link ConcurrencyError} after `maxRetries` retries; any other error at once.
 */
export async function retryOnConflict<Result>(
  attempt: () => Promise<Result>,
  options: { maxRetries: number },
): Promise<Result> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || tries > options.maxRetries) throw error;
      await sleep(retryDelayMs(tries));
    }
  }
}

async function decideAndAppend<Command, Event extends DecidedEvent, State>(
  options: HandleCommandOptions<Command, Event, State>,
): Promise<HandleCommandResult<Event>> {
  const { store, streamId, decider } = options;
  const past = await store.readStream(streamId);
  // Stored events are trusted to be the decider's own; upcasting older versions belongs here once one exists.
  const state = past.reduce(
    (current, recorded) => decider.evolve(current, { type: recorded.type, data: recorded.data } as Event),
    decider.initialState(),
  );
  const version = past.at(-1)?.streamVersion ?? 0;
  const decided = decider.decide(options.command, state);
  if (decided.length === 0) return { events: [], nextExpectedVersion: version };

  const events = toNewEvents({ events: decided, metadata: options.metadata, eventId: options.eventId });
  const result = await store.appendToStream(streamId, events, {
    expectedVersion: version === 0 ? 'no_stream' : version,
  });
  return { events, nextExpectedVersion: result.nextExpectedVersion };
}

/** The decided events as the store takes them, each with its id and the shared metadata. */
export function toNewEvents<Event extends DecidedEvent>(options: {
  events: readonly Event[];
  metadata: EventMetadata;
  eventId?: ((event: Event, index: number) => string) | undefined;
}): Array<NewEvent & { type: Event['type'] }> {
  const { metadata, eventId } = options;
  return options.events.map((event, index) => ({
    id: eventId ? eventId(event, index) : randomUUID(),
    type: event.type,
    ...(event.schemaVersion === undefined ? {} : { schemaVersion: event.schemaVersion }),
    data: event.data,
    metadata: { ...metadata },
  }));
}

/**
 * Wait before retry `attempt` (1-based): up to 10, 20, 40… ms, capped at 200, with full jitter so
 * two writers that just collided do not collide again on the next try.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(200, 10 * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** What {@link handleCommands} did: events appended, and the commands the decider refused. */
export type HandleCommandsResult<Command> = { appended: number; refused: Array<{ command: Command; error: Error }> };

// Streams per append: a few hundred keep the store's per-stream advisory locks within PostgreSQL's lock table.
const defaultStreamsPerAppend = 200;

/**
 * Runs many commands set-based, as batch consumers send them: per chunk of streams, reads every stream
 * in one query, folds each, decides its commands in order, and appends all new events in one atomic
 * `appendToStreams` expecting the versions read; a {@link ConcurrencyError} runs the chunk's whole
 * read-decide-append again. A command the decider refuses (an error `isRefusal` accepts, e.g. a rule
 * violation) is returned, not thrown, and the other commands still go through.
 */
export async function handleCommands<Command, Event extends DecidedEvent, State>(options: {
  store: Pick<EventStore, 'readStreams' | 'appendToStreams'>;
  decider: CommandDecider<Command, Event, State>;
  commands: readonly Command[];
  streamIdOf: (command: Command) => string;
  metadataOf: (command: Command) => EventMetadata;
  /** Ids derived from the command make a command sent twice "already appended"; random when omitted. */
  eventId?: (event: Event, index: number) => string;
  isRefusal?: (error: unknown) => boolean;
  maxRetries?: number;
  streamsPerAppend?: number;
}): Promise<HandleCommandsResult<Command>> {
  const byStream = new Map<string, Command[]>();
  for (const command of options.commands) {
    const streamId = options.streamIdOf(command);
    byStream.set(streamId, [...(byStream.get(streamId) ?? []), command]);
  }
  const streams = [...byStream];
  const size = options.streamsPerAppend ?? defaultStreamsPerAppend;
  const result: HandleCommandsResult<Command> = { appended: 0, refused: [] };
  for (let start = 0; start < streams.length; start += size) {
    const chunk = new Map(streams.slice(start, start + size));
    const done = await retryOnConflict(() => decideAndAppendAll(options, chunk), {
      maxRetries: options.maxRetries ?? defaultMaxRetries,
    });
    result.appended += done.appended;
    result.refused.push(...done.refused);
  }
  return result;
}

async function decideAndAppendAll<Command, Event extends DecidedEvent, State>(
  options: Parameters<typeof handleCommands<Command, Event, State>>[0],
  byStream: ReadonlyMap<string, readonly Command[]>,
): Promise<HandleCommandsResult<Command>> {
  const { decider } = options;
  const read = await options.store.readStreams([...byStream.keys()].map((streamId) => ({ streamId })));
  const appends: StreamAppend[] = [];
  const refused: HandleCommandsResult<Command>['refused'] = [];
  for (const [streamId, commands] of byStream) {
    const past = read.get(streamId) ?? [];
    let state = past.reduce(
      (current, recorded) => decider.evolve(current, { type: recorded.type, data: recorded.data } as Event),
      decider.initialState(),
    );
    const events: NewEvent[] = [];
    for (const command of commands) {
      let decided: Event[];
      try {
        decided = decider.decide(command, state);
      } catch (error) {
        if (!(options.isRefusal?.(error) ?? false)) throw error;
        refused.push({ command, error: error as Error });
        continue;
      }
      state = decided.reduce(decider.evolve, state);
      events.push(...toNewEvents({ events: decided, metadata: options.metadataOf(command), eventId: options.eventId }));
    }
    if (events.length === 0) continue;
    const version = past.at(-1)?.streamVersion ?? 0;
    appends.push({ streamId, events, expectedVersion: version === 0 ? 'no_stream' : version });
  }
  if (appends.length === 0) return { appended: 0, refused };
  const results = await options.store.appendToStreams(appends);
  return { appended: results.reduce((sum, appended) => sum + appended.appended, 0), refused };
}
