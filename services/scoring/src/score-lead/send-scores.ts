import { setTimeout as sleep } from 'node:timers/promises';
import { streamIdFor } from '@l2o/contracts';
import { LeadMergedError, leadDecider, RuleViolation, uuidV5 } from '@l2o/domain';
import type { Lead, LeadEvent } from '@l2o/domain';
import { ConcurrencyError, DuplicateEventIdError, retryDelayMs, toNewEvents } from '@l2o/event-store';
import type { EventStore, StreamAppend } from '@l2o/event-store';
import { toScoreLead } from './score-request.ts';
import type { ScoreRequest } from './score-request.ts';

/** What sending score requests came to, request by request. */
export type SentScores = {
  /** The lead recorded the score (LeadScored, and LeadQualified or a revocation at its thresholds). */
  recorded: ScoreRequest[];
  /** Nothing new for the lead: it has the score already (a request sent again), or a later request superseded it. */
  unchanged: ScoreRequest[];
  /** The lead was merged into another; scoring learns it from the merge as well, and ends the lead's scoring. */
  merged: Array<{ request: ScoreRequest; survivorLeadId: string }>;
  /** The lead refused the score for good (another tenant's, never captured): sending it again cannot help. */
  refused: Array<{ request: ScoreRequest; reason: string }>;
  /** Leads another writer kept appending to through every round; send these again later. */
  conflicted: ScoreRequest[];
};

/** The namespace of the ids of events a score request appends (UUID v5 of the request id and the event's index). */
const scoreEventNamespace = '6d1f2f0e-6a53-4c55-9b0a-8d3c2b1e7f41';

const defaultMaxRounds = 5;

type Pending = { request: ScoreRequest; streamId: string; state: Lead; version: number };

/**
 * Sends score requests to their leads set-based: reads all their streams in one query, decides
 * `ScoreLead` on each with the Lead decider, and appends every lead's new events in one call expecting
 * the versions it read. A lead another writer appended to meanwhile (a {@link ConcurrencyError}) is
 * left out of that call and, after the others are appended, read again from where it was and decided
 * again, for up to `maxRounds` rounds. Idempotent: the Lead answers a score it already has with no
 * event, and the event ids derive from the request, so a request sent twice appends once.
 */
export async function sendScores(options: {
  store: Pick<EventStore, 'readStreams' | 'appendToStreams'>;
  requests: readonly ScoreRequest[];
  maxRounds?: number;
}): Promise<SentScores> {
  const { store } = options;
  const sent: SentScores = { recorded: [], unchanged: [], merged: [], refused: [], conflicted: [] };
  // One request per lead: of several (an outbox sweep after an outage), the last is the lead's current score.
  const latest = new Map<string, ScoreRequest>();
  for (const request of options.requests) {
    const superseded = latest.get(request.data.leadId);
    if (superseded !== undefined) sent.unchanged.push(superseded);
    latest.set(request.data.leadId, request);
  }
  const fresh = [...latest.values()].map((request) => ({
    request,
    streamId: streamIdFor('lead', request.data.leadId),
    state: leadDecider.initialState(),
    version: 0,
  }));
  let pending = await readOn(store, fresh);
  for (let round = 1; pending.length > 0; round += 1) {
    const appends = decideAll(pending, sent);
    const conflicted = await appendAll(store, appends, sent);
    if (conflicted.length === 0) break;
    if (round >= (options.maxRounds ?? defaultMaxRounds)) {
      sent.conflicted.push(...conflicted.map((item) => item.request));
      break;
    }
    await sleep(retryDelayMs(round));
    pending = await readOn(store, conflicted);
  }
  return sent;
}

/** The pending leads with the events appended to their streams since their version folded in, in one read. */
async function readOn(store: Pick<EventStore, 'readStreams'>, pending: readonly Pending[]): Promise<Pending[]> {
  const streams = await store.readStreams(
    pending.map((item) => ({ streamId: item.streamId, fromVersion: item.version + 1 })),
  );
  return pending.map((item) => {
    const events = streams.get(item.streamId) ?? [];
    return {
      ...item,
      // Stored events are trusted to be the decider's own, as `handleCommand` trusts them.
      state: events.reduce(
        (state, event) => leadDecider.evolve(state, { type: event.type, data: event.data } as LeadEvent),
        item.state,
      ),
      version: events.at(-1)?.streamVersion ?? item.version,
    };
  });
}

type Append = { item: Pending; append: StreamAppend };

function decideAll(pending: readonly Pending[], sent: SentScores): Append[] {
  const appends: Append[] = [];
  for (const item of pending) {
    const { request } = item;
    let events: LeadEvent[];
    try {
      events = leadDecider.decide(toScoreLead(request), item.state);
    } catch (error) {
      if (error instanceof LeadMergedError) sent.merged.push({ request, survivorLeadId: error.survivorLeadId });
      else if (error instanceof RuleViolation) sent.refused.push({ request, reason: error.message });
      else throw error;
      continue;
    }
    if (events.length === 0) {
      sent.unchanged.push(request);
      continue;
    }
    const newEvents = toNewEvents({
      events,
      metadata: request.metadata,
      eventId: (_event, index) => uuidV5(`${request.id}/${index}`, scoreEventNamespace),
    });
    appends.push({ item, append: { streamId: item.streamId, events: newEvents, expectedVersion: item.version } });
  }
  return appends;
}

/**
 * Appends all in one call; a stream that conflicts is taken out and the rest appended again at once
 * (a call is atomic, and names one conflicting stream). Returns the conflicting leads.
 */
async function appendAll(
  store: Pick<EventStore, 'appendToStreams'>,
  appends: readonly Append[],
  sent: SentScores,
): Promise<Pending[]> {
  const conflicted: Pending[] = [];
  let remaining = appends;
  while (remaining.length > 0) {
    try {
      const results = await store.appendToStreams(remaining.map((entry) => entry.append));
      remaining.forEach((entry, index) => {
        // Nothing appended: every id was there already, a request whose first send committed.
        if ((results[index]?.appended ?? 0) > 0) sent.recorded.push(entry.item.request);
        else sent.unchanged.push(entry.item.request);
      });
      return conflicted;
    } catch (error) {
      const isStreamError = error instanceof ConcurrencyError || error instanceof DuplicateEventIdError;
      const failed = isStreamError ? remaining.find((entry) => entry.append.streamId === error.streamId) : undefined;
      if (failed === undefined) throw error;
      if (error instanceof ConcurrencyError) conflicted.push(failed.item);
      else sent.refused.push({ request: failed.item.request, reason: (error as Error).message });
      remaining = remaining.filter((entry) => entry !== failed);
    }
  }
  return conflicted;
}
