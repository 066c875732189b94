import type { z } from 'zod';
import { leadActivityRecordedV1Example, leadActivityRecordedV1Schema } from './lead/lead-activity-recorded.v1.ts';
import { leadCapturedV1Example, leadCapturedV1Schema } from './lead/lead-captured.v1.ts';
import { leadProfileUpdatedV1Example, leadProfileUpdatedV1Schema } from './lead/lead-profile-updated.v1.ts';
import { leadTouchRecordedV1Example, leadTouchRecordedV1Schema } from './lead/lead-touch-recorded.v1.ts';
import { leadsMergedV1Example, leadsMergedV1Schema } from './lead/leads-merged.v1.ts';
import { leadAssignedV1Example, leadAssignedV1Schema } from './lead/lead-assigned.v1.ts';
import {
  leadConvertedV1Example,
  leadConvertedV1Schema,
  leadSalesQualifiedV1Example,
  leadSalesQualifiedV1Schema,
} from './lead/lead-conversion.v1.ts';
import {
  leadQualificationRevokedV1Example,
  leadQualificationRevokedV1Schema,
} from './lead/lead-qualification-revoked.v1.ts';
import { leadQualifiedV1Example, leadQualifiedV1Schema } from './lead/lead-qualified.v1.ts';
import {
  leadAcceptedV1Example,
  leadAcceptedV1Schema,
  leadContactedV1Example,
  leadContactedV1Schema,
  leadDisqualifiedV1Example,
  leadDisqualifiedV1Schema,
  leadRejectedV1Example,
  leadRejectedV1Schema,
} from './lead/lead-rep-actions.v1.ts';
import {
  leadEscalatedV1Example,
  leadEscalatedV1Schema,
  leadRecycledV1Example,
  leadRecycledV1Schema,
  leadResponseSlaBreachedV1Example,
  leadResponseSlaBreachedV1Schema,
} from './lead/lead-response-sla.v1.ts';
import { leadScoredV1Example, leadScoredV1Schema } from './lead/lead-scored.v1.ts';
import {
  opportunityAmountChangedV1Example,
  opportunityAmountChangedV1Schema,
} from './opportunity/opportunity-amount-changed.v1.ts';
import {
  opportunityCloseDateChangedV1Example,
  opportunityCloseDateChangedV1Schema,
} from './opportunity/opportunity-close-date-changed.v1.ts';
import {
  opportunityDetailsUpdatedV1Example,
  opportunityDetailsUpdatedV1Schema,
} from './opportunity/opportunity-details-updated.v1.ts';
import { opportunityLostV1Example, opportunityLostV1Schema } from './opportunity/opportunity-lost.v1.ts';
import { opportunityOpenedV1Example, opportunityOpenedV1Schema } from './opportunity/opportunity-opened.v1.ts';
import { opportunityReopenedV1Example, opportunityReopenedV1Schema } from './opportunity/opportunity-reopened.v1.ts';
import { opportunityStalledV1Example, opportunityStalledV1Schema } from './opportunity/opportunity-stalled.v1.ts';
import {
  opportunityStageChangedV1Example,
  opportunityStageChangedV1Schema,
} from './opportunity/opportunity-stage-changed.v1.ts';
import { opportunityWonV1Example, opportunityWonV1Schema } from './opportunity/opportunity-won.v1.ts';
import {
  attributionCalculatedV1Example,
  attributionCalculatedV1Schema,
} from './attribution/attribution-calculated.v1.ts';
import {
  campaignCostRecordedV1Example,
  campaignCostRecordedV1Schema,
} from './attribution/campaign-cost-recorded.v1.ts';
import { Topics } from './topics.ts';

/** Stream categories whose events the relay publishes; a stream id is `<aggregate>-<id>`. */
export type Aggregate = 'lead' | 'opportunity' | 'attribution';

/** The topic each stream category is published to. */
export const topicByAggregate = {
  lead: Topics.lead,
  opportunity: Topics.opportunity,
  attribution: Topics.attribution,
} as const satisfies Record<Aggregate, string>;

export type AggregateTopic = (typeof topicByAggregate)[Aggregate];

/** One event type at one schema version, as the catalogue publishes it. */
export type EventDefinition<Name extends string, Version extends number, Schema extends z.ZodType> = {
  /** PascalCase, past tense, as stored in the event store: `LeadCaptured`. */
  name: Name;
  schemaVersion: Version;
  aggregate: Aggregate;
  /** CloudEvents `type` (the `ce_type` header): `l2o.lead.captured.v1`. */
  cloudEventType: string;
  topic: AggregateTopic;
  /** Validates the event's data; unknown keys are stripped, so subscribers tolerate added fields. */
  schema: Schema;
  description: string;
  example: z.output<Schema>;
};

/** The CloudEvents type: `l2o.<aggregate>.<name without the aggregate prefix, snake_case>.v<version>`. */
function deriveCloudEventType(aggregate: Aggregate, name: string, version: number): string {
  const words = name.split(/(?=[A-Z])/).map((word) => word.toLowerCase());
  const action = words[0] === aggregate && words.length > 1 ? words.slice(1) : words;
  return `l2o.${aggregate}.${action.join('_')}.v${version}`;
}

function defineEvent<const Name extends string, const Version extends number, Schema extends z.ZodType>(definition: {
  name: Name;
  schemaVersion: Version;
  aggregate: Aggregate;
  schema: Schema;
  description: string;
  example: z.output<Schema>;
}): EventDefinition<Name, Version, Schema> {
  return {
    ...definition,
    cloudEventType: deriveCloudEventType(definition.aggregate, definition.name, definition.schemaVersion),
    topic: topicByAggregate[definition.aggregate],
  };
}

/** Every published event type and version. Adding an entry here is what makes an event public. */
export const catalogue = [
  defineEvent({
    name: 'LeadCaptured',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadCapturedV1Schema,
    description:
      'A new lead entered the platform through a channel (web form, API, CSV import, intake topic…). ' +
      'Published once per lead, first on its stream; later captures of the same person are LeadTouchRecorded.',
    example: leadCapturedV1Example,
  }),
  defineEvent({
    name: 'LeadTouchRecorded',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadTouchRecordedV1Schema,
    description:
      'A known lead came in again through a channel; matchedBy says what identified it. ' +
      'A later touch for attribution; profile fields it brought are in the LeadProfileUpdated that follows.',
    example: leadTouchRecordedV1Example,
  }),
  defineEvent({
    name: 'LeadProfileUpdated',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadProfileUpdatedV1Schema,
    description:
      'Profile fields of a lead became known, from a later capture or a merged lead. Carries only what changed: ' +
      'known contact and company fields are never overwritten, external ids and custom fields are added, ' +
      'and an opt-out always applies.',
    example: leadProfileUpdatedV1Example,
  }),
  defineEvent({
    name: 'LeadActivityRecorded',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadActivityRecordedV1Schema,
    description: 'A behaviour of a known lead (page view, download, email click, webinar, demo request…).',
    example: leadActivityRecordedV1Example,
  }),
  defineEvent({
    name: 'LeadsMerged',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadsMergedV1Schema,
    description:
      'Two leads of one person became one. Published on both streams (role survivor and role merged); ' +
      'the merged lead ends, and its captures and activities go to the survivor from then on.',
    example: leadsMergedV1Example,
  }),
  defineEvent({
    name: 'LeadScored',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadScoredV1Schema,
    description:
      'The lead was scored and its score or grade changed. The breakdown says which rule, activity or feature gave what, ' +
      'so a rep can be told why. Not published when a rescore leaves score and grade as they were.',
    example: leadScoredV1Example,
  }),
  defineEvent({
    name: 'LeadQualified',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadQualifiedV1Schema,
    description:
      'The lead reached its tenant’s MQL threshold: it is marketing-qualified, once per crossing, and routing assigns it.',
    example: leadQualifiedV1Example,
  }),
  defineEvent({
    name: 'LeadQualificationRevoked',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadQualificationRevokedV1Schema,
    description:
      'An MQL fell below the tenant’s revocation level. Only when the tenant’s policy sets one; a falling score never un-qualifies silently.',
    example: leadQualificationRevokedV1Example,
  }),
  defineEvent({
    name: 'LeadAssigned',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadAssignedV1Schema,
    description:
      'A rep owns the lead (first assignment, reassignment after a recycle or a rejection, or by hand), with the first-response deadline.',
    example: leadAssignedV1Example,
  }),
  defineEvent({
    name: 'LeadAccepted',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadAcceptedV1Schema,
    description: 'The owner accepted the lead; the first-response SLA is met.',
    example: leadAcceptedV1Example,
  }),
  defineEvent({
    name: 'LeadContacted',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadContactedV1Schema,
    description:
      'The owner contacted the person (call, email, meeting…); the first contact meets the first-response SLA.',
    example: leadContactedV1Example,
  }),
  defineEvent({
    name: 'LeadRejected',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadRejectedV1Schema,
    description: 'The owner handed the lead back with a reason; routing assigns it to another rep.',
    example: leadRejectedV1Example,
  }),
  defineEvent({
    name: 'LeadDisqualified',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadDisqualifiedV1Schema,
    description: 'The lead will not be worked further, with the reason; it ends here.',
    example: leadDisqualifiedV1Example,
  }),
  defineEvent({
    name: 'LeadResponseSlaBreached',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadResponseSlaBreachedV1Schema,
    description:
      'The owner neither accepted nor contacted the lead by the deadline. Meant for the manager; LeadRecycled follows.',
    example: leadResponseSlaBreachedV1Example,
  }),
  defineEvent({
    name: 'LeadRecycled',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadRecycledV1Schema,
    description:
      'The lead was taken from its owner and returned to the shared pool; LeadAssigned to another rep follows.',
    example: leadRecycledV1Example,
  }),
  defineEvent({
    name: 'LeadEscalated',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadEscalatedV1Schema,
    description: 'The lead breached its first-response SLA as often as the tenant allows; its manager must step in.',
    example: leadEscalatedV1Example,
  }),
  defineEvent({
    name: 'LeadSalesQualified',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadSalesQualifiedV1Schema,
    description: 'A rep qualified the lead as sales-qualified (SQL).',
    example: leadSalesQualifiedV1Example,
  }),
  defineEvent({
    name: 'LeadConverted',
    schemaVersion: 1,
    aggregate: 'lead',
    schema: leadConvertedV1Schema,
    description:
      'The lead became an opportunity (id derived from the lead id); OpportunityOpened follows on l2o.opportunity.v1.',
    example: leadConvertedV1Example,
  }),
  defineEvent({
    name: 'OpportunityOpened',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityOpenedV1Schema,
    description:
      'A sales-qualified lead was converted into an opportunity, in the first stage of its pipeline. ' +
      'The opportunity id is derived from the lead id, so one lead opens at most one opportunity.',
    example: opportunityOpenedV1Example,
  }),
  defineEvent({
    name: 'OpportunityStageChanged',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityStageChangedV1Schema,
    description:
      'An open opportunity moved to another stage of its pipeline, forward (after the exit criteria of the ' +
      'stage it left were met) or back. Its stage SLA counts from changedAt.',
    example: opportunityStageChangedV1Example,
  }),
  defineEvent({
    name: 'OpportunityDetailsUpdated',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityDetailsUpdatedV1Schema,
    description: 'Fields of an open opportunity were set (e.g. budgetConfirmed: true); carries only what changed.',
    example: opportunityDetailsUpdatedV1Example,
  }),
  defineEvent({
    name: 'OpportunityAmountChanged',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityAmountChangedV1Schema,
    description: 'The expected amount of an open opportunity changed; the currency stays the one it opened with.',
    example: opportunityAmountChangedV1Example,
  }),
  defineEvent({
    name: 'OpportunityCloseDateChanged',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityCloseDateChangedV1Schema,
    description: 'The expected close date of an open opportunity changed.',
    example: opportunityCloseDateChangedV1Example,
  }),
  defineEvent({
    name: 'OpportunityWon',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityWonV1Schema,
    description: 'The deal was won at its final amount. Closed until an OpportunityReopened.',
    example: opportunityWonV1Example,
  }),
  defineEvent({
    name: 'OpportunityLost',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityLostV1Schema,
    description:
      "The deal was lost, for one of the tenant's lost reasons and possibly to a competitor. " +
      'Closed until an OpportunityReopened.',
    example: opportunityLostV1Example,
  }),
  defineEvent({
    name: 'OpportunityReopened',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityReopenedV1Schema,
    description: 'A won or lost opportunity is open again, in the given stage; previousOutcome says which it undoes.',
    example: opportunityReopenedV1Example,
  }),
  defineEvent({
    name: 'OpportunityStalled',
    schemaVersion: 1,
    aggregate: 'opportunity',
    schema: opportunityStalledV1Schema,
    description:
      'An open opportunity stayed in a stage longer than the stage SLA. Published at most once per stage entry ' +
      '(enteredStageAt); it is not published when the opportunity left the stage or closed in time.',
    example: opportunityStalledV1Example,
  }),
  defineEvent({
    name: 'AttributionCalculated',
    schemaVersion: 1,
    aggregate: 'attribution',
    schema: attributionCalculatedV1Schema,
    description:
      "One model's split of a won deal's amount over its touches, per touch, channel and campaign, summing exactly " +
      'to the amount. One per enabled model on each win (stream attribution-<opportunityId>); a later revision ' +
      "follows when recalculated learned weights change a data-driven model's credits.",
    example: attributionCalculatedV1Example,
  }),
  defineEvent({
    name: 'CampaignCostRecorded',
    schemaVersion: 1,
    aggregate: 'attribution',
    schema: campaignCostRecordedV1Schema,
    description:
      "A campaign's total cost for one day, for return on investment and cost per acquisition. A later one for " +
      'the same campaign and day replaces it.',
    example: campaignCostRecordedV1Example,
  }),
] as const;

export type CatalogueEntry = (typeof catalogue)[number];
export type EventName = CatalogueEntry['name'];
/** The schema versions the catalogue knows for an event name. */
export type EventVersion<Name extends EventName> = Extract<CatalogueEntry, { name: Name }>['schemaVersion'];
/** The parsed data of an event at a version: `EventData<'LeadCaptured', 1>`. */
export type EventData<Name extends EventName, Version extends EventVersion<Name>> = z.output<
  Extract<CatalogueEntry, { name: Name; schemaVersion: Version }>['schema']
>;

/** The name and version (or CloudEvents type) is not in the catalogue. */
export class UnknownEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownEventError';
  }
}

/** The catalogue entry for an event name and version, or `undefined`. */
export function catalogueEntryOf(name: string, version: number): CatalogueEntry | undefined {
  return catalogue.find((entry) => entry.name === name && entry.schemaVersion === version);
}

/** The newest version of an event name, which producers write; `undefined` for an unknown name. */
export function latestCatalogueEntry(name: string): CatalogueEntry | undefined {
  let latest: CatalogueEntry | undefined;
  for (const entry of catalogue) {
    if (entry.name === name && (latest === undefined || entry.schemaVersion > latest.schemaVersion)) latest = entry;
  }
  return latest;
}

/** The catalogue entry for a CloudEvents type (a `ce_type` header), or `undefined` for a type this build does not know. */
export function catalogueEntryByCloudEventType(type: string): CatalogueEntry | undefined {
  return catalogue.find((entry) => entry.cloudEventType === type);
}

/**
 * The CloudEvents type of a stored event: `cloudEventTypeOf('LeadCaptured', 1)` is `l2o.lead.captured.v1`.
 * @throws {@link UnknownEventError} when the name and version are not in the catalogue.
 */
export function cloudEventTypeOf(name: string, version: number): string {
  const entry = catalogueEntryOf(name, version);
  if (entry === undefined) throw new UnknownEventError(`event ${name} v${version} is not in the catalogue`);
  return entry.cloudEventType;
}

/**
 * Validates event data against its catalogue schema and returns it typed, without unknown keys.
 * @throws `z.ZodError` (each issue with its field path) when the data does not match.
 * @throws {@link UnknownEventError} when the name and version are not in the catalogue.
 */
export function parseEventData<Name extends EventName, Version extends EventVersion<Name>>(
  name: Name,
  version: Version,
  data: unknown,
): EventData<Name, Version> {
  const entry = catalogueEntryOf(name, version);
  if (entry === undefined) throw new UnknownEventError(`event ${name} v${version} is not in the catalogue`);
  // The lookup matched name and version, so the schema's output is EventData<Name, Version>.
  return entry.schema.parse(data) as EventData<Name, Version>;
}

const aggregates = Object.keys(topicByAggregate) as Aggregate[];

/**
 * The aggregate a CloudEvents type belongs to (`l2o.<aggregate>.…`), also for a type this build's catalogue
 * does not know yet (a newer producer); `undefined` for a type of no aggregate.
 */
export function aggregateOfCloudEventType(type: string): Aggregate | undefined {
  const known = catalogueEntryByCloudEventType(type)?.aggregate;
  if (known !== undefined) return known;
  const prefix = /^l2o\.([a-z]+)\./.exec(type)?.[1];
  return aggregates.find((aggregate) => aggregate === prefix);
}

/** The event store stream of an aggregate instance: `streamIdFor('lead', id)` is `lead-<id>`. */
export function streamIdFor(aggregate: Aggregate, id: string): string {
  if (id === '') throw new Error(`an empty id has no ${aggregate} stream`);
  return `${aggregate}-${id}`;
}

/** Splits a stream id into its aggregate and id; `undefined` when it is not an aggregate stream. */
export function parseStreamId(streamId: string): { aggregate: Aggregate; id: string } | undefined {
  const dash = streamId.indexOf('-');
  if (dash <= 0 || dash === streamId.length - 1) return undefined;
  const aggregate = aggregates.find((candidate) => candidate === streamId.slice(0, dash));
  return aggregate === undefined ? undefined : { aggregate, id: streamId.slice(dash + 1) };
}

/**
 * The topic a stream's events are published to: `lead-<id>` → `l2o.lead.v1`.
 * @throws Error for a stream outside the aggregates (check with {@link parseStreamId} first to skip such streams).
 */
export function topicForStream(streamId: string): AggregateTopic {
  const parsed = parseStreamId(streamId);
  if (parsed === undefined) throw new Error(`stream ${streamId} belongs to no published aggregate`);
  return topicByAggregate[parsed.aggregate];
}
