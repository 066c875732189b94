import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maxMoneyAmount } from '@l2o/contracts';
import {
  changeAmount,
  changeCloseDate,
  given,
  later,
  loseOpportunity,
  moveStage,
  openOpportunity,
  opened,
  openedFrom,
  ruleViolationOf,
  stages,
  updateDetails,
  when,
  winOpportunity,
} from './opportunity.fixture.ts';

const laterIso = later.toISOString();

describe('Opportunity', () => {
  describe('when it does not exist', () => {
    it('opens it from the converted lead at the command time, in the first stage', () => {
      const command = openOpportunity();
      expect(when([], command)).toEqual([openedFrom(command)]);
    });

    it.each([0, maxMoneyAmount])('opens one with an amount of %s', (amount) => {
      const command = openOpportunity({ data: { amount } });
      expect(when([], command)).toEqual([openedFrom(command)]);
    });

    it('refuses an opportunity id not derived from the lead id', () => {
      const command = openOpportunity({ data: { opportunityId: randomUUID() } });
      expect(ruleViolationOf(() => when([], command))).toMatchObject({ field: 'opportunityId' });
    });

    it.each([-1, 10.005, Number.NaN, maxMoneyAmount + 0.01])('refuses an amount of %s', (amount) => {
      expect(ruleViolationOf(() => when([], openOpportunity({ data: { amount } })))).toMatchObject({
        field: 'amount',
      });
    });

    it('refuses an expected close date that is not a calendar date', () => {
      const command = openOpportunity({ data: { expectedCloseDate: '2025-06-31' } });
      expect(ruleViolationOf(() => when([], command))).toMatchObject({ field: 'expectedCloseDate' });
    });

    it.each([
      ['MoveStage', (opportunityId: string) => moveStage({ opportunityId }, { toStage: stages.discovery })],
      ['UpdateDetails', (opportunityId: string) => updateDetails({ opportunityId }, { budgetConfirmed: true })],
      ['ChangeAmount', (opportunityId: string) => changeAmount({ opportunityId }, 1)],
      ['WinOpportunity', (opportunityId: string) => winOpportunity({ opportunityId })],
    ])('refuses %s', (_name, command) => {
      expect(ruleViolationOf(() => when([], command(randomUUID())))).toMatchObject({
        message: 'opportunity does not exist',
        field: 'opportunityId',
      });
    });
  });

  describe('when converted again (no double conversion)', () => {
    it('yields nothing for a redelivered conversion', () => {
      const command = openOpportunity();
      expect(when([openedFrom(command)], command)).toEqual([]);
    });

    it('yields nothing for a conversion with other data, keeping the first', () => {
      const command = openOpportunity();
      const again = openOpportunity({ data: { leadId: command.data.leadId, amount: 1, name: 'Other' } });
      expect(when([openedFrom(command)], again)).toEqual([]);
    });

    it('yields nothing once the opportunity was won or lost', () => {
      const command = openOpportunity();
      const { opportunityId } = command.data;
      const won = when([openedFrom(command)], winOpportunity({ opportunityId }));
      expect(when([openedFrom(command), ...won], command)).toEqual([]);
    });

    it('refuses the conversion for another tenant', () => {
      const command = openOpportunity();
      const other = openOpportunity({ data: { leadId: command.data.leadId, tenantId: 'globex' } });
      expect(ruleViolationOf(() => when([openedFrom(command)], other))).toMatchObject({ field: 'tenantId' });
    });
  });

  describe('when open', () => {
    it('refuses a command of another tenant', () => {
      const { opportunityId, stream } = opened();
      const command = changeAmount({ opportunityId, tenantId: 'globex' }, 1);
      expect(ruleViolationOf(() => when(stream, command))).toMatchObject({
        message: 'opportunity belongs to another tenant',
        field: 'tenantId',
      });
    });

    it('refuses a command for another opportunity than the stream holds', () => {
      const { stream } = opened();
      expect(ruleViolationOf(() => when(stream, changeAmount({ opportunityId: randomUUID() }, 1)))).toMatchObject({
        field: 'opportunityId',
      });
    });

    it('records only the fields an update changes', () => {
      const { opportunityId, stream } = opened();
      expect(when(stream, updateDetails({ opportunityId }, { seats: 40, budgetConfirmed: true, notes: null }))).toEqual(
        [
          {
            type: 'OpportunityDetailsUpdated',
            data: {
              opportunityId,
              tenantId: 'acme',
              updatedAt: laterIso,
              fields: { budgetConfirmed: true, notes: null },
            },
          },
        ],
      );
    });

    it('yields nothing for an update that changes no field', () => {
      const { opportunityId, stream } = opened();
      expect(when(stream, updateDetails({ opportunityId }, { seats: 40 }))).toEqual([]);
      expect(when(stream, updateDetails({ opportunityId }, {}))).toEqual([]);
    });

    it('changes the amount, with the previous one and the currency it opened with', () => {
      const { opportunityId, stream } = opened();
      expect(when(stream, changeAmount({ opportunityId }, 52_500.5))).toEqual([
        {
          type: 'OpportunityAmountChanged',
          data: {
            opportunityId,
            tenantId: 'acme',
            changedAt: laterIso,
            amount: 52_500.5,
            previousAmount: 48_000,
            currency: 'EUR',
          },
        },
      ]);
    });

    it('yields nothing for the amount it already has', () => {
      const { opportunityId, stream } = opened();
      expect(when(stream, changeAmount({ opportunityId }, 48_000))).toEqual([]);
    });

    it.each([-0.01, 0.001, Number.POSITIVE_INFINITY])('refuses an amount of %s', (amount) => {
      const { opportunityId, stream } = opened();
      expect(ruleViolationOf(() => when(stream, changeAmount({ opportunityId }, amount)))).toMatchObject({
        field: 'amount',
      });
    });

    it('changes the expected close date, with the previous one', () => {
      const { opportunityId, stream } = opened();
      expect(when(stream, changeCloseDate({ opportunityId }, '2025-07-15'))).toEqual([
        {
          type: 'OpportunityCloseDateChanged',
          data: {
            opportunityId,
            tenantId: 'acme',
            changedAt: laterIso,
            expectedCloseDate: '2025-07-15',
            previousExpectedCloseDate: '2025-06-30',
          },
        },
      ]);
    });

    it.each(['2025-02-30', '30/06/2025'])('refuses a close date of %s', (date) => {
      const { opportunityId, stream } = opened();
      expect(ruleViolationOf(() => when(stream, changeCloseDate({ opportunityId }, date)))).toMatchObject({
        field: 'expectedCloseDate',
      });
    });

    it('yields nothing for the close date it already has', () => {
      const { opportunityId, stream } = opened();
      expect(when(stream, changeCloseDate({ opportunityId }, '2025-06-30'))).toEqual([]);
    });

    it('compares a later change with the amount and date the stream last set', () => {
      const { opportunityId, stream } = opened();
      const changed = [
        ...stream,
        ...when(stream, changeAmount({ opportunityId }, 50_000)),
        ...when(stream, changeCloseDate({ opportunityId }, '2025-07-15')),
      ];
      expect(given(changed)).toMatchObject({ amount: 50_000, closeDate: '2025-07-15' });
      expect(when(changed, changeAmount({ opportunityId }, 50_000))).toEqual([]);
      expect(when(changed, changeCloseDate({ opportunityId }, '2025-06-30'))).toEqual([
        {
          type: 'OpportunityCloseDateChanged',
          data: expect.objectContaining({ expectedCloseDate: '2025-06-30', previousExpectedCloseDate: '2025-07-15' }),
        },
      ]);
    });
  });

  describe('when closed', () => {
    function closedStreams() {
      const { opportunityId, stream } = opened();
      return {
        opportunityId,
        won: [...stream, ...when(stream, winOpportunity({ opportunityId }))],
        lost: [...stream, ...when(stream, loseOpportunity({ opportunityId }))],
      };
    }

    it.each(['won', 'lost'] as const)('refuses every change while %s', (outcome) => {
      const streams = closedStreams();
      const target = { opportunityId: streams.opportunityId };
      for (const command of [
        moveStage(target, { toStage: stages.discovery }),
        updateDetails(target, { budgetConfirmed: true }),
        changeAmount(target, 1),
        changeCloseDate(target, '2025-07-15'),
      ]) {
        expect(ruleViolationOf(() => when(streams[outcome], command)).message, command.type).toBe(
          `the opportunity is ${outcome}; reopen it first`,
        );
      }
    });

    it('refuses even a change that would set what it already has', () => {
      const { opportunityId, won } = closedStreams();
      expect(ruleViolationOf(() => when(won, changeAmount({ opportunityId }, 48_000)))).toMatchObject({
        message: 'the opportunity is won; reopen it first',
      });
    });
  });
});
