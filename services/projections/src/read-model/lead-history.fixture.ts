import { randomUUID } from 'node:crypto';
import { leadCapturedV1Example, leadScoredV1Example, streamIdFor } from '@l2o/contracts';
import type { Aggregate, EventName, LeadChannel } from '@l2o/contracts';
import { START } from '@l2o/event-store';
import type { EventStore, StreamAppend } from '@l2o/event-store';
import { streamEventFromRecorded } from '@l2o/stream-consumer';
import type { StreamEvent } from '@l2o/stream-consumer';

/** One event a lead's stream will hold, before the store gives it an id and a position. */
export type PlannedEvent = { type: EventName; data: Record<string, unknown>; recordedAt: string };

/** The whole stream of one lead, first event first. */
export type LeadPlan = { leadId: string; tenantId: string; events: PlannedEvent[] };

const channels: LeadChannel[] = ['web_form', 'api', 'csv_import', 'kafka_intake', 'event', 'partner', 'ad'];
const campaigns = ['spring-webinar', 'q2-analytics', 'trade-fair', 'retargeting'];
const reps = ['rep-ines', 'rep-omar', 'rep-li', 'rep-ada'];
const pools = ['emea-enterprise', 'na-smb'];

/** A small seeded generator (mulberry32), so a failing history can be generated again. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Plausible lead streams: a capture, then touches, profile updates and activities, and for many a
 * score, qualification, assignment, the owner's response or an SLA breach and recycle, and an end
 * (sales-qualified, converted, disqualified). Every 40th lead of a tenant is merged into an earlier one.
 */
export function planLeadHistory(options: {
  leads: number;
  tenants: readonly string[];
  seed: number;
  /** Captures spread over `days` days from here. */
  from: Date;
  days: number;
}): LeadPlan[] {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const plans: LeadPlan[] = [];
  for (let index = 0; index < options.leads; index += 1) {
    const tenantId = options.tenants[index % options.tenants.length] as string;
    const leadId = randomUUID();
    const ref = { leadId, tenantId };
    let clock = options.from.getTime() + Math.floor(random() * options.days * 86_400_000);
    const at = (minutes = 1 + Math.floor(random() * 600)) => new Date((clock += minutes * 60_000)).toISOString();
    const capturedAt = at();
    const events: PlannedEvent[] = [
      {
        type: 'LeadCaptured',
        recordedAt: capturedAt,
        data: {
          ...leadCapturedV1Example,
          ...ref,
          capturedAt,
          contact: { email: `lead-${index}@example.com`, firstName: `Lead ${index}` },
          touchpoint: { channel: pick(channels), campaign: pick(campaigns), occurredAt: capturedAt },
          captureId: `history:${leadId}`,
        },
      },
    ];
    const add = (type: EventName, data: Record<string, unknown>) =>
      events.push({ type, data: { ...ref, ...data }, recordedAt: new Date(clock + 1_000).toISOString() });
    for (let extra = Math.floor(random() * 4); extra > 0; extra -= 1) {
      const kind = random();
      if (kind < 0.4) {
        const occurredAt = at();
        add('LeadTouchRecorded', {
          recordedAt: occurredAt,
          touchpoint: { channel: pick(channels), campaign: pick(campaigns), occurredAt },
          matchedBy: 'email',
        });
      } else if (kind < 0.7) {
        add('LeadActivityRecorded', { recordedAt: at(), activity: { type: 'pricing_page_view', occurredAt: at(0) } });
      } else {
        add('LeadProfileUpdated', {
          updatedAt: at(),
          source: 'capture',
          company: { size: 1 + Math.floor(random() * 5000), country: pick(['GB', 'DE', 'US']) },
        });
      }
    }
    if (random() < 0.7) {
      const score = Math.floor(random() * 101);
      const grade = score >= 80 ? 'A' : score >= 60 ? 'B' : score >= 40 ? 'C' : 'D';
      add('LeadScored', { ...leadScoredV1Example, ...ref, scoredAt: at(), score, grade, previousScore: undefined });
      if (score >= 60) {
        add('LeadQualified', { qualifiedAt: at(), score, threshold: 60, ruleSetVersion: 3 });
        if (random() < 0.85) planOwnership({ add, at, random, pick });
      } else if (random() < 0.1) {
        add('LeadDisqualified', { disqualifiedAt: at(), by: pick(reps), reason: 'no budget' });
      }
    }
    plans.push({ leadId, tenantId, events });
  }
  for (let index = options.tenants.length * 40; index < plans.length; index += options.tenants.length * 40) {
    const merged = plans[index] as LeadPlan;
    const survivor = plans[index - options.tenants.length] as LeadPlan;
    const mergedAt = new Date(options.from.getTime() + options.days * 86_400_000).toISOString();
    const merge = { survivorLeadId: survivor.leadId, mergedLeadId: merged.leadId, mergedAt, reason: 'same person' };
    const ref = (plan: LeadPlan) => ({ leadId: plan.leadId, tenantId: plan.tenantId });
    const recordedAt = mergedAt;
    survivor.events.push({ type: 'LeadsMerged', data: { ...ref(survivor), ...merge, role: 'survivor' }, recordedAt });
    merged.events.push({ type: 'LeadsMerged', data: { ...ref(merged), ...merge, role: 'merged' }, recordedAt });
  }
  return plans;
}

function planOwnership(options: {
  add: (type: EventName, data: Record<string, unknown>) => void;
  at: (minutes?: number) => string;
  random: () => number;
  pick: <T>(values: readonly T[]) => T;
}): void {
  const { add, at, random, pick } = options;
  const assign = (reason: string) => {
    const assignedAt = at();
    const ownerId = pick(reps);
    const dueAt = new Date(new Date(assignedAt).getTime() + 2 * 3_600_000).toISOString();
    add('LeadAssigned', {
      assignedAt,
      ownerId,
      poolId: pick(pools),
      strategy: 'round_robin',
      reason,
      responseDueAt: dueAt,
    });
    return { ownerId, assignedAt, dueAt };
  };
  let owner = assign('qualified');
  const fate = random();
  if (fate < 0.2) {
    add('LeadResponseSlaBreached', {
      ownerId: owner.ownerId,
      poolId: 'emea-enterprise',
      assignedAt: owner.assignedAt,
      dueAt: owner.dueAt,
      breachedAt: at(121),
      breachCount: 1,
    });
    add('LeadRecycled', {
      recycledAt: at(0),
      fromOwnerId: owner.ownerId,
      toPoolId: 'shared',
      reason: 'response_sla_breached',
    });
    owner = assign('recycled');
  } else if (fate < 0.3) {
    add('LeadRejected', { ownerId: owner.ownerId, rejectedAt: at(), reason: 'wrong territory' });
    owner = assign('rejected');
  }
  if (random() < 0.5) add('LeadAccepted', { ownerId: owner.ownerId, acceptedAt: at(30) });
  else if (random() < 0.6) add('LeadContacted', { ownerId: owner.ownerId, contactedAt: at(200), method: 'call' });
  const end = random();
  if (end < 0.4) {
    add('LeadSalesQualified', { qualifiedAt: at(), by: owner.ownerId });
    if (random() < 0.6) add('LeadConverted', { convertedAt: at(), opportunityId: randomUUID(), by: owner.ownerId });
  } else if (end < 0.55) {
    add('LeadDisqualified', { disqualifiedAt: at(), by: owner.ownerId, reason: 'no budget' });
  }
}

/** Any aggregate's planned stream: lead, opportunity or attribution. */
export type StreamPlan = { aggregate: Aggregate; id: string; tenantId: string; events: PlannedEvent[] };

/**
 * Appends the plans to `store` the way events arrive: round by round, each round one more event of
 * every stream that has one, up to `streamsPerAppend` streams per transaction. Resolves with the count.
 */
export async function appendStreamPlans(options: {
  store: EventStore;
  plans: readonly StreamPlan[];
  streamsPerAppend?: number;
}): Promise<number> {
  const perAppend = options.streamsPerAppend ?? 100;
  const rounds = Math.max(0, ...options.plans.map((plan) => plan.events.length));
  let appended = 0;
  for (let round = 0; round < rounds; round += 1) {
    const appends: StreamAppend[] = options.plans.flatMap((plan) => {
      const planned = plan.events[round];
      if (planned === undefined) return [];
      const event = {
        id: randomUUID(),
        type: planned.type,
        data: planned.data,
        metadata: { tenantId: plan.tenantId, producer: 'history-fixture' },
      };
      return [
        {
          streamId: streamIdFor(plan.aggregate, plan.id),
          events: [event],
          expectedVersion: round === 0 ? ('no_stream' as const) : round,
        },
      ];
    });
    for (let start = 0; start < appends.length; start += perAppend) {
      await options.store.appendToStreams(appends.slice(start, start + perAppend));
    }
    appended += appends.length;
  }
  return appended;
}

/** Appends the lead plans round by round with {@link appendStreamPlans}. Resolves with the count. */
export async function appendLeadHistory(options: {
  store: EventStore;
  plans: readonly LeadPlan[];
  streamsPerAppend?: number;
}): Promise<number> {
  const plans = options.plans.map((plan) => ({ aggregate: 'lead' as const, id: plan.leadId, ...plan }));
  return appendStreamPlans({ ...options, plans });
}

/**
 * The plans' events as read models receive them, without an event store: round by round like
 * {@link appendLeadHistory}, each recorded at its planned time.
 */
export function streamEventsOf(plans: readonly LeadPlan[]): StreamEvent[] {
  const rounds = Math.max(0, ...plans.map((plan) => plan.events.length));
  const events: StreamEvent[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const plan of plans) {
      const planned = plan.events[round];
      if (planned === undefined) continue;
      const projected = streamEventFromRecorded({
        id: randomUUID(),
        streamId: streamIdFor('lead', plan.leadId),
        streamVersion: round + 1,
        type: planned.type,
        schemaVersion: 1,
        data: planned.data,
        metadata: { tenantId: plan.tenantId },
        recordedAt: new Date(planned.recordedAt),
        cursor: START,
      });
      if (projected !== undefined) events.push(projected);
    }
  }
  return events;
}
