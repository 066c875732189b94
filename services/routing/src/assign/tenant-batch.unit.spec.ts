import { describe, expect, it } from 'vitest';
import { leadAssignedV1Example, leadQualifiedV1Example, leadRejectedV1Example } from '@l2o/contracts';
import { monday, pool, rep, settings } from '../assignment/assignment.fixture.ts';
import { foldLeadEvents } from '../lead-events/fold-lead-events.ts';
import type { FoldedLead } from '../lead-events/fold-lead-events.ts';
import { newRoutingLead } from '../routing-leads/routing-lead.ts';
import type { RoutingLead, RoutingLeadEvent } from '../routing-leads/routing-lead.ts';
import { decideTenantBatch } from './tenant-batch.ts';
import type { AssignmentState } from './tenant-batch.ts';

const [x, y] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
const at = new Date('2025-03-10T09:59:00.000Z');

function folded(lead: RoutingLead, ...events: RoutingLeadEvent[]): FoldedLead {
  return foldLeadEvents(
    lead,
    events.map((event, index) => ({ event, version: index + 5, recordedAt: at, cause: { causationId: `e${index}` } })),
  );
}

const qualified = (leadId: string): RoutingLeadEvent => ({
  type: 'LeadQualified',
  data: { ...leadQualifiedV1Example, leadId, tenantId: 'acme' },
});

const state = (fields: Partial<AssignmentState> = {}): AssignmentState => ({
  routing: {
    settings: settings(),
    pools: [pool('default', { repIds: ['ana', 'ben'] })],
    reps: [rep('ana', { maxOpenLeads: 1 }), rep('ben', { maxOpenLeads: 0 }), rep('cy', { timezone: 'Asia/Tokyo' })],
  },
  poolStates: {},
  loads: { ana: { openLeads: 1, assignedToday: 1, day: '2025-03-10' } },
  ...fields,
});

const decide = (leads: FoldedLead[], withState: AssignmentState = state()) =>
  decideTenantBatch({ tenantId: 'acme', folded: leads, now: monday, waitingRetryMs: 60_000, state: withState });

describe('decideTenantBatch', () => {
  it('frees a cap with the batch’s releases before it assigns the batch’s leads', () => {
    const owned: RoutingLead = { ...newRoutingLead({ leadId: x, tenantId: 'acme' }), ownerId: 'ana', open: true };
    const rejected: RoutingLeadEvent = {
      type: 'LeadRejected',
      data: { ...leadRejectedV1Example, leadId: x, tenantId: 'acme', ownerId: 'ana' },
    };

    const { decisions, writes } = decide([
      folded(owned, rejected),
      folded(newRoutingLead({ leadId: y, tenantId: 'acme' }), qualified(y)),
    ]);

    // x may not go back to ana and ben is full: it waits; y takes the place x freed.
    expect(decisions.map((decision) => [decision.lead.leadId, decision.status])).toEqual([
      [x, 'waiting'],
      [y, 'reserved'],
    ]);
    expect(writes.loads).toEqual([
      { tenantId: 'acme', repId: 'ana', load: { openLeads: 1, assignedToday: 2, day: '2025-03-10' } },
    ]);
    expect(writes.leads.map(({ lead, nextTryAt }) => [lead.leadId, lead.ownerId, nextTryAt])).toEqual([
      [x, undefined, new Date(monday.getTime() + 60_000)],
      [y, 'ana', undefined],
    ]);
  });

  it('counts an assignment routing did not choose on the rep’s own day', () => {
    const manual: RoutingLeadEvent = {
      type: 'LeadAssigned',
      data: {
        ...leadAssignedV1Example,
        leadId: x,
        tenantId: 'acme',
        ownerId: 'cy',
        assignedAt: '2025-03-10T16:00:00.000Z',
      },
    };

    const { writes } = decide([folded(newRoutingLead({ leadId: x, tenantId: 'acme' }), manual)]);

    // 16:00 UTC is already the 11th in Tokyo.
    expect(writes.loads).toEqual([
      { tenantId: 'acme', repId: 'cy', load: { openLeads: 1, assignedToday: 1, day: '2025-03-11' } },
    ]);
  });

  it('keeps the timer of a lead assigned again after its release in the same batch', () => {
    const owned: RoutingLead = { ...newRoutingLead({ leadId: x, tenantId: 'acme' }), ownerId: 'ben', open: true };
    const rejected: RoutingLeadEvent = {
      type: 'LeadRejected',
      data: { ...leadRejectedV1Example, leadId: x, tenantId: 'acme', ownerId: 'ben' },
    };

    const { writes } = decide([folded(owned, rejected)], state({ loads: {} }));

    expect(writes.timers).toEqual([
      expect.objectContaining({ leadId: x, ownerId: 'ana', assignedAt: monday.toISOString() }),
    ]);
    expect(writes.cancels).toEqual([{ leadId: x, at, keepAssignedAt: monday.toISOString() }]);
  });

  it('refuses to move owners without the tenant’s routing state', () => {
    const lead = folded(newRoutingLead({ leadId: y, tenantId: 'acme' }), qualified(y));

    expect(() => decideTenantBatch({ tenantId: 'acme', folded: [lead], now: monday, waitingRetryMs: 60_000 })).toThrow(
      /routing state/,
    );
  });
});
