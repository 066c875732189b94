import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AssignLead, LeadCommand, ScoreLead } from './lead.commands.ts';
import type { LeadEvent } from './lead.events.ts';
import { captureLead, capturedFrom, given, later, ruleViolationOf, when } from './lead.fixture.ts';

const metadata = { now: later };
const at = later.toISOString();

function newLead() {
  const command = captureLead();
  const { leadId, tenantId } = command.data;
  return { leadId, tenantId, stream: [capturedFrom(command)] as LeadEvent[] };
}

type Ref = { leadId: string; tenantId: string };

const score = (ref: Ref, value: number, mql: ScoreLead['data']['mql'] = { threshold: 60 }): ScoreLead => ({
  type: 'ScoreLead',
  data: {
    ...ref,
    score: value,
    grade: value >= 80 ? 'A' : value >= 60 ? 'B' : value >= 40 ? 'C' : 'D',
    components: { fit: value, engagement: value, predictive: null },
    breakdown: [{ part: 'fit', ruleId: 'title-vp', label: 'VP title', points: value }],
    ruleSetVersion: 1,
    trigger: 'activity',
    mql,
  },
  metadata,
});

const assign = (ref: Ref, ownerId: string, reason: AssignLead['data']['reason'] = 'qualified'): AssignLead => ({
  type: 'AssignLead',
  data: { ...ref, ownerId, poolId: 'emea', strategy: 'round_robin', reason, responseDueAt: '2025-04-02T16:05:12.000Z' },
  metadata,
});

/** Applies commands one after the other, as the services would, and returns the whole stream. */
function after(stream: LeadEvent[], ...commands: LeadCommand[]): LeadEvent[] {
  return commands.reduce<LeadEvent[]>((events, command) => [...events, ...when(events, command)], stream);
}

const types = (events: LeadEvent[]) => events.map((event) => event.type);

describe('Lead lifecycle', () => {
  describe('when scored', () => {
    it('records the first score with its breakdown', () => {
      const lead = newLead();
      const [scored] = when(lead.stream, score(lead, 35));
      expect(scored).toEqual({
        type: 'LeadScored',
        data: expect.objectContaining({ score: 35, grade: 'D', scoredAt: at, breakdown: [expect.any(Object)] }),
      });
      expect(scored?.data).not.toHaveProperty('previousScore');
    });

    it('records nothing when a rescore leaves score and grade as they were', () => {
      const lead = newLead();
      expect(when(after(lead.stream, score(lead, 35)), score(lead, 35))).toEqual([]);
    });

    it('qualifies a lead once when it reaches the threshold', () => {
      const lead = newLead();
      const stream = after(lead.stream, score(lead, 35));
      const decided = when(stream, score(lead, 72));
      expect(types(decided)).toEqual(['LeadScored', 'LeadQualified']);
      expect(decided[0]?.data).toMatchObject({ previousScore: 35 });
      expect(decided[1]?.data).toEqual({
        leadId: lead.leadId,
        tenantId: lead.tenantId,
        qualifiedAt: at,
        score: 72,
        threshold: 60,
        ruleSetVersion: 1,
      });
      expect(types(when([...stream, ...decided], score(lead, 90)))).toEqual(['LeadScored']);
    });

    it('keeps an MQL qualified when its score falls and the policy sets no revocation level', () => {
      const lead = newLead();
      const stream = after(lead.stream, score(lead, 72), score(lead, 20));
      expect(types(stream)).not.toContain('LeadQualificationRevoked');
      expect(given(stream)).toMatchObject({ lifecycle: { stage: 'mql' } });
    });

    it('revokes the qualification explicitly under the policy’s level, and qualifies again above the threshold', () => {
      const lead = newLead();
      const policy = { threshold: 60, revokeBelow: 40 };
      const stream = after(lead.stream, score(lead, 72, policy), score(lead, 45, policy));
      expect(types(when(stream, score(lead, 39, policy)))).toEqual(['LeadScored', 'LeadQualificationRevoked']);
      const revoked = after(stream, score(lead, 39, policy));
      expect(given(revoked)).toMatchObject({ lifecycle: { stage: 'new' } });
      expect(types(when(revoked, score(lead, 61, policy)))).toEqual(['LeadScored', 'LeadQualified']);
    });
  });

  describe('when assigned', () => {
    const qualified = () => {
      const lead = newLead();
      return { ...lead, stream: after(lead.stream, score(lead, 72)) };
    };

    it('gives the lead to the rep with the response deadline', () => {
      const lead = qualified();
      expect(when(lead.stream, assign(lead, 'rep-a'))).toEqual([
        {
          type: 'LeadAssigned',
          data: {
            ...{ leadId: lead.leadId, tenantId: lead.tenantId },
            assignedAt: at,
            ownerId: 'rep-a',
            poolId: 'emea',
            strategy: 'round_robin',
            reason: 'qualified',
            responseDueAt: '2025-04-02T16:05:12.000Z',
          },
        },
      ]);
    });

    it('ignores a redelivered automatic assignment of an owned lead, even to another rep', () => {
      const lead = qualified();
      const owned = after(lead.stream, assign(lead, 'rep-a'));
      expect(when(owned, assign(lead, 'rep-a'))).toEqual([]);
      expect(when(owned, assign(lead, 'rep-b'))).toEqual([]);
    });

    it('reassigns by hand, naming the previous owner', () => {
      const lead = qualified();
      const decided = when(after(lead.stream, assign(lead, 'rep-a')), assign(lead, 'rep-b', 'manual'));
      expect(decided[0]?.data).toMatchObject({ ownerId: 'rep-b', previousOwnerId: 'rep-a', reason: 'manual' });
    });

    it('refuses a manual assignment of a disqualified lead, and ignores an automatic one', () => {
      const lead = qualified();
      const ended = after(lead.stream, {
        type: 'DisqualifyLead',
        data: { ...lead, by: 'admin', reason: 'spam' },
        metadata,
      });
      expect(ruleViolationOf(() => when(ended, assign(lead, 'rep-a', 'manual')))).toMatchObject({ field: 'leadId' });
      expect(when(ended, assign(lead, 'rep-a'))).toEqual([]);
    });
  });

  describe('the owner’s actions', () => {
    const owned = () => {
      const lead = newLead();
      return { ...lead, stream: after(lead.stream, score(lead, 72), assign(lead, 'rep-a')) };
    };

    it('accepts once', () => {
      const lead = owned();
      const accept: LeadCommand = { type: 'AcceptLead', data: { ...lead, ownerId: 'rep-a' }, metadata };
      expect(when(lead.stream, accept)).toEqual([
        {
          type: 'LeadAccepted',
          data: { leadId: lead.leadId, tenantId: lead.tenantId, ownerId: 'rep-a', acceptedAt: at },
        },
      ]);
      expect(when(after(lead.stream, accept), accept)).toEqual([]);
    });

    it('refuses actions of a rep who does not own the lead', () => {
      const lead = owned();
      const contact: LeadCommand = {
        type: 'RecordContact',
        data: { ...lead, ownerId: 'rep-b', method: 'call' },
        metadata,
      };
      expect(ruleViolationOf(() => when(lead.stream, contact))).toMatchObject({
        message: 'the lead is owned by another rep',
        field: 'ownerId',
      });
    });

    it('hands a rejected lead back without an owner, remembering who rejected it', () => {
      const lead = owned();
      const rejected = after(lead.stream, {
        type: 'RejectLead',
        data: { ...lead, ownerId: 'rep-a', reason: 'partner account' },
        metadata,
      });
      expect(types(rejected).at(-1)).toBe('LeadRejected');
      const state = given(rejected);
      expect(state).toMatchObject({ lifecycle: { previousOwnerIds: ['rep-a'] } });
      expect(state.status === 'active' && state.lifecycle.owner).toBe(undefined);
      expect(types(when(rejected, assign(lead, 'rep-b', 'rejected')))).toEqual(['LeadAssigned']);
    });

    it('disqualifies once, and never a converted lead', () => {
      const lead = owned();
      const disqualify: LeadCommand = {
        type: 'DisqualifyLead',
        data: { ...lead, by: 'rep-a', reason: 'no budget' },
        metadata,
      };
      expect(types(when(lead.stream, disqualify))).toEqual(['LeadDisqualified']);
      expect(when(after(lead.stream, disqualify), disqualify)).toEqual([]);
      const opportunityId = randomUUID();
      const converted = after(
        lead.stream,
        { type: 'QualifySalesLead', data: { ...lead, by: 'rep-a' }, metadata },
        { type: 'ConvertLead', data: { ...lead, by: 'rep-a', opportunityId }, metadata },
      );
      expect(ruleViolationOf(() => when(converted, disqualify)).message).toBe(
        'a converted lead cannot be disqualified',
      );
    });
  });

  describe('when the first-response timer fires', () => {
    const assignedAt = at;
    const breach = (ref: Ref, ownerId = 'rep-a'): LeadCommand => ({
      type: 'BreachResponseSla',
      data: { ...ref, ownerId, assignedAt, sharedPoolId: 'shared', escalateAfterBreaches: 2, managerId: 'mgr' },
      metadata,
    });
    const owned = () => {
      const lead = newLead();
      return { ...lead, stream: after(lead.stream, score(lead, 72), assign(lead, 'rep-a')) };
    };

    it('recycles an unanswered lead to the shared pool and tells the manager', () => {
      const lead = owned();
      const decided = when(lead.stream, breach(lead));
      expect(types(decided)).toEqual(['LeadResponseSlaBreached', 'LeadRecycled']);
      expect(decided[0]?.data).toMatchObject({
        ownerId: 'rep-a',
        dueAt: '2025-04-02T16:05:12.000Z',
        breachCount: 1,
        managerId: 'mgr',
      });
      expect(decided[1]?.data).toMatchObject({
        fromOwnerId: 'rep-a',
        toPoolId: 'shared',
        reason: 'response_sla_breached',
      });
    });

    it('does nothing once the owner accepted or contacted the lead', () => {
      const lead = owned();
      const answered = after(lead.stream, {
        type: 'RecordContact',
        data: { ...lead, ownerId: 'rep-a', method: 'email' },
        metadata,
      });
      expect(when(answered, breach(lead))).toEqual([]);
    });

    it('does nothing for an assignment that is over, and fires once', () => {
      const lead = owned();
      const recycled = after(lead.stream, breach(lead));
      expect(when(recycled, breach(lead))).toEqual([]);
      const reassigned = after(recycled, assign(lead, 'rep-b', 'recycled'));
      expect(when(reassigned, breach(lead))).toEqual([]);
    });

    it('escalates when the breaches reach the tenant’s limit', () => {
      const lead = owned();
      const secondOwner = after(lead.stream, breach(lead), assign(lead, 'rep-b', 'recycled'));
      const decided = when(secondOwner, breach(lead, 'rep-b'));
      expect(types(decided)).toEqual(['LeadResponseSlaBreached', 'LeadRecycled', 'LeadEscalated']);
      expect(decided[2]?.data).toMatchObject({ breachCount: 2, managerId: 'mgr' });
      expect(given(after(secondOwner, breach(lead, 'rep-b')))).toMatchObject({
        lifecycle: { previousOwnerIds: ['rep-a', 'rep-b'], responseSlaBreaches: 2 },
      });
    });
  });

  describe('when converted', () => {
    const owned = () => {
      const lead = newLead();
      return { ...lead, stream: after(lead.stream, score(lead, 72), assign(lead, 'rep-a')) };
    };
    const sql = (ref: Ref, by = 'rep-a'): LeadCommand => ({ type: 'QualifySalesLead', data: { ...ref, by }, metadata });
    const convert = (ref: Ref, opportunityId: string): LeadCommand => ({
      type: 'ConvertLead',
      data: { ...ref, by: 'rep-a', opportunityId },
      metadata,
    });

    it('needs the lead to be sales-qualified by its owner first', () => {
      const lead = owned();
      expect(ruleViolationOf(() => when(lead.stream, convert(lead, randomUUID())))).toMatchObject({ field: 'status' });
      expect(ruleViolationOf(() => when(lead.stream, sql(lead, 'rep-b')))).toMatchObject({ field: 'ownerId' });
    });

    it('converts an SQL once; a redelivered conversion to the same opportunity is nothing new', () => {
      const lead = owned();
      const opportunityId = randomUUID();
      const qualified = after(lead.stream, sql(lead));
      expect(when(qualified, convert(lead, opportunityId))).toEqual([
        {
          type: 'LeadConverted',
          data: { leadId: lead.leadId, tenantId: lead.tenantId, convertedAt: at, opportunityId, by: 'rep-a' },
        },
      ]);
      const converted = after(qualified, convert(lead, opportunityId));
      expect(when(converted, convert(lead, opportunityId))).toEqual([]);
      expect(ruleViolationOf(() => when(converted, convert(lead, randomUUID())))).toMatchObject({
        field: 'opportunityId',
      });
    });
  });
});
