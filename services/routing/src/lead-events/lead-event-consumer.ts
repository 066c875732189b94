import type pg from 'pg';
import { runNamespacedConsumer } from '@l2o/bus';
import type { ConsumerConnection, ConsumerRunner } from '@l2o/bus';
import { Topics } from '@l2o/contracts';
import type { EventStore } from '@l2o/event-store';
import { createStreamConsumer } from '@l2o/stream-consumer';
import type { StreamConsumerHandlers } from '@l2o/stream-consumer';
import { dispatchLeadCommands } from '../lead-commands/dispatch-lead-commands.ts';
import type { QueuedLeadCommand } from '../lead-commands/queued-lead-command.ts';
import { applyLeadBatch } from './apply-lead-batch.ts';
import type { LeadBatchDeps } from './apply-lead-batch.ts';
import { followsLeadEvent } from './routing-lead-event.ts';

/** Routing's consumer group on the lead topic. */
export const leadConsumerGroup = 'routing';

/** Names routing's positions in the lead streams and its outbox rows; stable across releases. */
export const leadEventConsumer = 'routing-lead-events';

/**
 * Routing's lead consumer on the consumer kit: positions per lead stream in the batch's transaction,
 * `applyLeadBatch` for the batch, AssignLead commands kept in the outbox and sent after the commit. The
 * SLA timers and waiting-lead retries send through its `withOutbox`, so one sweep re-sends all of them.
 */
export function createLeadEventConsumer(
  deps: LeadBatchDeps & { pool: pg.Pool; store: Pick<EventStore, 'readStreams' | 'appendToStreams'> },
): StreamConsumerHandlers<QueuedLeadCommand> {
  const { store, logger } = deps;
  return createStreamConsumer<QueuedLeadCommand>({
    consumer: leadEventConsumer,
    pool: deps.pool,
    handles: followsLeadEvent,
    // Back-fill: routing decides commands and must not stall a tenant's assignments on a lost message;
    // the store has every event, and a lead routed on missing attributes would be routed wrongly for good.
    gaps: { backfillFrom: store },
    apply: applyLeadBatch(deps),
    dispatch: async (commands) => void (await dispatchLeadCommands({ store, commands, logger })),
    onGap: (gap) => logger.warn(gap, 'a lead stream has a gap; reading the missing events from the event store'),
    logger,
  });
}

/**
 * Starts routing's member of the consumer group on `l2o.lead.v1`, with every event type (the kit moves
 * each stream's position over the types routing does not follow): a partition's fetch goes to
 * `handleBatch`, a batch that fails one message at a time to `handle`; offsets are committed only after
 * a message's batch committed.
 */
export async function startLeadEventConsumer(
  options: ConsumerConnection & { handlers: StreamConsumerHandlers },
): Promise<ConsumerRunner> {
  return runNamespacedConsumer({
    connection: options,
    defaultGroupId: leadConsumerGroup,
    topics: [Topics.lead],
    handle: options.handlers.handle,
    handleBatch: options.handlers.handleBatch,
  });
}
