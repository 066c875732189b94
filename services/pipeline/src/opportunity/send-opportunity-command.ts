import { streamIdFor } from '@l2o/contracts';
import { opportunityDecider } from '@l2o/domain';
import type { OpportunityCommand, OpportunityEvent } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { CommandDecider, EventMetadata, EventStore } from '@l2o/event-store';
import {
  evolveOpportunityRecord,
  initialOpportunityRecord,
  tenantOpportunity,
} from '../aggregates/opportunity-record.ts';
import type { OpenedRecord, OpportunityRecord } from '../aggregates/opportunity-record.ts';

/** Builds the command from the opportunity it is decided on, e.g. to look up its pipeline's stages. */
export type OpportunityCommandBuilder = (current: OpenedRecord) => OpportunityCommand;

// Rep actions on one opportunity rarely collide more than once.
const maxConflictRetries = 5;

/**
 * Decides a command on the caller's opportunity and appends what it yields, as `pipeline`. The command
 * is built anew on every load-decide-append attempt, so what it looked up about the opportunity (its
 * current stage) is never older than the state it is decided on.
 * @throws HttpError 404 for an opportunity the tenant does not have; the decider's RuleViolation unchanged.
 */
export async function sendOpportunityCommand(options: {
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  tenantId: string;
  opportunityId: string;
  metadata: EventMetadata;
  command: OpportunityCommandBuilder;
}): Promise<{ record: OpenedRecord; version: number; appended: string[] }> {
  const { tenantId } = options;
  let decidedOn: OpportunityRecord = initialOpportunityRecord();
  const decider: CommandDecider<OpportunityCommandBuilder, OpportunityEvent, OpportunityRecord> = {
    initialState: initialOpportunityRecord,
    evolve: evolveOpportunityRecord,
    decide: (build, record) => {
      const current = tenantOpportunity(record, tenantId);
      decidedOn = record;
      return opportunityDecider.decide(build(current), record.opportunity);
    },
  };
  const { events, nextExpectedVersion } = await handleCommand({
    store: options.store,
    streamId: streamIdFor('opportunity', options.opportunityId),
    decider,
    command: options.command,
    metadata: options.metadata,
    maxRetries: maxConflictRetries,
  });
  const after = events.reduce(
    (record, event) => evolveOpportunityRecord(record, { type: event.type, data: event.data } as OpportunityEvent),
    decidedOn,
  );
  return {
    record: tenantOpportunity(after, tenantId),
    version: nextExpectedVersion,
    appended: events.map((event) => event.type),
  };
}
