import { PermanentError } from '@l2o/bus';
import type { StreamBatch, StreamEvent } from '@l2o/stream-consumer';
import type { Outcome } from '../model/index.ts';
import { currentRuleSets } from '../rule-sets/rule-set.repository.ts';
import { learnExamples, rebuildModel } from './learn-outcomes.ts';
import {
  deleteOutcomes,
  insertOutcomes,
  leadExamplesOf,
  leadsOfOpportunities,
  rememberOpportunities,
} from './outcomes.repository.ts';
import { lockModels, saveModel } from './predictive-model.repository.ts';

/** The opportunity events the predictive model learns from. */
export const outcomeEventNames = [
  'OpportunityOpened',
  'OpportunityWon',
  'OpportunityLost',
  'OpportunityReopened',
] as const;

type OutcomeEvent = Extract<StreamEvent, { type: (typeof outcomeEventNames)[number] }>;

function isOutcomeEvent(event: StreamEvent): event is OutcomeEvent {
  return (outcomeEventNames as readonly string[]).includes(event.type);
}

/** What a batch did to one opportunity's outcome: forgot the recorded one (reopened), and how it ends now. */
type OutcomeChange = {
  tenantId: string;
  reopened: boolean;
  closed?: { outcome: Outcome; at: string };
};

/** Folds the batch's closes and reopenings per opportunity, in order. */
function outcomeChanges(events: readonly OutcomeEvent[]): Map<string, OutcomeChange> {
  const changes = new Map<string, OutcomeChange>();
  for (const event of events) {
    if (event.type === 'OpportunityOpened') continue;
    const { opportunityId, tenantId } = event.data;
    const change = changes.get(opportunityId) ?? { tenantId, reopened: false };
    if (event.type === 'OpportunityReopened') {
      changes.set(opportunityId, { tenantId, reopened: true });
    } else if (change.closed === undefined) {
      // A second close without a reopening in between is the first one again: the first is kept, as recorded.
      const closed =
        event.type === 'OpportunityWon'
          ? { outcome: 'won' as const, at: event.data.wonAt }
          : { outcome: 'lost' as const, at: event.data.lostAt };
      changes.set(opportunityId, { ...change, closed });
    }
  }
  return changes;
}

/**
 * Feeds a batch of opportunity events to the tenants' predictive models in the consumer kit's
 * transaction: openings say which lead an opportunity came from; won and lost are recorded and taught
 * to the model once each (under the lock of the tenant's model); a reopening forgets the outcome and,
 * since naive Bayes cannot unlearn one example, rebuilds the tenant's model from the outcomes left.
 * A few statements per batch, and one model save per tenant.
 */
export function onOpportunityEvents(options: { clock: () => Date }): (batch: StreamBatch<never>) => Promise<void> {
  return async ({ client, events }) => {
    const outcomeEvents = events.filter(isOutcomeEvent);
    const opened = outcomeEvents.flatMap((event) => (event.type === 'OpportunityOpened' ? [event.data] : []));
    await rememberOpportunities(client, opened);
    const changes = outcomeChanges(outcomeEvents);
    if (changes.size === 0) return;

    const closing = [...changes].filter(([, change]) => change.closed !== undefined);
    const leads = await leadsOfOpportunities(
      client,
      closing.map(([opportunityId]) => opportunityId),
    );
    for (const [opportunityId, change] of closing) {
      if (leads.get(opportunityId)?.tenantId !== change.tenantId) {
        throw new PermanentError(
          `opportunity ${opportunityId} was ${change.closed?.outcome} but its opening was never seen`,
        );
      }
    }

    const now = options.clock();
    const tenants = [...new Set([...changes.values()].map((change) => change.tenantId))];
    const models = await lockModels(client, { tenantIds: tenants, now });
    const forgotten = await deleteOutcomes(
      client,
      [...changes]
        .filter(([, change]) => change.reopened)
        .map(([opportunityId, { tenantId }]) => ({ tenantId, opportunityId })),
    );
    const examples = await leadExamplesOf(
      client,
      closing.flatMap(([opportunityId]) => leads.get(opportunityId) ?? []),
    );
    const outcomes = closing.flatMap(([opportunityId, { tenantId, closed }]) => {
      const leadId = leads.get(opportunityId)?.leadId;
      if (closed === undefined || leadId === undefined) return [];
      return [
        {
          opportunityId,
          tenantId,
          leadId,
          outcome: closed.outcome,
          recordedAt: closed.at,
          learned: examples.has(leadId),
        },
      ];
    });
    const recorded = await insertOutcomes(client, outcomes);

    const ruleSets = await currentRuleSets(client, tenants);
    for (const tenantId of tenants.sort()) {
      if (forgotten.has(tenantId)) {
        await rebuildModel(client, { tenantId, now });
        continue;
      }
      const learnt = outcomes.filter((outcome) => outcome.tenantId === tenantId && recorded.has(outcome.opportunityId));
      const model = models.get(tenantId);
      const features = ruleSets.get(tenantId)?.ruleSet.predictive.features;
      if (learnt.length === 0 || model === undefined || features === undefined) continue;
      const taught = learnExamples({
        model,
        examples: learnt.map(({ outcome, leadId }) => ({
          outcome,
          ...(examples.has(leadId) ? { lead: examples.get(leadId) } : {}),
        })),
        features,
      });
      await saveModel(client, { tenantId, model: taught, now });
    }
  };
}
