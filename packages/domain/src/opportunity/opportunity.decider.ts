import type { Decider } from '../decider.ts';
import type { OpportunityCommand } from './opportunity.commands.ts';
import { decide } from './opportunity.decide.ts';
import type { OpportunityEvent } from './opportunity.events.ts';
import { evolve } from './opportunity.evolve.ts';
import { initialState } from './opportunity.state.ts';
import type { Opportunity } from './opportunity.state.ts';

/**
 * The Opportunity aggregate: one stream per opportunity (`opportunity-<opportunityId>`), from the
 * conversion of a lead through its pipeline stages to won or lost, and back by a reopen.
 */
export const opportunityDecider: Decider<OpportunityCommand, OpportunityEvent, Opportunity> = {
  decide,
  evolve,
  initialState,
};
