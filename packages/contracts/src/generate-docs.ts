import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { catalogue } from './catalogue.ts';
import type { CatalogueEntry } from './catalogue.ts';
import { cloudEventHeaders } from './envelope.ts';
import type { CloudEventAttributes } from './envelope.ts';
import { leadSubmittedV1 } from './intake/lead-submitted.v1.ts';
import { toYaml } from './to-yaml.ts';
import type { Json } from './to-yaml.ts';

// Generates what subscribers read: docs/events/asyncapi.yaml (AsyncAPI 3.0) and one JSON Schema
// (draft 2020-12) per event type at docs/events/schemas/<ce-type>.json. Run after changing the
// catalogue: `node packages/contracts/src/generate-docs.ts`; a unit test fails while they are stale.

/** Where the documents go, relative to the repository root. */
export const eventDocsDir = 'docs/events';
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

const requiredAttributes = [
  'specversion',
  'id',
  'type',
  'source',
  'subject',
  'time',
  'datacontenttype',
  'tenantid',
  'streamversion',
] as const satisfies ReadonlyArray<keyof CloudEventAttributes>;

// Intake messages belong to no aggregate stream (see intake/lead-submitted.v1.ts).
const intakeRequiredAttributes = requiredAttributes.filter(
  (attribute) => attribute !== 'subject' && attribute !== 'streamversion',
);

type JsonObject = { [key: string]: Json };

/** What the documents need of a catalogue entry or an intake message definition. */
type DocumentedMessage = {
  name: string;
  schemaVersion: number;
  cloudEventType: string;
  schema: z.ZodType;
  description: string;
  example: unknown;
};

/** Zod emits plain JSON values; the round trip types them as Json and drops `undefined`. */
function asJson(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function messageId(entry: DocumentedMessage): string {
  return `${entry.name}V${entry.schemaVersion}`;
}

/**
 * The JSON Schema of an event's data as subscribers should apply it: input mode, so unknown
 * properties are allowed (a subscriber must ignore fields added after it was built).
 */
export function eventJsonSchema(
  entry: DocumentedMessage,
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
): JsonObject {
  const schema = asJson(z.toJSONSchema(entry.schema, { io: 'input', target }));
  return {
    ...schema,
    title: `${entry.name} v${entry.schemaVersion}`,
    description: entry.description,
    examples: [asJson(entry.example)],
  };
}

function headersSchema(entry: DocumentedMessage): JsonObject {
  const property = (description: string, extra: JsonObject = {}): JsonObject => ({
    type: 'string',
    description,
    ...extra,
  });
  return {
    type: 'object',
    required: requiredAttributes.map((attribute) => cloudEventHeaders[attribute]),
    properties: {
      [cloudEventHeaders.specversion]: property('CloudEvents version.', { const: '1.0' }),
      [cloudEventHeaders.id]: property('The stored event id; a redelivered event keeps it, so de-duplicate on it.'),
      [cloudEventHeaders.type]: property('Event type and schema version.', { const: entry.cloudEventType }),
      [cloudEventHeaders.source]: property('The producing service, e.g. /l2o/ingestion.'),
      [cloudEventHeaders.subject]: property('The aggregate id, also the Kafka key.'),
      [cloudEventHeaders.time]: property('When the event was recorded (RFC 3339).', { format: 'date-time' }),
      [cloudEventHeaders.datacontenttype]: property('Media type of the value.', { const: 'application/json' }),
      [cloudEventHeaders.tenantid]: property('The tenant the event belongs to.'),
      [cloudEventHeaders.streamversion]: property(
        'Version of the event in its aggregate stream, for ordering and gap detection.',
        {
          pattern: '^[0-9]+$',
        },
      ),
      [cloudEventHeaders.correlationid]: property('Shared by every event caused by one original request.'),
      [cloudEventHeaders.causationid]: property('Id of the command or event that directly caused this one.'),
      [cloudEventHeaders.traceparent]: property('W3C trace context of the operation that produced the event.'),
      [cloudEventHeaders.tracestate]: property('W3C vendor trace state accompanying traceparent.'),
    },
  };
}

function exampleHeaders(entry: CatalogueEntry): JsonObject {
  const data = asJson(entry.example);
  return {
    [cloudEventHeaders.specversion]: '1.0',
    [cloudEventHeaders.id]: '6a1c9f0e-3b2d-4e8f-a7c6-5d4e3f2a1b0c',
    [cloudEventHeaders.type]: entry.cloudEventType,
    [cloudEventHeaders.source]: '/l2o/ingestion',
    [cloudEventHeaders.subject]: String(data[`${entry.aggregate}Id`] ?? ''),
    [cloudEventHeaders.time]: '2025-03-14T09:26:53.120Z',
    [cloudEventHeaders.datacontenttype]: 'application/json',
    [cloudEventHeaders.tenantid]: String(data.tenantId ?? ''),
    [cloudEventHeaders.streamversion]: '1',
    [cloudEventHeaders.traceparent]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  };
}

/** One AsyncAPI message: what differs between the catalogue events and the intake message comes in `kind`. */
function message(
  entry: DocumentedMessage,
  kind: { headers: JsonObject; correlationHeader: string; keyDescription: string; exampleHeaders: JsonObject },
): JsonObject {
  const { $schema: _dialect, ...payload } = eventJsonSchema(entry, 'draft-7');
  return {
    name: entry.name,
    title: `${entry.name} v${entry.schemaVersion}`,
    summary: entry.description,
    contentType: 'application/json',
    headers: kind.headers,
    payload,
    correlationId: { location: `$message.header#/${kind.correlationHeader}` },
    bindings: { kafka: { key: { type: 'string', description: kind.keyDescription }, bindingVersion: '0.5.0' } },
    examples: [{ name: `${messageId(entry)}Example`, headers: kind.exampleHeaders, payload: asJson(entry.example) }],
  };
}

function catalogueMessage(entry: CatalogueEntry): JsonObject {
  return message(entry, {
    headers: headersSchema(entry),
    correlationHeader: cloudEventHeaders.correlationid,
    keyDescription: `The ${entry.aggregate} id; one aggregate's events stay in order on one partition.`,
    exampleHeaders: exampleHeaders(entry),
  });
}

function intakeHeadersSchema(entry: DocumentedMessage): JsonObject {
  const { properties } = headersSchema(entry) as { properties: JsonObject };
  const { [cloudEventHeaders.streamversion]: _streamVersion, ...intakeProperties } = properties;
  const property = (description: string): JsonObject => ({ type: 'string', description });
  return {
    type: 'object',
    required: intakeRequiredAttributes.map((attribute) => cloudEventHeaders[attribute]),
    properties: {
      ...intakeProperties,
      [cloudEventHeaders.id]: {
        ...property(
          "The producer's id of the submission, unique within the tenant (a UUID is safe); a message re-sent with the same id is captured once.",
        ),
        maxLength: 128,
      },
      [cloudEventHeaders.source]: property('The producing system, e.g. /partner/portal.'),
      [cloudEventHeaders.subject]: property("Optional: the producer's own id of the record the lead comes from."),
      [cloudEventHeaders.time]: { ...property('When the lead was submitted (RFC 3339).'), format: 'date-time' },
      [cloudEventHeaders.tenantid]: property('The tenant the lead is captured for.'),
    },
  };
}

function intakeMessage(entry: DocumentedMessage): JsonObject {
  return message(entry, {
    headers: intakeHeadersSchema(entry),
    correlationHeader: cloudEventHeaders.id,
    keyDescription: "Any key; with the producer's record id, one record's submissions stay in order.",
    exampleHeaders: {
      [cloudEventHeaders.specversion]: '1.0',
      [cloudEventHeaders.id]: 'partner-portal-7f3a2c',
      [cloudEventHeaders.type]: entry.cloudEventType,
      [cloudEventHeaders.source]: '/partner/portal',
      [cloudEventHeaders.subject]: 'P-51234',
      [cloudEventHeaders.time]: '2025-03-14T09:26:53.120Z',
      [cloudEventHeaders.datacontenttype]: 'application/json',
      [cloudEventHeaders.tenantid]: 'acme',
    },
  });
}

/** The AsyncAPI 3.0 document: one channel per published topic, one message per event type and version. */
export function asyncApiDocument(): JsonObject {
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};
  for (const aggregate of [...new Set(catalogue.map((entry) => entry.aggregate))]) {
    const entries = catalogue.filter((entry) => entry.aggregate === aggregate);
    const channelMessages = Object.fromEntries(
      entries.map((entry) => [messageId(entry), { $ref: `#/components/messages/${messageId(entry)}` }]),
    );
    channels[aggregate] = {
      address: entries[0]?.topic ?? '',
      title: `${aggregate} events`,
      description: `Every committed event of every ${aggregate} stream, in commit order per ${aggregate}; key = ${aggregate} id.`,
      messages: channelMessages,
    };
    operations[`publish${aggregate[0]?.toUpperCase()}${aggregate.slice(1)}Events`] = {
      action: 'send',
      summary: `The relay publishes ${aggregate} events once committed to the event store (at least once).`,
      channel: { $ref: `#/channels/${aggregate}` },
      messages: entries.map((entry) => ({ $ref: `#/channels/${aggregate}/messages/${messageId(entry)}` })),
    };
    for (const entry of entries) messages[messageId(entry)] = catalogueMessage(entry);
  }
  const intakeId = messageId(leadSubmittedV1);
  channels.leadIntake = {
    address: leadSubmittedV1.topic,
    title: 'lead intake',
    description:
      'Leads submitted by platform producers. An invalid message goes to ' +
      `${leadSubmittedV1.topic}.dlq.<consumer group> with the reason in the dlq_reason header.`,
    messages: { [intakeId]: { $ref: `#/components/messages/${intakeId}` } },
  };
  operations.receiveLeadSubmissions = {
    action: 'receive',
    summary: 'Ingestion captures each submitted lead once per ce_id.',
    channel: { $ref: '#/channels/leadIntake' },
    messages: [{ $ref: `#/channels/leadIntake/messages/${intakeId}` }],
  };
  messages[intakeId] = intakeMessage(leadSubmittedV1);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'L2O platform events',
      version: '1.0.0',
      description: [
        'Events of the lead-to-opportunity platform on Kafka, as CloudEvents 1.0 in binary mode:',
        'attributes in ce_* headers, the event data as the JSON value, the aggregate id as the key.',
        'Delivery is at least once: de-duplicate on ce_id. Skip ce_type values you do not handle.',
        'A version evolves only additively (new optional fields): ignore fields you do not know.',
        'A breaking change is a new version with its own ce_type (…v2), published alongside.',
        'Platform producers submit leads on the lead intake channel, with the headers it lists.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'Development broker (docker-compose / scripts/start).',
      },
    },
    channels,
    operations,
    components: { messages },
  };
}

/** Every generated file, with its path relative to the repository root. */
export function generateEventDocs(): Array<{ path: string; content: string }> {
  const header = '# Generated from packages/contracts (src/generate-docs.ts); do not edit.\n';
  return [
    { path: `${eventDocsDir}/asyncapi.yaml`, content: header + toYaml(asyncApiDocument()) },
    ...[...catalogue, leadSubmittedV1].map((entry) => ({
      path: `${eventDocsDir}/schemas/${entry.cloudEventType}.json`,
      content: `${JSON.stringify(eventJsonSchema(entry), null, 2)}\n`,
    })),
  ];
}

/** Writes the documents and removes schema files of event types no longer in the catalogue. */
export async function writeEventDocs(root = repositoryRoot): Promise<string[]> {
  const files = generateEventDocs();
  const schemasDir = join(root, eventDocsDir, 'schemas');
  await mkdir(schemasDir, { recursive: true });
  const generated = new Set(files.map((file) => join(root, file.path)));
  for (const name of await readdir(schemasDir)) {
    if (!generated.has(join(schemasDir, name))) await rm(join(schemasDir, name));
  }
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content);
  }
  return files.map((file) => file.path);
}

if (import.meta.main) {
  for (const path of await writeEventDocs()) console.log(`wrote ${path}`);
}
