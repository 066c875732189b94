export { handleCommand } from './decider.ts';
export type { Decider } from './decider.ts';
export { RuleViolation } from './rule-violation.ts';
export { unreachable } from './unreachable.ts';

export { decide as decideLead } from './lead/lead.decide.ts';
export { evolve as evolveLead } from './lead/lead.evolve.ts';
export { initialState as initialLeadState } from './lead/lead.state.ts';
export type { Lead } from './lead/lead.state.ts';
export { leadDecider } from './lead/lead.decider.ts';
export type { CaptureLead, CommandMetadata, LeadCommand } from './lead/lead.commands.ts';
export type { LeadCaptured, LeadEvent } from './lead/lead.events.ts';
