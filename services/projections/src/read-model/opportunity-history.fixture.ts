import { randomUUID } from 'node:crypto';
import { opportunityOpenedV1Example, streamIdFor } from '@l2o/contracts';
import type { OpportunityStage } from '@l2o/contracts';
import { START } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import { appendStreamPlans } from './lead-history.fixture.ts';
import type { LeadPlan, PlannedEvent } from './lead-history.fixture.ts';
import { streamEventFromRecorded } from '@l2o/stream-consumer';
import type { StreamEvent } from '@l2o/stream-consumer';

/** The whole stream of one opportunity, first event first. */
export type OpportunityPlan = { opportunityId: string; tenantId: string; events: PlannedEvent[] };

const stages: OpportunityStage[] = [
  { id: 'qualification', name: 'Qualification', probability: 10, forecastCategory: 'pipeline', position: 0 },
  { id: 'discovery', name: 'Discovery', probability: 25, forecastCategory: 'pipeline', position: 1 },
  { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'best_case', position: 2 },
  { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 },
];
const lostReasons = ['price', 'timing', 'competitor', 'no decision'];

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
 * The opportunity stream of every lead the plans convert (its LeadConverted names the id): opened in
 * the first stage, moved forward a few stages, then won, lost or left open; some closed ones are
 * reopened, and some of those won again.
 */
export function planOpportunityHistory(options: { leads: readonly LeadPlan[]; seed: number }): OpportunityPlan[] {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  return options.leads.flatMap((lead) => {
    const converted = lead.events.find((event) => event.type === 'LeadConverted');
    if (converted === undefined) return [];
    const captured = lead.events[0]?.data as { touchpoint?: { channel?: string; campaign?: string } } | undefined;
    const opportunityId = converted.data.opportunityId as string;
    const ref = { opportunityId, tenantId: lead.tenantId };
    let clock = new Date(converted.data.convertedAt as string).getTime();
    const at = (days = 1 + Math.floor(random() * 20)) => new Date((clock += days * 86_400_000)).toISOString();
    const events: PlannedEvent[] = [];
    const add = (type: PlannedEvent['type'], data: Record<string, unknown>, when: string) =>
      events.push({ type, data: { ...data, ...ref }, recordedAt: when });
    const openedAt = at(0);
    let stage = stages[0] as OpportunityStage;
    const amount = 1_000 * (5 + Math.floor(random() * 95));
    add(
      'OpportunityOpened',
      {
        ...opportunityOpenedV1Example,
        leadId: lead.leadId,
        openedAt,
        ownerId: converted.data.by,
        amount,
        expectedCloseDate: new Date(clock + 60 * 86_400_000).toISOString().slice(0, 10),
        stage,
        source: { channel: captured?.touchpoint?.channel, campaign: captured?.touchpoint?.campaign },
      },
      openedAt,
    );
    for (let moves = Math.floor(random() * 4); moves > 0 && stage.position < 3; moves -= 1) {
      const changedAt = at();
      const toStage = stages[stage.position + 1] as OpportunityStage;
      add(
        'OpportunityStageChanged',
        { changedAt, fromStage: stage, toStage, direction: 'forward', by: 'rep-x' },
        changedAt,
      );
      stage = toStage;
    }
    const close = (): 'won' | 'lost' | undefined => {
      const fate = random();
      const closedAt = at();
      if (fate < 0.45) {
        add('OpportunityWon', { wonAt: closedAt, amount, currency: 'EUR', stage }, closedAt);
        return 'won';
      }
      if (fate < 0.75) {
        add('OpportunityLost', { lostAt: closedAt, reason: pick(lostReasons), stage }, closedAt);
        return 'lost';
      }
      return undefined;
    };
    const outcome = close();
    if (outcome !== undefined && random() < 0.25) {
      const reopenedAt = at();
      add('OpportunityReopened', { reopenedAt, stage, previousOutcome: outcome }, reopenedAt);
      close();
    }
    return [{ opportunityId, tenantId: lead.tenantId, events }];
  });
}

/** Appends the opportunity plans round by round with {@link appendStreamPlans}. Resolves with the count. */
export async function appendOpportunityHistory(options: {
  store: EventStore;
  plans: readonly OpportunityPlan[];
  streamsPerAppend?: number;
}): Promise<number> {
  const plans = options.plans.map((plan) => ({ aggregate: 'opportunity' as const, id: plan.opportunityId, ...plan }));
  return appendStreamPlans({ ...options, plans });
}

/** The plans' events as read models receive them, without an event store, each recorded at its planned time. */
export function opportunityStreamEventsOf(plans: readonly OpportunityPlan[]): StreamEvent[] {
  return plans.flatMap((plan) =>
    plan.events.flatMap((planned, index) => {
      const projected = streamEventFromRecorded({
        id: randomUUID(),
        streamId: streamIdFor('opportunity', plan.opportunityId),
        streamVersion: index + 1,
        type: planned.type,
        schemaVersion: 1,
        data: planned.data,
        metadata: { tenantId: plan.tenantId },
        recordedAt: new Date(planned.recordedAt),
        cursor: START,
      });
      return projected === undefined ? [] : [projected];
    }),
  );
}
