import type { AssignLead, BreachResponseSla } from '@l2o/domain';

/**
 * A Lead command routing decided in a transaction and sends after it commits, in a form that survives
 * the consumer kit's outbox (JSON): the decision's time as ISO text, and what traces it to its cause.
 */
export type QueuedLeadCommand = (
  { type: 'AssignLead'; data: AssignLead['data'] } | { type: 'BreachResponseSla'; data: BreachResponseSla['data'] }
) & {
  /** The command's time (`metadata.now`); a re-sent command decides with the same one. */
  now: string;
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
};

/** The decider's command of a queued one. */
export function leadCommandOf(queued: QueuedLeadCommand): AssignLead | BreachResponseSla {
  const metadata = { now: new Date(queued.now) };
  switch (queued.type) {
    case 'AssignLead':
      return { type: queued.type, data: queued.data, metadata };
    case 'BreachResponseSla':
      return { type: queued.type, data: queued.data, metadata };
    default: {
      const missed: never = queued;
      throw new Error(`unknown queued lead command ${JSON.stringify(missed)}`);
    }
  }
}
