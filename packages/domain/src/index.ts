export type { Decider } from './decider.ts';
export { RuleViolation } from './rule-violation.ts';

export { evolve as evolveLead } from './lead/lead.evolve.ts';
export { initialState as initialLeadState } from './lead/lead.state.ts';
export type {
  ActiveLead,
  Lead,
  LeadLifecycle,
  LeadOwnership,
  LeadProfile,
  LeadStage,
  MergedLead,
} from './lead/lead.state.ts';
export { leadDecider } from './lead/lead.decider.ts';
export { decideMerge } from './lead/lead-merge.decide.ts';
export type { MergeDecision } from './lead/lead-merge.decide.ts';
export { LeadMergedError } from './lead/lead-merged.error.ts';
export type {
  AcceptLead,
  AssignLead,
  BreachResponseSla,
  CaptureLead,
  CommandMetadata,
  ConvertLead,
  DisqualifyLead,
  LeadCommand,
  MergeLeads,
  QualifySalesLead,
  RecordActivity,
  RecordContact,
  RejectLead,
  ScoreLead,
} from './lead/lead.commands.ts';
export type {
  LeadAccepted,
  LeadActivityRecorded,
  LeadAssigned,
  LeadCaptured,
  LeadContacted,
  LeadConverted,
  LeadDisqualified,
  LeadEscalated,
  LeadEvent,
  LeadProfileUpdated,
  LeadQualificationRevoked,
  LeadQualified,
  LeadRecycled,
  LeadRejected,
  LeadResponseSlaBreached,
  LeadSalesQualified,
  LeadScored,
  LeadsMerged,
  LeadTouchRecorded,
} from './lead/lead.events.ts';

export { opportunityDecider } from './opportunity/opportunity.decider.ts';
export { evolve as evolveOpportunity } from './opportunity/opportunity.evolve.ts';
export { initialState as initialOpportunityState } from './opportunity/opportunity.state.ts';
export type {
  ActiveOpportunity,
  LostOpportunity,
  Opportunity,
  WonOpportunity,
} from './opportunity/opportunity.state.ts';
export { opportunityIdForLead, opportunityIdNamespace } from './opportunity/opportunity-id.ts';
export type {
  ChangeAmount,
  ChangeCloseDate,
  LoseOpportunity,
  MarkStalled,
  MoveStage,
  OpenOpportunity,
  OpportunityCommand,
  ReopenOpportunity,
  UpdateDetails,
  WinOpportunity,
} from './opportunity/opportunity.commands.ts';
export type {
  OpportunityAmountChanged,
  OpportunityCloseDateChanged,
  OpportunityDetailsUpdated,
  OpportunityEvent,
  OpportunityLost,
  OpportunityOpened,
  OpportunityReopened,
  OpportunityStageChanged,
  OpportunityStalled,
  OpportunityWon,
} from './opportunity/opportunity.events.ts';
export { uuidV5 } from './opportunity/uuid-v5.ts';
