import { z } from 'zod';
import { PermanentError } from '@l2o/bus';
import { catalogueEntryByCloudEventType, catalogueEntryOf, parseStreamId, streamIdFor } from '@l2o/contracts';
import type { Aggregate, CatalogueEntry, CloudEvent } from '@l2o/contracts';
import type { RecordedEvent } from '@l2o/event-store';

/** One catalogued event type and version with its parsed data; `switch (event.type)` narrows `data`. */
export type CatalogueEvent = CatalogueEntry extends infer Entry
  ? Entry extends CatalogueEntry
    ? { type: Entry['name']; schemaVersion: Entry['schemaVersion']; data: z.output<Entry['schema']> }
    : never
  : never;

/**
 * A stored event as every consumer sees it, whether it came over Kafka or straight from the event
 * store (a back-fill or a rebuild): the same fields, the data parsed with its catalogue schema.
 */
export type StreamEvent = CatalogueEvent & {
  /** The stored event id (`ce_id` on Kafka). */
  id: string;
  /** `<aggregate>-<id>`, as in the event store. */
  streamId: string;
  aggregate: Aggregate;
  /** The id part of the stream id (the Kafka key and `ce_subject`), e.g. the lead id. */
  aggregateId: string;
  /** 1-based position of the event in its stream. */
  streamVersion: number;
  /** When the store committed it; take times from here, never from the clock, so a rebuild equals the original. */
  recordedAt: Date;
  tenantId: string;
  /** Correlation and trace context of the stored event, for the commands it causes. */
  correlationId?: string;
  traceparent?: string;
};

/**
 * The stream event of a CloudEvent as the relay publishes it (`ce_subject` the aggregate id, `ce_time`
 * the store's commit time).
 * @throws PermanentError when the type is not in this build's catalogue or the data breaks its schema.
 */
export function streamEventFromCloudEvent(event: CloudEvent): StreamEvent {
  const entry = catalogueEntryByCloudEventType(event.type);
  if (entry === undefined) {
    throw new PermanentError(`event ${event.id}: ${event.type} is not an event type of the catalogue`);
  }
  return parsed({
    entry,
    id: event.id,
    aggregateId: event.subject,
    streamVersion: event.streamversion,
    recordedAt: new Date(event.time),
    tenantId: event.tenantid,
    data: event.data,
    ...(event.correlationid === undefined ? {} : { correlationId: event.correlationid }),
    ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
  });
}

/**
 * The stream event of an event read from the event store, or `undefined` for a stream that is no
 * aggregate's (nothing the relay publishes, so nothing a consumer follows).
 * @throws PermanentError when the type and version are not in this build's catalogue or the data breaks its schema.
 */
export function streamEventFromRecorded(event: RecordedEvent): StreamEvent | undefined {
  const stream = parseStreamId(event.streamId);
  if (stream === undefined) return undefined;
  const entry = catalogueEntryOf(event.type, event.schemaVersion);
  if (entry === undefined || entry.aggregate !== stream.aggregate) {
    throw new PermanentError(
      `event ${event.id} of ${event.streamId}: ${event.type} v${event.schemaVersion} is not a ` +
        `${stream.aggregate} event of this build's catalogue; deploy the contracts update first`,
    );
  }
  const { correlationId, traceparent } = event.metadata;
  return parsed({
    entry,
    id: event.id,
    aggregateId: stream.id,
    streamVersion: event.streamVersion,
    recordedAt: event.recordedAt,
    tenantId: event.metadata.tenantId,
    data: event.data,
    ...(typeof correlationId === 'string' ? { correlationId } : {}),
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
  });
}

const streamIdsSchema = z.looseObject({ tenantId: z.string().optional() });

function parsed(options: {
  entry: CatalogueEntry;
  id: string;
  aggregateId: string;
  streamVersion: number;
  recordedAt: Date;
  tenantId: string;
  data: unknown;
  correlationId?: string;
  traceparent?: string;
}): StreamEvent {
  const { entry, id, aggregateId, tenantId } = options;
  let data: unknown;
  try {
    data = entry.schema.parse(options.data);
  } catch (error) {
    const detail = error instanceof z.ZodError ? z.prettifyError(error) : String(error);
    throw new PermanentError(`invalid ${entry.name} v${entry.schemaVersion} data (event ${id}): ${detail}`, {
      cause: error,
    });
  }
  // Every event names its tenant and aggregate in the data too; an envelope that disagrees is misrouted.
  const ids = streamIdsSchema.safeParse(data).data ?? {};
  const ownId = ids[`${entry.aggregate}Id`];
  if ((ids.tenantId ?? tenantId) !== tenantId || (typeof ownId === 'string' && ownId !== aggregateId)) {
    throw new PermanentError(
      `event ${id}: its data names tenant ${String(ids.tenantId)} and ${entry.aggregate} ${String(ownId)}, ` +
        `its envelope tenant ${tenantId} and ${entry.aggregate} ${aggregateId}`,
    );
  }
  return {
    type: entry.name,
    schemaVersion: entry.schemaVersion,
    data,
    id,
    streamId: streamIdFor(entry.aggregate, aggregateId),
    aggregate: entry.aggregate,
    aggregateId,
    streamVersion: options.streamVersion,
    recordedAt: options.recordedAt,
    tenantId,
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    ...(options.traceparent === undefined ? {} : { traceparent: options.traceparent }),
  } as StreamEvent;
}
