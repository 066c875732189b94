import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import { currentTraceparent } from '@l2o/service-kit';
import type { StreamEvent } from '@l2o/stream-consumer';
import { checkedAttributionCommand } from '../attribute-deal/append-attribution-commands.ts';
import type { AttributionCommand } from '../attribute-deal/append-attribution-commands.ts';
import { dealAttributions } from '../attribute-deal/deal-attributions.ts';
import { dealJourney } from '../attribute-deal/deal-journey.ts';
import type { AttributionDeps, EventOrigin } from '../attribution-deps.ts';
import { currentLearnedWeights } from '../data-driven/learn-weights.ts';
import type { LearnedWeights } from '../data-driven/learned-weights.ts';
import { registerTenantsForRecompute } from '../data-driven/recompute-schedule.repository.ts';
import { lockJourneys, saveJourneys } from '../journeys/journeys.repository.ts';
import type { AttributionConfig, DataDrivenModel } from '../models/index.ts';
import {
  insertLeads,
  loadLeadFamilies,
  saveConversions,
  saveMerges,
} from '../touchpoints/attribution-leads.repository.ts';
import { insertTouches, loadTouches, saveMilestoneChanges } from '../touchpoints/touchpoints.repository.ts';
import { foldAttributionBatch } from './attribution-batch.fold.ts';
import type { WinToAttribute } from './attribution-batch.fold.ts';

/**
 * Applies a batch of lead and opportunity events in the consumer kit's transaction, in a fixed number of
 * statements: lock the batch's journeys, create its leads' rows, load the families and touches it reads,
 * fold the events in memory, write the changes back. Each deal the batch finds won and converted is
 * attributed by the tenant's models; the `AttributeWin` commands go out through the kit after the commit.
 */
export async function applyAttributionBatch(options: {
  deps: Pick<AttributionDeps, 'settings' | 'clock' | 'logger'>;
  client: pg.PoolClient;
  events: readonly StreamEvent[];
  send: (command: AttributionCommand) => void;
}): Promise<void> {
  const { client, events } = options;
  const journeys = await lockJourneys(client, events.flatMap(journeyOf));
  const eventLeads = uniqueBy(
    events.flatMap((event) =>
      event.aggregate === 'lead' ? [{ leadId: event.aggregateId, tenantId: event.tenantId }] : [],
    ),
    (lead) => lead.leadId.toLowerCase(),
  );
  await insertLeads(client, eventLeads);
  const leads = await loadLeadFamilies(client, [
    ...eventLeads.map((lead) => lead.leadId),
    ...events.flatMap((event) =>
      event.type === 'LeadsMerged' ? [event.data.mergedLeadId, event.data.survivorLeadId] : [],
    ),
    ...events.flatMap((event) => (event.type === 'OpportunityOpened' ? [event.data.leadId] : [])),
    ...journeys.flatMap((journey) => (journey.leadId === undefined ? [] : [journey.leadId])),
  ]);
  assertLeadTenants(eventLeads, leads);
  // Only milestones and wins read stored touches; a batch of touches alone (the bulk of the traffic) only adds some.
  const readsJourneys = events.some(
    (event) => event.aggregate === 'opportunity' || event.type === 'LeadQualified' || event.type === 'LeadConverted',
  );
  const touches = readsJourneys
    ? await loadTouches(
        client,
        leads.map((lead) => lead.leadId),
      )
    : [];

  const changes = foldAttributionBatch({ snapshot: { leads, touches, journeys }, events });

  await saveMerges(client, changes.merges);
  await saveConversions(client, changes.conversions);
  await insertTouches(client, changes.newTouches);
  await saveMilestoneChanges(client, changes.milestones);
  await saveJourneys(client, changes.journeys);
  await registerTenantsForRecompute(client, changes.recomputeTenants);
  for (const command of await attributionCommands({ ...options, wins: changes.wins })) options.send(command);
}

/** The journey an event writes to: its own opportunity's, or the one a lead converted into. */
function journeyOf(event: StreamEvent): Array<{ opportunityId: string; tenantId: string }> {
  if (event.aggregate === 'opportunity') return [{ opportunityId: event.aggregateId, tenantId: event.tenantId }];
  if (event.type === 'LeadConverted') return [{ opportunityId: event.data.opportunityId, tenantId: event.tenantId }];
  return [];
}

/** @throws PermanentError when a lead of the batch is known under another tenant. */
function assertLeadTenants(
  eventLeads: ReadonlyArray<{ leadId: string; tenantId: string }>,
  loaded: ReadonlyArray<{ leadId: string; tenantId: string }>,
): void {
  const tenants = new Map(loaded.map((lead) => [lead.leadId.toLowerCase(), lead.tenantId]));
  for (const { leadId, tenantId } of eventLeads) {
    const known = tenants.get(leadId.toLowerCase());
    if (known !== tenantId) throw new PermanentError(`lead ${leadId} belongs to another tenant than ${tenantId}`);
  }
}

/**
 * One `AttributeWin` per won deal with touches, by every model the tenant enabled. Learned weights are read
 * (or, for a model without any, learned now) in the batch's transaction, so they include the batch's journeys.
 */
async function attributionCommands(options: {
  deps: Pick<AttributionDeps, 'settings' | 'clock' | 'logger'>;
  client: pg.PoolClient;
  wins: readonly WinToAttribute[];
}): Promise<AttributionCommand[]> {
  const { deps, client } = options;
  const tenants = new Map<string, { config: AttributionConfig; learned: Map<DataDrivenModel, LearnedWeights> }>();
  const commands: AttributionCommand[] = [];
  for (const { deal, touches, cause } of options.wins) {
    if (touches.length === 0) {
      deps.logger?.warn({ opportunityId: deal.opportunityId, leadId: deal.leadId }, 'won deal without touches');
      continue;
    }
    let tenant = tenants.get(deal.tenantId);
    if (tenant === undefined) {
      const config = await deps.settings.get(deal.tenantId, client);
      const learned = await currentLearnedWeights({ db: client, tenantId: deal.tenantId, config, now: deps.clock() });
      tenant = { config, learned };
      tenants.set(deal.tenantId, tenant);
    }
    const drafts = dealAttributions({
      deal,
      journey: dealJourney(touches, { wonAt: deal.wonAt }),
      models: tenant.config.models,
      config: tenant.config,
      learned: tenant.learned,
      calculatedAt: deps.clock(),
    });
    if (drafts.length === 0) continue;
    commands.push(
      checkedAttributionCommand({
        type: 'AttributeWin',
        drafts,
        opportunityId: deal.opportunityId,
        tenantId: deal.tenantId,
        origin: originOf(cause),
      }),
    );
  }
  return commands;
}

/** The event that caused the attribution, for the metadata of the events it appends. */
function originOf(event: StreamEvent): EventOrigin {
  const traceparent = currentTraceparent() ?? event.traceparent;
  return {
    correlationId: event.correlationId ?? event.id,
    causationId: event.id,
    ...(traceparent === undefined ? {} : { traceparent }),
  };
}

function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}
