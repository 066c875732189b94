import {
  cloudEventAttributesSchema,
  cloudEventHeaders,
  intakeCloudEventAttributesSchema,
  traceparentPattern,
} from '@l2o/contracts';
import type { CloudEvent, CloudEventAttributes } from '@l2o/contracts';
import { EnvelopeDecodeError } from './errors.ts';

/** A message as the publisher sends it, from {@link toKafkaMessage}. */
export type OutgoingKafkaMessage = { key: string; value: string; headers: Record<string, string> };

/**
 * A record's headers by name, with every value of a header the record repeats (the shape kafkajs's
 * `IHeaders` has too, so its messages fit).
 */
export type MessageHeaders = { [name: string]: Buffer | string | Array<Buffer | string> | undefined };

/** The parts of a Kafka record the decoder reads. */
export type IncomingKafkaMessage = { value: Buffer | string | null; headers?: MessageHeaders };

/** Encodes a CloudEvent in Kafka binary mode: attributes as headers, the data as the JSON value. */
export function toKafkaMessage(event: CloudEvent, key: string): OutgoingKafkaMessage {
  const headers: Record<string, string> = {};
  for (const [attribute, header] of Object.entries(cloudEventHeaders)) {
    const value = event[attribute as keyof CloudEventAttributes];
    if (value !== undefined) headers[header] = String(value);
  }
  return { key, value: JSON.stringify(event.data ?? null), headers };
}

/**
 * Reads one header as text. A repeated header is rejected: which copy is meant is ambiguous.
 * @throws EnvelopeDecodeError when the header appears more than once.
 */
export function readHeader(headers: MessageHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) {
    if (raw.length !== 1)
      throw new EnvelopeDecodeError(`invalid header ${name}: present ${raw.length} times`, { header: name });
    return raw[0]?.toString();
  }
  return raw.toString();
}

/**
 * Which attributes a consumer requires of a message:
 * - `aggregate` (default): an event published from the event store, with `ce_subject` (the aggregate id)
 *   and `ce_streamversion`;
 * - `intake`: a message from an external producer on an intake topic, which belongs to no stream. Only
 *   `ce_specversion`, `ce_id`, `ce_type`, `ce_source`, `ce_time`, `ce_tenantid` and `content-type` are
 *   required; the decoded event gets `streamversion` 0 and `subject` = `ce_subject`, else `ce_id`.
 */
export type EnvelopeKind = 'aggregate' | 'intake';

/**
 * Decodes a Kafka message in CloudEvents binary mode and validates its attributes.
 * An invalid `traceparent` is dropped rather than rejected: tracing is best effort, the event is not.
 * @throws EnvelopeDecodeError naming the missing or invalid header, or the undecodable value.
 */
export function fromKafkaMessage(message: IncomingKafkaMessage, options: { envelope?: EnvelopeKind } = {}): CloudEvent {
  const candidate: Record<string, unknown> = {};
  for (const [attribute, header] of Object.entries(cloudEventHeaders)) {
    const value = readHeader(message.headers, header);
    if (value !== undefined) candidate[attribute] = value;
  }
  if (typeof candidate.datacontenttype === 'string') {
    // `application/json; charset=utf-8` is still JSON; only the media type matters here.
    candidate.datacontenttype = candidate.datacontenttype.split(';')[0]?.trim().toLowerCase();
  }
  // An intake message belongs to no stream, so a stream version it happens to carry means nothing.
  if (options.envelope === 'intake') delete candidate.streamversion;
  if (typeof candidate.streamversion === 'string') {
    if (!/^\d+$/.test(candidate.streamversion)) {
      throw new EnvelopeDecodeError(
        `invalid header ce_streamversion: expected a non-negative integer, got ${JSON.stringify(candidate.streamversion)}`,
        { header: 'ce_streamversion' },
      );
    }
    candidate.streamversion = Number(candidate.streamversion);
  }
  if (typeof candidate.traceparent === 'string' && !traceparentPattern.test(candidate.traceparent)) {
    delete candidate.traceparent;
    delete candidate.tracestate;
  }

  const attributes = validateAttributes(candidate, options.envelope ?? 'aggregate');

  if (message.value === null) throw new EnvelopeDecodeError('missing message value (tombstone)');
  let data: unknown;
  try {
    data = JSON.parse(message.value.toString());
  } catch (error) {
    throw new EnvelopeDecodeError(`message value is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return { ...attributes, data };
}

type AttributesParse<T> =
  | { success: true; data: T }
  | { success: false; error: Error & { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> } };

function validateAttributes(candidate: Record<string, unknown>, envelope: EnvelopeKind): CloudEventAttributes {
  if (envelope === 'aggregate') return parsedOrThrow(cloudEventAttributesSchema.safeParse(candidate), candidate);
  const intake = parsedOrThrow(intakeCloudEventAttributesSchema.safeParse(candidate), candidate);
  return { ...intake, subject: intake.subject ?? intake.id, streamversion: 0 };
}

/** The parsed attributes, or an error naming every missing or invalid header. */
function parsedOrThrow<T>(parsed: AttributesParse<T>, candidate: Record<string, unknown>): T {
  if (parsed.success) return parsed.data;
  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const attribute = String(issue.path[0]) as keyof CloudEventAttributes;
    const header = cloudEventHeaders[attribute] ?? attribute;
    if (problems.has(header)) continue;
    problems.set(
      header,
      candidate[attribute] === undefined ? `missing header ${header}` : `invalid header ${header}: ${issue.message}`,
    );
  }
  const [firstHeader] = problems.keys();
  throw new EnvelopeDecodeError([...problems.values()].join('; '), { header: firstHeader, cause: parsed.error });
}
