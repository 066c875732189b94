import { randomUUID } from 'node:crypto';
import { leadCapturedV1Example, opportunityOpenedV1Example } from '@l2o/contracts';
import type { LeadChannel } from '@l2o/contracts';
import type { StreamEvent } from '@l2o/stream-consumer';
import { streamEvents } from '../read-model/stream-events.fixture.ts';
import type { StoryEvent } from '../read-model/stream-events.fixture.ts';

const stage = { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 };

/** What happens to one lead, each step at a time (ISO 8601) if it happens at all. */
export type LeadStory = {
  tenantId: string;
  channel: LeadChannel;
  campaign?: string;
  capturedAt: string;
  mqlAt?: string;
  assigned?: { at: string; ownerId: string; team: string; dueAt?: string };
  response?: { at: string; kind: 'accepted' | 'contacted' };
  breachedAt?: string;
  sqlAt?: string;
  convertedAt?: string;
  disqualifiedAt?: string;
  mergedAt?: string;
  /** When the opportunity was won, and when that win was undone by a reopen. */
  wonAt?: string;
  reopenedAt?: string;
};

/** The lead's stream and, when converted, its opportunity's stream, as read models receive them. */
export function storyEvents(story: LeadStory): { leadId: string; events: StreamEvent[] } {
  const leadId = randomUUID();
  const opportunityId = randomUUID();
  const lead: StoryEvent[] = [
    {
      type: 'LeadCaptured',
      at: story.capturedAt,
      data: {
        ...leadCapturedV1Example,
        capturedAt: story.capturedAt,
        captureId: `story:${leadId}`,
        touchpoint: { channel: story.channel, campaign: story.campaign, occurredAt: story.capturedAt },
      },
    },
  ];
  const add = (type: StoryEvent['type'], at: string | undefined, data: (at: string) => Record<string, unknown>) => {
    if (at !== undefined) lead.push({ type, at, data: data(at) });
  };
  add('LeadQualified', story.mqlAt, (at) => ({ qualifiedAt: at, score: 70, threshold: 60, ruleSetVersion: 1 }));
  const owner = story.assigned;
  if (owner !== undefined) {
    add('LeadAssigned', owner.at, (at) => ({
      assignedAt: at,
      ownerId: owner.ownerId,
      poolId: owner.team,
      strategy: 'round_robin',
      reason: 'qualified',
      responseDueAt: owner.dueAt,
    }));
    const response = story.response;
    add(response?.kind === 'contacted' ? 'LeadContacted' : 'LeadAccepted', response?.at, (at) =>
      response?.kind === 'contacted'
        ? { ownerId: owner.ownerId, contactedAt: at, method: 'call' }
        : { ownerId: owner.ownerId, acceptedAt: at },
    );
    add('LeadResponseSlaBreached', story.breachedAt, (at) => ({
      ownerId: owner.ownerId,
      poolId: owner.team,
      assignedAt: owner.at,
      dueAt: owner.dueAt ?? at,
      breachedAt: at,
      breachCount: 1,
    }));
  }
  add('LeadSalesQualified', story.sqlAt, (at) => ({ qualifiedAt: at, by: owner?.ownerId ?? 'rep-x' }));
  add('LeadConverted', story.convertedAt, (at) => ({ convertedAt: at, opportunityId, by: owner?.ownerId ?? 'rep-x' }));
  add('LeadDisqualified', story.disqualifiedAt, (at) => ({ disqualifiedAt: at, by: 'rep-x', reason: 'no budget' }));
  add('LeadsMerged', story.mergedAt, (at) => ({
    survivorLeadId: randomUUID(),
    mergedLeadId: leadId,
    role: 'merged',
    mergedAt: at,
  }));
  const events = streamEvents({ aggregate: 'lead', id: leadId, tenantId: story.tenantId, events: lead });
  if (story.convertedAt === undefined) return { leadId, events };
  const opportunity: StoryEvent[] = [
    {
      type: 'OpportunityOpened',
      at: story.convertedAt,
      data: { ...opportunityOpenedV1Example, leadId, openedAt: story.convertedAt },
    },
  ];
  if (story.wonAt !== undefined) {
    opportunity.push({
      type: 'OpportunityWon',
      at: story.wonAt,
      data: { wonAt: story.wonAt, amount: 1000, currency: 'EUR', stage },
    });
  }
  if (story.reopenedAt !== undefined) {
    opportunity.push({
      type: 'OpportunityReopened',
      at: story.reopenedAt,
      data: { reopenedAt: story.reopenedAt, stage, previousOutcome: 'won' },
    });
  }
  events.push(
    ...streamEvents({ aggregate: 'opportunity', id: opportunityId, tenantId: story.tenantId, events: opportunity }),
  );
  return { leadId, events };
}
