import { randomUUID } from 'node:crypto';
import type { OpportunityStage } from '@l2o/contracts';
import { publishable } from '../decider.fixture.ts';
import type {
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
} from './opportunity.commands.ts';
import { opportunityDecider } from './opportunity.decider.ts';
import type { OpportunityEvent, OpportunityOpened } from './opportunity.events.ts';
import type { Opportunity } from './opportunity.state.ts';
import { opportunityIdForLead } from './opportunity-id.ts';

export { publishable, ruleViolationOf } from '../decider.fixture.ts';

export const openedAt = new Date('2025-04-07T14:05:00.000Z');
export const later = new Date('2025-04-24T10:00:00.000Z');

/** The pipeline of tenant `acme`, in order. */
export const stages = {
  qualification: {
    id: 'qualification',
    name: 'Qualification',
    probability: 10,
    forecastCategory: 'pipeline',
    position: 0,
  },
  discovery: { id: 'discovery', name: 'Discovery', probability: 25, forecastCategory: 'pipeline', position: 1 },
  proposal: { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'best_case', position: 2 },
  negotiation: { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 },
} as const satisfies Record<string, OpportunityStage>;

export const lostReasons = ['price', 'no budget', 'timing', 'competitor'];

/** An OpenOpportunity for a fresh lead of tenant `acme`; `data` replaces fields of the default data. */
export function openOpportunity(options: { data?: Partial<OpenOpportunity['data']>; at?: Date } = {}): OpenOpportunity {
  const leadId = options.data?.leadId ?? randomUUID();
  return {
    type: 'OpenOpportunity',
    data: {
      opportunityId: opportunityIdForLead(leadId),
      tenantId: 'acme',
      leadId,
      ownerId: 'rep-ines',
      name: 'Analytical Engines Ltd: analytics platform',
      amount: 48_000,
      currency: 'EUR',
      expectedCloseDate: '2025-06-30',
      pipelineId: 'new-business',
      stage: stages.qualification,
      company: { name: 'Analytical Engines Ltd', country: 'GB' },
      contact: { firstName: 'Ada', email: 'ada@example.com' },
      fields: { seats: 40 },
      ...options.data,
    },
    metadata: { now: options.at ?? openedAt },
  };
}

/** The OpportunityOpened an OpenOpportunity on an empty stream yields. */
export function openedFrom(command: OpenOpportunity): OpportunityOpened {
  return { type: 'OpportunityOpened', data: { ...command.data, openedAt: command.metadata.now.toISOString() } };
}

/** The stream of a freshly opened opportunity. */
export function opened(options: Parameters<typeof openOpportunity>[0] = {}): {
  opportunityId: string;
  stream: OpportunityEvent[];
} {
  const command = openOpportunity(options);
  return { opportunityId: command.data.opportunityId, stream: [openedFrom(command)] };
}

/** Which opportunity a command is for; tenant `acme` unless given. */
type Target = { opportunityId: string; tenantId?: string };

function refOf(target: Target): { opportunityId: string; tenantId: string } {
  return { opportunityId: target.opportunityId, tenantId: target.tenantId ?? 'acme' };
}

export function moveStage(
  target: Target,
  options: { toStage: OpportunityStage; exitCriteria?: string[]; at?: Date },
): MoveStage {
  return {
    type: 'MoveStage',
    data: { ...refOf(target), toStage: options.toStage, exitCriteria: options.exitCriteria ?? [], by: 'rep-ines' },
    metadata: { now: options.at ?? later },
  };
}

export function updateDetails(target: Target, fields: UpdateDetails['data']['fields']): UpdateDetails {
  return { type: 'UpdateDetails', data: { ...refOf(target), fields }, metadata: { now: later } };
}

export function changeAmount(target: Target, amount: number): ChangeAmount {
  return { type: 'ChangeAmount', data: { ...refOf(target), amount }, metadata: { now: later } };
}

export function changeCloseDate(target: Target, expectedCloseDate: string): ChangeCloseDate {
  return { type: 'ChangeCloseDate', data: { ...refOf(target), expectedCloseDate }, metadata: { now: later } };
}

export function winOpportunity(target: Target, amount?: number): WinOpportunity {
  return {
    type: 'WinOpportunity',
    data: { ...refOf(target), ...(amount === undefined ? {} : { amount }) },
    metadata: { now: later },
  };
}

export function loseOpportunity(
  target: Target,
  options: { reason?: string; competitor?: string } = {},
): LoseOpportunity {
  return {
    type: 'LoseOpportunity',
    data: {
      ...refOf(target),
      reason: options.reason ?? 'price',
      ...(options.competitor === undefined ? {} : { competitor: options.competitor }),
      lostReasons,
    },
    metadata: { now: later },
  };
}

export function reopenOpportunity(target: Target, stage: OpportunityStage = stages.negotiation): ReopenOpportunity {
  return { type: 'ReopenOpportunity', data: { ...refOf(target), stage }, metadata: { now: later } };
}

export function markStalled(
  target: Target,
  options: { stageId: string; enteredStageAt: string; slaDays: number; at: Date },
): MarkStalled {
  const { at, ...timer } = options;
  return { type: 'MarkStalled', data: { ...refOf(target), ...timer }, metadata: { now: at } };
}

/** The state after a stream's events. */
export function given(events: readonly OpportunityEvent[]): Opportunity {
  return events.reduce(opportunityDecider.evolve, opportunityDecider.initialState());
}

/** The events a command yields on a stream, each checked against its public contract. */
export function when(events: readonly OpportunityEvent[], command: OpportunityCommand): OpportunityEvent[] {
  return publishable(opportunityDecider.decide(command, given(events)));
}
