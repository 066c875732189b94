import { z } from 'zod';
import { storableString } from './storable-text.ts';

/**
 * The CloudEvents 1.0 context attributes of every event the platform publishes. On Kafka they
 * travel as `ce_<name>` headers (binary mode); `datacontenttype` is the `content-type` header and
 * `traceparent`/`tracestate` are the plain W3C headers.
 */
export type CloudEventAttributes = {
  specversion: '1.0';
  /** The stored event id: a redelivered or republished event keeps it, so consumers can de-duplicate. */
  id: string;
  /** Event type and schema version, e.g. `l2o.lead.captured.v1`. */
  type: string;
  /** The producing service, e.g. `/l2o/ingestion`. */
  source: string;
  /** The aggregate id (also the Kafka key). */
  subject: string;
  /** When the event was recorded, as an RFC 3339 / ISO 8601 timestamp with offset. */
  time: string;
  datacontenttype: 'application/json';
  /** Extension: the tenant the event belongs to. */
  tenantid: string;
  /** Extension: the event's version within its aggregate stream, for ordering and gap detection. */
  streamversion: number;
  /** Extension: id shared by every event caused by one original request. */
  correlationid?: string;
  /** Extension: id of the command or event that directly caused this one. */
  causationid?: string;
  /** W3C trace context of the operation that produced the event. */
  traceparent?: string;
  /** W3C vendor trace state that accompanies `traceparent`. */
  tracestate?: string;
};

/** A CloudEvents 1.0 event as published on Kafka: the attributes plus the event data. */
export type CloudEvent<T = unknown> = CloudEventAttributes & {
  /** The event payload; its shape is given by `type` in the event catalogue. */
  data: T;
};

/** The W3C `traceparent` format: version, trace id, parent span id, flags. */
export const traceparentPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const nonEmpty = storableString().min(1);

/**
 * Validates the attributes of an incoming event (not its data, which has a schema per type).
 * Unknown extensions are stripped, not rejected, so producers can add attributes.
 */
export const cloudEventAttributesSchema = z.object({
  specversion: z.literal('1.0'),
  id: nonEmpty,
  type: nonEmpty,
  source: nonEmpty,
  subject: nonEmpty,
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  tenantid: nonEmpty,
  streamversion: z.number().int().nonnegative(),
  correlationid: nonEmpty.optional(),
  causationid: nonEmpty.optional(),
  traceparent: z.string().regex(traceparentPattern).optional(),
  tracestate: storableString().optional(),
}) satisfies z.ZodType<CloudEventAttributes>;

/**
 * The Kafka header that carries each CloudEvents attribute in binary mode (the data is the record
 * value). Part of the public contract: subscribers filter on these headers without parsing values.
 */
export const cloudEventHeaders = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  subject: 'ce_subject',
  time: 'ce_time',
  datacontenttype: 'content-type',
  tenantid: 'ce_tenantid',
  streamversion: 'ce_streamversion',
  correlationid: 'ce_correlationid',
  causationid: 'ce_causationid',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const satisfies Record<keyof CloudEventAttributes, string>;
