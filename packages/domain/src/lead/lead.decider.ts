import type { Decider } from '../decider.ts';
import type { LeadCommand } from './lead.commands.ts';
import { decide } from './lead.decide.ts';
import type { LeadEvent } from './lead.events.ts';
import { evolve } from './lead.evolve.ts';
import { initialState } from './lead.state.ts';
import type { Lead } from './lead.state.ts';

/** The Lead aggregate: one stream per lead (`lead-<leadId>`), guarding its whole lifecycle. */
export const leadDecider: Decider<LeadCommand, LeadEvent, Lead> = { decide, evolve, initialState };
