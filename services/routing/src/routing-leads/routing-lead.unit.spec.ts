import { describe, expect, it } from 'vitest';
import {
  leadAssignedV1Example,
  leadConvertedV1Example,
  leadQualifiedV1Example,
  leadRecycledV1Example,
  leadRejectedV1Example,
  leadsMergedV1Example,
} from '@l2o/contracts';
import { assignmentTriggerOf, evolveRoutingLead, newRoutingLead } from './routing-lead.ts';
import type { RoutingLead } from './routing-lead.ts';

const fresh = newRoutingLead({ leadId: leadAssignedV1Example.leadId, tenantId: 'acme' });
const owned: RoutingLead = { ...fresh, ownerId: 'rep-ines', open: true };

describe('evolveRoutingLead', () => {
  it('makes the assigned rep the open owner and remembers the one before', () => {
    const waiting = {
      ...fresh,
      waiting: {
        trigger: { version: 3, reason: 'qualified' as const, avoidRepIds: [], excludeRepIds: [] },
        since: '2025-04-03T08:00:00.000Z',
        triedPoolIds: ['p'],
        why: 'no_eligible_rep',
      },
    };
    const lead = evolveRoutingLead(waiting, {
      type: 'LeadAssigned',
      data: { ...leadAssignedV1Example, ownerId: 'rep-omar', previousOwnerId: 'rep-ines' },
    });

    expect(lead).toMatchObject({ ownerId: 'rep-omar', open: true, previousOwnerIds: ['rep-ines'] });
    expect(lead.waiting).toBeUndefined();
  });

  it('releases a rejected lead and remembers who rejected it', () => {
    const lead = evolveRoutingLead(owned, { type: 'LeadRejected', data: leadRejectedV1Example });

    expect(lead.ownerId).toBeUndefined();
    expect(lead).toMatchObject({ open: false, closed: false, previousOwnerIds: ['rep-ines'] });
  });

  it('closes a converted lead but keeps its owner', () => {
    const lead = evolveRoutingLead(owned, { type: 'LeadConverted', data: leadConvertedV1Example });

    expect(lead).toMatchObject({ ownerId: 'rep-ines', open: false, closed: true });
  });

  it('closes the merged side of a merge only', () => {
    const merged = evolveRoutingLead(owned, { type: 'LeadsMerged', data: { ...leadsMergedV1Example, role: 'merged' } });
    const survivor = evolveRoutingLead(owned, { type: 'LeadsMerged', data: leadsMergedV1Example });

    expect(merged).toMatchObject({ open: false, closed: true });
    expect(survivor).toBe(owned);
  });
});

describe('assignmentTriggerOf', () => {
  it('asks a recycled lead into the shared pool, never back to the rep it left and preferably to nobody who had it', () => {
    const lead = { ...fresh, previousOwnerIds: ['rep-omar', 'rep-ines'] };
    const trigger = assignmentTriggerOf({
      lead,
      event: { type: 'LeadRecycled', data: leadRecycledV1Example },
      version: 9,
    });

    expect(trigger).toEqual({
      version: 9,
      reason: 'recycled',
      poolId: 'shared',
      avoidRepIds: ['rep-omar', 'rep-ines'],
      excludeRepIds: ['rep-ines'],
    });
  });

  it('asks a qualified lead into the rule’s pool', () => {
    const trigger = assignmentTriggerOf({
      lead: fresh,
      event: { type: 'LeadQualified', data: leadQualifiedV1Example },
      version: 3,
    });

    expect(trigger).toEqual({ version: 3, reason: 'qualified', avoidRepIds: [], excludeRepIds: [] });
  });

  it('is undefined for events that need no owner', () => {
    expect(
      assignmentTriggerOf({ lead: owned, event: { type: 'LeadConverted', data: leadConvertedV1Example }, version: 4 }),
    ).toBeUndefined();
  });
});
