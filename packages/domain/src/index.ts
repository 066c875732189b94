export type { Decider } from './decider.ts';
export { RuleViolation } from './rule-violation.ts';

export { evolve as evolveLead } from './lead/lead.evolve.ts';
export { initialState as initialLeadState } from './lead/lead.state.ts';
export type { ActiveLead, Lead, LeadProfile, MergedLead } from './lead/lead.state.ts';
export { leadDecider } from './lead/lead.decider.ts';
export { decideMerge } from './lead/lead-merge.decide.ts';
export type { MergeDecision } from './lead/lead-merge.decide.ts';
export { LeadMergedError } from './lead/lead-merged.error.ts';
export type { CaptureLead, CommandMetadata, LeadCommand, MergeLeads, RecordActivity } from './lead/lead.commands.ts';
export type {
  LeadActivityRecorded,
  LeadCaptured,
  LeadEvent,
  LeadProfileUpdated,
  LeadsMerged,
  LeadTouchRecorded,
} from './lead/lead.events.ts';
