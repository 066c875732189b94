import { randomUUID } from 'node:crypto';
import { streamIdFor } from '@l2o/contracts';
import type { AttributionModelName, LeadChannel, OpportunityStage } from '@l2o/contracts';
import { START } from '@l2o/event-store';
import type { LeadPlan, PlannedEvent, StreamPlan } from './lead-history.fixture.ts';

export { appendStreamPlans } from './lead-history.fixture.ts';
export type { StreamPlan } from './lead-history.fixture.ts';
import { streamEventFromRecorded } from '@l2o/stream-consumer';
import type { StreamEvent } from '@l2o/stream-consumer';

/** The whole stream of one opportunity, deal attribution or campaign's costs, first event first. */

/** The stages every planned opportunity moves through, in pipeline order. */
export const plannedStages: readonly OpportunityStage[] = [
  { id: 'qualification', name: 'Qualification', probability: 10, forecastCategory: 'pipeline', position: 0 },
  { id: 'discovery', name: 'Discovery', probability: 25, forecastCategory: 'pipeline', position: 1 },
  { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'best_case', position: 2 },
  { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 },
];

/** The attribution models planned deals are credited by. */
export const plannedModels: readonly AttributionModelName[] = ['first_touch', 'last_touch', 'linear'];

const lostReasons = ['price', 'timing', 'competitor', 'no decision'];
const costChannels: LeadChannel[] = ['ad', 'event', 'partner', 'web_form'];

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

type Touch = { touchId: string; occurredAt: string; channel: LeadChannel; campaign?: string };

/** The touches of a planned lead (its capture and later touches), in journey order. */
function touchesOf(plan: LeadPlan): Touch[] {
  return plan.events.flatMap((event, index) => {
    if (event.type !== 'LeadCaptured' && event.type !== 'LeadTouchRecorded') return [];
    const touchpoint = event.data.touchpoint as { channel: LeadChannel; campaign?: string; occurredAt: string };
    return [
      {
        touchId: `${plan.leadId}:${index}`,
        occurredAt: touchpoint.occurredAt,
        channel: touchpoint.channel,
        ...(touchpoint.campaign === undefined ? {} : { campaign: touchpoint.campaign }),
      },
    ];
  });
}

/** One model's credits of `cents` over `touches`: all to the first, all to the last, or evenly (cents to the first). */
function credits(model: AttributionModelName, touches: readonly Touch[], cents: number) {
  const shares = touches.map((_, index) => {
    if (model === 'first_touch') return index === 0 ? cents : 0;
    if (model === 'last_touch') return index === touches.length - 1 ? cents : 0;
    return Math.floor(cents / touches.length) + (index < cents % touches.length ? 1 : 0);
  });
  const list = touches
    .map((touch, index) => ({
      ...touch,
      weight: (shares[index] as number) / cents,
      amount: (shares[index] as number) / 100,
    }))
    .filter((credit) => credit.amount > 0);
  const total = <Key extends string | null>(keyOf: (credit: (typeof list)[number]) => Key) => {
    const sums = new Map<Key, number>();
    for (const credit of list)
      sums.set(keyOf(credit), (sums.get(keyOf(credit)) ?? 0) + Math.round(credit.amount * 100));
    return [...sums].map(([key, sum]) => ({ key, amount: sum / 100 }));
  };
  return {
    credits: list,
    byChannel: total((credit) => credit.channel).map(({ key, amount }) => ({ channel: key, amount })),
    byCampaign: total((credit) => credit.campaign ?? null).map(({ key, amount }) => ({ campaign: key, amount })),
  };
}

/**
 * The deals of converted leads: for each LeadConverted of `leads`, an opportunity stream (opened, moved
 * through the stages forward and back, amounts and close dates changed, stalled; then won, lost or still
 * open, a few won ones reopened and won again) and for each win an attribution stream revision per
 * model; plus, per tenant and campaign of the leads, a stream of daily costs over `days` days from
 * `from`, some days recorded twice.
 */
export function planDealHistory(options: {
  leads: readonly LeadPlan[];
  seed: number;
  from: Date;
  days: number;
}): StreamPlan[] {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const plans: StreamPlan[] = [];
  for (const lead of options.leads) {
    const converted = lead.events.find((event) => event.type === 'LeadConverted');
    if (converted === undefined) continue;
    const opportunityId = converted.data.opportunityId as string;
    const { tenantId, leadId } = lead;
    const touches = touchesOf(lead);
    const first = touches[0] as Touch;
    let clock = Date.parse(converted.data.convertedAt as string);
    const at = (hours = 1 + Math.floor(random() * 240)) => new Date((clock += hours * 3_600_000)).toISOString();
    const events: PlannedEvent[] = [];
    const add = (type: PlannedEvent['type'], data: Record<string, unknown>) =>
      events.push({
        type,
        data: { opportunityId, tenantId, ...data },
        recordedAt: new Date(clock + 1_000).toISOString(),
      });
    let amount = 1_000 * (5 + Math.floor(random() * 95));
    let closeDate = new Date(clock + (30 + Math.floor(random() * 60)) * 86_400_000).toISOString().slice(0, 10);
    let position = 0;
    let enteredAt = at(0);
    add('OpportunityOpened', {
      leadId,
      openedAt: enteredAt,
      ownerId: 'rep-ines',
      name: `Deal of ${leadId}`,
      amount,
      currency: 'EUR',
      expectedCloseDate: closeDate,
      pipelineId: 'new-business',
      stage: plannedStages[0],
      company: {},
      contact: {},
      source: { channel: first.channel, ...(first.campaign === undefined ? {} : { campaign: first.campaign }) },
      fields: {},
    });
    for (let steps = Math.floor(random() * 6); steps > 0; steps -= 1) {
      const kind = random();
      if (kind < 0.6 && (position < 3 || kind < 0.1) && (position > 0 || kind >= 0.1)) {
        const to = kind < 0.1 ? position - 1 : position + 1;
        enteredAt = at();
        add('OpportunityStageChanged', {
          changedAt: enteredAt,
          fromStage: plannedStages[position],
          toStage: plannedStages[to],
          direction: to > position ? 'forward' : 'backward',
          by: 'rep-ines',
        });
        position = to;
      } else if (kind < 0.7) {
        const previousAmount = amount;
        amount = 1_000 * (5 + Math.floor(random() * 95));
        add('OpportunityAmountChanged', { changedAt: at(), amount, previousAmount, currency: 'EUR' });
      } else if (kind < 0.8) {
        const previousExpectedCloseDate = closeDate;
        closeDate = new Date(clock + (20 + Math.floor(random() * 90)) * 86_400_000).toISOString().slice(0, 10);
        add('OpportunityCloseDateChanged', {
          changedAt: at(),
          expectedCloseDate: closeDate,
          previousExpectedCloseDate,
        });
      } else if (kind < 0.9) {
        add('OpportunityDetailsUpdated', { updatedAt: at(), fields: { budgetConfirmed: true } });
      } else {
        add('OpportunityStalled', {
          stalledAt: at(),
          stage: plannedStages[position],
          enteredStageAt: enteredAt,
          slaDays: 14,
        });
      }
    }
    const fate = random();
    let wins = 0;
    const win = () => {
      wins += 1;
      const wonAt = at();
      add('OpportunityWon', { wonAt, amount, currency: 'EUR', stage: plannedStages[position] });
      plans.push(attributionPlan({ tenantId, opportunityId, leadId, touches, wonAt, amount, revision: wins, plans }));
    };
    if (fate < 0.45) {
      win();
      if (random() < 0.2) {
        add('OpportunityReopened', { reopenedAt: at(), stage: plannedStages[position], previousOutcome: 'won' });
        if (random() < 0.7) win();
      }
    } else if (fate < 0.75) {
      add('OpportunityLost', { lostAt: at(), reason: pick(lostReasons), stage: plannedStages[position] });
    }
    plans.push({ aggregate: 'opportunity', id: opportunityId, tenantId, events });
  }
  plans.push(...planCampaignCosts({ ...options, random, pick }));
  return plans;
}

/** The attribution stream of a deal, one more AttributionCalculated per model for this win. */
function attributionPlan(options: {
  tenantId: string;
  opportunityId: string;
  leadId: string;
  touches: readonly Touch[];
  wonAt: string;
  amount: number;
  revision: number;
  plans: StreamPlan[];
}): StreamPlan {
  const { tenantId, opportunityId, leadId, wonAt, amount, revision } = options;
  const existing = options.plans.find((plan) => plan.aggregate === 'attribution' && plan.id === opportunityId);
  const plan = existing ?? { aggregate: 'attribution', id: opportunityId, tenantId, events: [] };
  if (existing !== undefined) options.plans.splice(options.plans.indexOf(existing), 1);
  const calculatedAt = new Date(Date.parse(wonAt) + 1_000).toISOString();
  for (const model of plannedModels) {
    plan.events.push({
      type: 'AttributionCalculated',
      recordedAt: calculatedAt,
      data: {
        opportunityId,
        leadId,
        tenantId,
        model,
        calculatedAt,
        wonAt,
        amount,
        currency: 'EUR',
        ...credits(model, options.touches, Math.round(amount * 100)),
        config: {},
        fellBackToLinear: false,
        revision,
      },
    });
  }
  return plan;
}

function planCampaignCosts(options: {
  leads: readonly LeadPlan[];
  from: Date;
  days: number;
  random: () => number;
  pick: <T>(values: readonly T[]) => T;
}): StreamPlan[] {
  const campaignsByTenant = new Map<string, Set<string>>();
  for (const lead of options.leads) {
    const campaign = touchesOf(lead)[0]?.campaign;
    if (campaign === undefined) continue;
    campaignsByTenant.set(lead.tenantId, (campaignsByTenant.get(lead.tenantId) ?? new Set()).add(campaign));
  }
  return [...campaignsByTenant].flatMap(([tenantId, campaigns]) =>
    [...campaigns].sort().map((campaign) => {
      const channel = options.pick(costChannels);
      const events: PlannedEvent[] = [];
      for (let day = 0; day < options.days; day += 1) {
        const date = new Date(options.from.getTime() + day * 86_400_000).toISOString().slice(0, 10);
        const recordedAt = new Date(options.from.getTime() + (day + 1) * 86_400_000).toISOString();
        const cost = (amount: number) =>
          events.push({
            type: 'CampaignCostRecorded',
            recordedAt,
            data: { tenantId, campaign, channel, date, amount, currency: 'EUR', recordedAt },
          });
        cost(Math.floor(options.random() * 50_000) / 100);
        if (options.random() < 0.1) cost(Math.floor(options.random() * 50_000) / 100);
      }
      return { aggregate: 'attribution' as const, id: randomUUID(), tenantId, events };
    }),
  );
}

/** The plans' events as read models receive them, without an event store, each recorded at its planned time. */
export function streamEventsOfStreams(plans: readonly StreamPlan[]): StreamEvent[] {
  return plans.flatMap((plan) =>
    plan.events.flatMap((planned, index) => {
      const projected = streamEventFromRecorded({
        id: randomUUID(),
        streamId: streamIdFor(plan.aggregate, plan.id),
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
