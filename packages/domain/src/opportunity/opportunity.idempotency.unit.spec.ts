import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuleViolation } from '../rule-violation.ts';
import type { OpportunityCommand } from './opportunity.commands.ts';
import { opportunityDecider } from './opportunity.decider.ts';
import type { Opportunity } from './opportunity.state.ts';
import {
  changeAmount,
  changeCloseDate,
  loseOpportunity,
  markStalled,
  moveStage,
  openOpportunity,
  publishable,
  reopenOpportunity,
  stages,
  updateDetails,
  winOpportunity,
} from './opportunity.fixture.ts';

const leadId = '3f1e2d4c-8b7a-4c6d-9e5f-1a2b3c4d5e6f';
const open = openOpportunity({ data: { leadId } });
const target = { opportunityId: open.data.opportunityId };
const stageArb = fc.constantFrom(...Object.values(stages));
const amountArb = fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents / 100);

/** A command built from the state it is sent in, as a timer fires for the stage entry it was set for. */
type Step = (state: Opportunity) => OpportunityCommand;

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>(() => open),
  fc
    .record({ toStage: stageArb, exitCriteria: fc.subarray(['budgetConfirmed', 'decisionMaker']) })
    .map<Step>((move) => () => moveStage(target, move)),
  fc
    .dictionary(
      fc.constantFrom('budgetConfirmed', 'decisionMaker', 'seats'),
      fc.constantFrom(true, false, null, 'CFO', 3),
    )
    .map<Step>((fields) => () => updateDetails(target, fields)),
  amountArb.map<Step>((amount) => () => changeAmount(target, amount)),
  fc.constantFrom('2025-06-30', '2025-07-15').map<Step>((date) => () => changeCloseDate(target, date)),
  fc.option(amountArb, { nil: undefined }).map<Step>((amount) => () => winOpportunity(target, amount)),
  fc
    .record({
      reason: fc.constantFrom('price', 'timing', 'unknown'),
      competitor: fc.option(fc.constant('Babbage'), { nil: undefined }),
    })
    .map<Step>((loss) => () => loseOpportunity(target, loss)),
  stageArb.map<Step>((stage) => () => reopenOpportunity(target, stage)),
  fc.integer({ min: 1, max: 30 }).map<Step>((slaDays) => (state) => {
    const entry =
      state.status === 'none'
        ? { stageId: 'qualification', enteredStageAt: '2025-04-07T14:05:00.000Z' }
        : { stageId: state.stage.id, enteredStageAt: state.enteredStageAt };
    const at = new Date(Date.parse(entry.enteredStageAt) + (slaDays + 1) * 86_400_000);
    return markStalled(target, { ...entry, slaDays, at });
  }),
);

// Most histories start with the conversion, so the other commands meet an opportunity.
const historyArb = fc.array(stepArb, { maxLength: 25 }).map((steps): Step[] => [() => open, ...steps]);

function decided(command: OpportunityCommand, state: Opportunity) {
  try {
    return { events: publishable(opportunityDecider.decide(command, state)) };
  } catch (error) {
    if (error instanceof RuleViolation) return { violation: error };
    throw error;
  }
}

describe('Opportunity redelivery', () => {
  it('yields nothing for a command delivered again right after it was applied, except a reopen, which is refused', () => {
    fc.assert(
      fc.property(historyArb, (steps) => {
        let state = opportunityDecider.initialState();
        for (const step of steps) {
          const command = step(state);
          const first = decided(command, state);
          if (first.events === undefined || first.events.length === 0) continue;
          state = first.events.reduce(opportunityDecider.evolve, state);
          const again = decided(command, state);
          if (command.type === 'ReopenOpportunity') expect(again.violation).toBeInstanceOf(RuleViolation);
          else expect(again, command.type).toEqual({ events: [] });
        }
      }),
    );
  });

  it('never publishes a change to a closed opportunity other than its reopening', () => {
    fc.assert(
      fc.property(historyArb, (steps) => {
        let state = opportunityDecider.initialState();
        for (const step of steps) {
          const result = decided(step(state), state);
          for (const event of result.events ?? []) {
            if (state.status === 'won' || state.status === 'lost') expect(event.type).toBe('OpportunityReopened');
            state = opportunityDecider.evolve(state, event);
          }
        }
      }),
    );
  });
});
