import { describe, expect, it } from 'vitest';
import { monday, pool, rep, settings } from '../assignment/assignment.fixture.ts';
import type { AssignmentRequest } from '../lead-events/fold-lead-events.ts';
import type { TenantRouting } from '../routing-config/routing-config.repository.ts';
import { newRoutingLead } from '../routing-leads/routing-lead.ts';
import { assignTenantLeads } from './assign-tenant-leads.ts';

const requests = (count: number): AssignmentRequest[] =>
  Array.from({ length: count }, (_, index) => ({
    lead: newRoutingLead({ leadId: `00000000-0000-4000-8000-00000000000${index}`, tenantId: 'acme' }),
    trigger: { version: 3, reason: 'qualified', avoidRepIds: [], excludeRepIds: [] },
    cause: { causationId: `event-${index}` },
  }));

const routing = (fields: Partial<TenantRouting> = {}): TenantRouting => ({
  settings: settings(),
  pools: [pool('default', { repIds: ['ana', 'ben'] })],
  reps: [rep('ana'), rep('ben')],
  ...fields,
});

const ownersOf = (result: ReturnType<typeof assignTenantLeads>) =>
  result.decisions.map((decision) => (decision.status === 'reserved' ? decision.reservation.ownerId : 'waiting'));

describe('assignTenantLeads', () => {
  it('carries the pool’s round robin from lead to lead and returns the state it ends in', () => {
    const result = assignTenantLeads({
      routing: routing(),
      poolStates: {},
      loads: {},
      requests: requests(3),
      now: monday,
    });

    expect(ownersOf(result)).toEqual(['ana', 'ben', 'ana']);
    expect(result.poolStates).toEqual({ default: expect.objectContaining({ cursor: 'ana' }) });
  });

  it('counts each assignment against the next: caps and daily quotas hold across the batch', () => {
    const result = assignTenantLeads({
      routing: routing({ reps: [rep('ana', { maxOpenLeads: 2 }), rep('ben', { dailyQuota: 1 })] }),
      poolStates: {},
      loads: { ana: { openLeads: 1, assignedToday: 0, day: '2025-03-10' } },
      requests: requests(4),
      now: monday,
    });

    expect(ownersOf(result)).toEqual(['ana', 'ben', 'waiting', 'waiting']);
    expect(result.loads).toEqual({
      ana: { openLeads: 2, assignedToday: 1, day: '2025-03-10' },
      ben: { openLeads: 1, assignedToday: 1, day: '2025-03-10' },
    });
  });

  it('reserves the owner on the lead with the decision’s time, SLA and the day it counted on', () => {
    const [decision] = assignTenantLeads({
      routing: routing(),
      poolStates: {},
      loads: {},
      requests: requests(1),
      now: monday,
    }).decisions;

    expect(decision).toMatchObject({
      status: 'reserved',
      lead: { ownerId: 'ana', open: true },
      reservation: {
        triggerVersion: 3,
        decidedAt: monday.toISOString(),
        ownerId: 'ana',
        poolId: 'default',
        strategy: 'round_robin',
        reason: 'qualified',
        responseDueAt: new Date(monday.getTime() + 120 * 60_000).toISOString(),
        day: '2025-03-10',
      },
    });
  });

  it('keeps every lead waiting, since when it first waited, while the tenant has no settings', () => {
    const [first] = requests(1);
    if (first === undefined) throw new Error('one request');
    const since = '2025-03-09T10:00:00.000Z';
    const waitingBefore = { trigger: first.trigger, since, triedPoolIds: [], why: 'no_routing_settings' };
    const result = assignTenantLeads({
      routing: { pools: [], reps: [] },
      poolStates: {},
      loads: {},
      requests: [{ ...first, lead: { ...first.lead, waiting: waitingBefore } }, ...requests(1)],
      now: monday,
    });

    expect(result.decisions.map((decision) => decision.status)).toEqual(['waiting', 'waiting']);
    expect(result.decisions[0]).toMatchObject({ waiting: { since, why: 'no_routing_settings' } });
    expect(result.decisions[1]).toMatchObject({ waiting: { since: monday.toISOString() } });
    expect(result.poolStates).toEqual({});
    expect(result.loads).toEqual({});
  });
});
