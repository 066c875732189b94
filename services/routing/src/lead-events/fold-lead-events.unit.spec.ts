import { describe, expect, it } from 'vitest';
import {
  leadAcceptedV1Example,
  leadAssignedV1Example,
  leadDisqualifiedV1Example,
  leadQualifiedV1Example,
  leadScoredV1Example,
} from '@l2o/contracts';
import { newRoutingLead } from '../routing-leads/routing-lead.ts';
import type { Reservation, RoutingLead, RoutingLeadEvent } from '../routing-leads/routing-lead.ts';
import { foldLeadEvents } from './fold-lead-events.ts';
import type { LeadStreamEvent } from './fold-lead-events.ts';

const leadId = leadAssignedV1Example.leadId;
const fresh = newRoutingLead({ leadId, tenantId: 'acme' });
const at = new Date('2025-04-03T09:00:00.000Z');

function stream(...events: RoutingLeadEvent[]): LeadStreamEvent[] {
  return events.map((event, index) => ({
    event,
    version: index + 2,
    recordedAt: at,
    cause: { causationId: `e${index}` },
  }));
}

const qualified: RoutingLeadEvent = { type: 'LeadQualified', data: { ...leadQualifiedV1Example, leadId } };
const assignedTo = (
  ownerId: string,
  assignedAt: string,
  reason: 'qualified' | 'manual' = 'manual',
): RoutingLeadEvent => ({
  type: 'LeadAssigned',
  data: { ...leadAssignedV1Example, ownerId, assignedAt, reason },
});

const reservation: Reservation = {
  triggerVersion: 3,
  decidedAt: '2025-04-03T08:00:00.000Z',
  ownerId: 'rep-ana',
  poolId: 'emea',
  strategy: 'round_robin',
  reason: 'qualified',
  responseDueAt: '2025-04-03T09:00:00.000Z',
  day: '2025-04-03',
};
const reserved: RoutingLead = { ...fresh, ownerId: 'rep-ana', open: true, reservation };

describe('foldLeadEvents', () => {
  it('asks for an owner for the trigger of the batch, with the cause of the trigger', () => {
    const folded = foldLeadEvents(
      fresh,
      stream(qualified, { type: 'LeadScored', data: { ...leadScoredV1Example, leadId, score: 91 } }),
    );

    expect(folded.request).toMatchObject({
      trigger: { version: 2, reason: 'qualified' },
      cause: { causationId: 'e0' },
      lead: { attributes: { score: 91 } },
    });
  });

  it('asks for nothing when the lead got an owner later in the same batch', () => {
    const folded = foldLeadEvents(fresh, stream(qualified, assignedTo('rep-ben', '2025-04-03T08:30:00.000Z')));

    expect(folded.request).toBeUndefined();
    expect(folded.lead).toMatchObject({ ownerId: 'rep-ben', open: true });
  });

  it('confirms its own reservation: nothing counted twice, nothing given back, its timer already set', () => {
    const folded = foldLeadEvents(reserved, stream(assignedTo('rep-ana', reservation.decidedAt, 'qualified')));

    expect(folded.lead.reservation).toBeUndefined();
    expect(folded.counted).toEqual([]);
    expect(folded.givenBack).toEqual([]);
    expect(folded.timers).toEqual([]);
  });

  it('settles a reservation the Lead refused for another owner: counts that one, gives the reserved day back', () => {
    const folded = foldLeadEvents(reserved, stream(assignedTo('rep-ben', '2025-04-03T08:00:01.000Z')));

    expect(folded.lead).toMatchObject({ ownerId: 'rep-ben', open: true, previousOwnerIds: [] });
    expect(folded.lead.reservation).toBeUndefined();
    expect(folded.counted).toEqual([{ repId: 'rep-ben', assignedAt: '2025-04-03T08:00:01.000Z' }]);
    expect(folded.givenBack).toEqual([{ repId: 'rep-ana', day: '2025-04-03' }]);
    expect(new Set(folded.owners)).toEqual(new Set(['rep-ana', 'rep-ben']));
  });

  it('drops the reserved owner of a lead that closed before its assignment landed', () => {
    const folded = foldLeadEvents(
      reserved,
      stream({ type: 'LeadDisqualified', data: { ...leadDisqualifiedV1Example, leadId } }),
    );

    expect(folded.lead).toMatchObject({ open: false, closed: true });
    expect(folded.lead.ownerId).toBeUndefined();
    expect(folded.givenBack).toEqual([{ repId: 'rep-ana', day: '2025-04-03' }]);
    expect(folded.cancel).toEqual({ leadId, at });
  });

  it('sets the timer of an assignment and keeps it, and the last cancel of the batch holds', () => {
    const assigned = foldLeadEvents(fresh, stream(assignedTo('rep-ben', '2025-04-03T08:30:00.000Z')));
    const answered = foldLeadEvents(
      fresh,
      stream(assignedTo('rep-ben', '2025-04-03T08:30:00.000Z'), {
        type: 'LeadAccepted',
        data: { ...leadAcceptedV1Example, leadId, ownerId: 'rep-ben' },
      }),
    );

    expect(assigned.timers).toMatchObject([{ ownerId: 'rep-ben', assignedAt: '2025-04-03T08:30:00.000Z' }]);
    expect(assigned.cancel).toEqual({ leadId, at, keepAssignedAt: '2025-04-03T08:30:00.000Z' });
    expect(answered.timers).toHaveLength(1);
    expect(answered.cancel).toEqual({ leadId, at });
  });
});
