export { assignLead } from './assign-lead.ts';
export type { AssignLeadInput, Assignment, NoAssignment, SkippedInPool } from './assign-lead.ts';
export { chooseRep } from './choose-rep.ts';
export { danglingReferences } from './config-references.ts';
export type { DanglingReference } from './config-references.ts';
export { eligibleReps } from './eligibility.ts';
export type { EligibilityInput, EligibleRep, SkippedRep, SkipReason } from './eligibility.ts';
export { chooseLoadBalanced } from './load-balanced.strategy.ts';
export { localTime } from './local-time.ts';
export type { LocalTime } from './local-time.ts';
export { matchRule } from './match-rule.ts';
export type { RoutableLead } from './match-rule.ts';
export { emptyPoolState } from './pool-state.ts';
export type { Choice, ChooseInput, PoolState } from './pool-state.ts';
export { loadOn, withAssignedTodayChange, withAssignment } from './rep-load.ts';
export type { RepLoad } from './rep-load.ts';
export { chooseRoundRobin } from './round-robin.strategy.ts';
export {
  isIanaTimeZone,
  poolMemberSchema,
  poolSchema,
  repSchema,
  routingRuleSchema,
  routingSettingsSchema,
  ruleConditionsSchema,
} from './routing-config.schema.ts';
export type {
  Pool,
  PoolMember,
  PoolStrategy,
  Rep,
  RoutingRule,
  RoutingSettings,
  RuleConditions,
} from './routing-config.schema.ts';
export { onResponseSlaBreach } from './sla-breach.ts';
export type { SlaBreachDecision } from './sla-breach.ts';
export { chooseWeighted } from './weighted.strategy.ts';
