import { calendarDateSchema, isMoneyAmount, maxDurationDays, maxMoneyAmount } from '@l2o/contracts';
import type { OpportunityFields } from '@l2o/contracts';
import { RuleViolation } from '../rule-violation.ts';
import { unreachable } from '../unreachable.ts';
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
import type { OpportunityEvent } from './opportunity.events.ts';
import type { ActiveOpportunity, Opportunity } from './opportunity.state.ts';
import { opportunityIdForLead } from './opportunity-id.ts';
import { stageDirection, stallDueAt, unmetExitCriteria } from './opportunity-pipeline.rules.ts';

type OpenedOpportunity = Exclude<Opportunity, { status: 'none' }>;

/**
 * The events an Opportunity command produces; `[]` when already done (a redelivered opening, a move
 * to the current stage, a value it already has, a stall already marked or no longer due).
 * @throws {@link RuleViolation} when refused.
 */
export function decide(command: OpportunityCommand, opportunity: Opportunity): OpportunityEvent[] {
  switch (command.type) {
    case 'OpenOpportunity':
      return openOpportunity(command, opportunity);
    case 'MoveStage':
      return moveStage(command, opportunity);
    case 'UpdateDetails':
      return updateDetails(command, opportunity);
    case 'ChangeAmount':
      return changeAmount(command, opportunity);
    case 'ChangeCloseDate':
      return changeCloseDate(command, opportunity);
    case 'WinOpportunity':
      return winOpportunity(command, opportunity);
    case 'LoseOpportunity':
      return loseOpportunity(command, opportunity);
    case 'ReopenOpportunity':
      return reopenOpportunity(command, opportunity);
    case 'MarkStalled':
      return markStalled(command, opportunity);
    default:
      return unreachable(command);
  }
}

function openOpportunity(command: OpenOpportunity, opportunity: Opportunity): OpportunityEvent[] {
  const { data } = command;
  // A redelivered conversion finds its opportunity already there, whatever happened to it since.
  if (opportunity.status !== 'none') {
    existing(opportunity, data);
    return [];
  }
  if (data.opportunityId !== opportunityIdForLead(data.leadId)) {
    throw new RuleViolation('the opportunity id must be derived from the lead id', { field: 'opportunityId' });
  }
  assertAmount(data.amount);
  assertCloseDate(data.expectedCloseDate);
  return [{ type: 'OpportunityOpened', data: { ...data, openedAt: command.metadata.now.toISOString() } }];
}

function moveStage(command: MoveStage, opportunity: Opportunity): OpportunityEvent[] {
  const open = openOne(opportunity, command.data);
  const { toStage, exitCriteria, by } = command.data;
  if (toStage.id === open.stage.id) return [];
  const direction = stageDirection(open.stage, toStage);
  // Exit criteria gate progress only; moving back is how a rep reacts to criteria no longer met.
  if (direction === 'forward') {
    const unmet = unmetExitCriteria(open.fields, exitCriteria);
    if (unmet.length > 0) {
      throw new RuleViolation(`leaving stage ${open.stage.id} needs ${unmet.join(', ')} set`, {
        field: `fields.${unmet[0]}`,
      });
    }
  }
  return [
    {
      type: 'OpportunityStageChanged',
      data: {
        ...ref(open),
        changedAt: command.metadata.now.toISOString(),
        fromStage: open.stage,
        toStage,
        direction,
        by,
      },
    },
  ];
}

function updateDetails(command: UpdateDetails, opportunity: Opportunity): OpportunityEvent[] {
  const open = openOne(opportunity, command.data);
  const changed: OpportunityFields = {};
  for (const [name, value] of Object.entries(command.data.fields)) {
    if (!Object.hasOwn(open.fields, name) || open.fields[name] !== value) changed[name] = value;
  }
  if (Object.keys(changed).length === 0) return [];
  return [
    {
      type: 'OpportunityDetailsUpdated',
      data: { ...ref(open), updatedAt: command.metadata.now.toISOString(), fields: changed },
    },
  ];
}

function changeAmount(command: ChangeAmount, opportunity: Opportunity): OpportunityEvent[] {
  const open = openOne(opportunity, command.data);
  const { amount } = command.data;
  assertAmount(amount);
  if (amount === open.amount) return [];
  return [
    {
      type: 'OpportunityAmountChanged',
      data: {
        ...ref(open),
        changedAt: command.metadata.now.toISOString(),
        amount,
        previousAmount: open.amount,
        currency: open.currency,
      },
    },
  ];
}

function changeCloseDate(command: ChangeCloseDate, opportunity: Opportunity): OpportunityEvent[] {
  const open = openOne(opportunity, command.data);
  const { expectedCloseDate } = command.data;
  assertCloseDate(expectedCloseDate);
  if (expectedCloseDate === open.closeDate) return [];
  return [
    {
      type: 'OpportunityCloseDateChanged',
      data: {
        ...ref(open),
        changedAt: command.metadata.now.toISOString(),
        expectedCloseDate,
        previousExpectedCloseDate: open.closeDate,
      },
    },
  ];
}

function winOpportunity(command: WinOpportunity, opportunity: Opportunity): OpportunityEvent[] {
  const deal = existing(opportunity, command.data);
  const { amount } = command.data;
  if (amount !== undefined) assertAmount(amount);
  // A redelivered win changes nothing; a win with another amount would be a change to a closed deal.
  if (deal.status === 'won' && (amount === undefined || amount === deal.amount)) return [];
  const open = openOne(deal, command.data);
  return [
    {
      type: 'OpportunityWon',
      data: {
        ...ref(open),
        wonAt: command.metadata.now.toISOString(),
        amount: amount ?? open.amount,
        currency: open.currency,
        stage: open.stage,
      },
    },
  ];
}

function loseOpportunity(command: LoseOpportunity, opportunity: Opportunity): OpportunityEvent[] {
  const deal = existing(opportunity, command.data);
  const { reason, competitor, lostReasons } = command.data;
  if (deal.status === 'lost' && deal.lostReason === reason && deal.competitor === competitor) return [];
  const open = openOne(deal, command.data);
  if (!lostReasons.includes(reason)) {
    throw new RuleViolation(`${reason} is not one of the tenant's lost reasons`, { field: 'reason' });
  }
  return [
    {
      type: 'OpportunityLost',
      data: {
        ...ref(open),
        lostAt: command.metadata.now.toISOString(),
        reason,
        ...(competitor === undefined ? {} : { competitor }),
        stage: open.stage,
      },
    },
  ];
}

function reopenOpportunity(command: ReopenOpportunity, opportunity: Opportunity): OpportunityEvent[] {
  const deal = existing(opportunity, command.data);
  if (deal.status === 'open') throw new RuleViolation('only a won or lost opportunity can be reopened');
  return [
    {
      type: 'OpportunityReopened',
      data: {
        ...ref(deal),
        reopenedAt: command.metadata.now.toISOString(),
        stage: command.data.stage,
        previousOutcome: deal.status,
      },
    },
  ];
}

function markStalled(command: MarkStalled, opportunity: Opportunity): OpportunityEvent[] {
  const deal = existing(opportunity, command.data);
  const { stageId, enteredStageAt, slaDays } = command.data;
  if (!Number.isInteger(slaDays) || slaDays <= 0 || slaDays > maxDurationDays) {
    throw new RuleViolation(`a stage SLA is a whole number of days from 1 to ${maxDurationDays}`, { field: 'slaDays' });
  }
  // The timer was set for one stage entry: leaving the stage or closing makes it moot, and a
  // timer that fires twice must not mark the same entry twice.
  if (deal.status !== 'open' || deal.stage.id !== stageId || deal.enteredStageAt !== enteredStageAt) return [];
  if (deal.stalledForStageEntry === enteredStageAt) return [];
  if (command.metadata.now < stallDueAt(enteredStageAt, slaDays)) {
    throw new RuleViolation(`the ${slaDays}-day SLA of stage ${stageId} has not passed yet`, { field: 'slaDays' });
  }
  return [
    {
      type: 'OpportunityStalled',
      data: {
        ...ref(deal),
        stalledAt: command.metadata.now.toISOString(),
        stage: deal.stage,
        enteredStageAt,
        slaDays,
      },
    },
  ];
}

function ref(deal: OpenedOpportunity): { opportunityId: string; tenantId: string } {
  return { opportunityId: deal.opportunityId, tenantId: deal.tenantId };
}

// The tenant is checked first, so nothing about another tenant's opportunity is revealed.
function existing(opportunity: Opportunity, target: { opportunityId: string; tenantId: string }): OpenedOpportunity {
  if (opportunity.status === 'none') {
    throw new RuleViolation('opportunity does not exist', { field: 'opportunityId' });
  }
  if (opportunity.tenantId !== target.tenantId) {
    throw new RuleViolation('opportunity belongs to another tenant', { field: 'tenantId' });
  }
  if (opportunity.opportunityId !== target.opportunityId) {
    throw new RuleViolation(`the stream holds opportunity ${opportunity.opportunityId}`, { field: 'opportunityId' });
  }
  return opportunity;
}

/** The opportunity if it exists, is the target and is open; closed ones refuse every change but a reopen. */
function openOne(opportunity: Opportunity, target: { opportunityId: string; tenantId: string }): ActiveOpportunity {
  const deal = existing(opportunity, target);
  if (deal.status !== 'open') throw new RuleViolation(`the opportunity is ${deal.status}; reopen it first`);
  return deal;
}

function assertAmount(amount: number): void {
  if (!isMoneyAmount(amount)) {
    throw new RuleViolation(`an amount is from 0 to ${maxMoneyAmount} with at most two decimals`, { field: 'amount' });
  }
}

function assertCloseDate(date: string): void {
  if (!calendarDateSchema.safeParse(date).success) {
    throw new RuleViolation('an expected close date is a calendar date, YYYY-MM-DD', { field: 'expectedCloseDate' });
  }
}
