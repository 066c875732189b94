import { expect } from 'vitest';
import { parseEventData } from '@l2o/contracts';
import type { LeadEvent } from './lead/lead.events.ts';
import type { OpportunityEvent } from './opportunity/opportunity.events.ts';
import { RuleViolation } from './rule-violation.ts';

/** Fails unless every event's data is valid for its catalogue schema, as subscribers will parse it. */
export function publishable<Event extends LeadEvent | OpportunityEvent>(events: Event[]): Event[] {
  for (const event of events) {
    const { type, data }: LeadEvent | OpportunityEvent = event;
    expect(parseEventData(type, 1, data), type).toEqual(JSON.parse(JSON.stringify(data)));
  }
  return events;
}

/** The RuleViolation an action throws; fails when it throws nothing or something else. */
export function ruleViolationOf(act: () => unknown): RuleViolation {
  try {
    act();
  } catch (error) {
    if (error instanceof RuleViolation) return error;
    throw error;
  }
  throw new Error('expected a RuleViolation, nothing was thrown');
}
