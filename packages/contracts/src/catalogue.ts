import type { z } from 'zod';
import { leadActivityRecordedV1Example, leadActivityRecordedV1Schema } from './lead/lead-activity-recorded.v1.ts';
import { leadCapturedV1Example, leadCapturedV1Schema } from './lead/lead-captured.v1.ts';
import { leadProfileUpdatedV1Example, leadProfileUpdatedV1Schema } from './lead/lead-profile-updated.v1.ts';
import { leadTouchRecordedV1Example, leadTouchRecordedV1Schema } from './lead/lead-touch-recorded.v1.ts';
import { leadsMergedV1Example, leadsMergedV1Schema } from './lead/leads-merged.v1.ts';
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
