import { randomUUID } from 'node:crypto';
import { streamIdFor } from '@l2o/contracts';
import type { Aggregate, EventName } from '@l2o/contracts';
import { START } from '@l2o/event-store';
import { streamEventFromRecorded } from '@l2o/stream-consumer';
import type { StreamEvent } from '@l2o/stream-consumer';

/** One event of a hand-written stream: its type, when it was recorded, its data without the ids. */
export type StoryEvent = { type: EventName; at: string; data: Record<string, unknown> };

/**
 * A stream's events as read models receive them, versions from `firstVersion` (default 1), each recorded
 * at its `at`; the data gets (over whatever it holds) the aggregate's id (`leadId`, `opportunityId`…) and the tenant.
 */
export function streamEvents(options: {
  aggregate: Aggregate;
  id: string;
  tenantId: string;
  events: readonly StoryEvent[];
  firstVersion?: number;
}): StreamEvent[] {
  const { aggregate, id, tenantId } = options;
  return options.events.map((event, index) => {
    const projected = streamEventFromRecorded({
      id: randomUUID(),
      streamId: streamIdFor(aggregate, id),
      streamVersion: (options.firstVersion ?? 1) + index,
      type: event.type,
      schemaVersion: 1,
      data: { ...event.data, [`${aggregate}Id`]: id, tenantId },
      metadata: { tenantId },
      recordedAt: new Date(event.at),
      cursor: START,
    });
    if (projected === undefined) throw new Error(`no aggregate stream for ${aggregate}-${id}`);
    return projected;
  });
}
