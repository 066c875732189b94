import { z } from 'zod';
import { PermanentError } from '@l2o/bus';
import { catalogueEntryByCloudEventType, catalogueEntryOf, parseStreamId, streamIdFor } from '@l2o/contracts';
import type { CatalogueEntry, CloudEvent } from '@l2o/contracts';
import type { RecordedEvent } from '@l2o/event-store';
import type { CatalogueEvent, ProjectedEvent } from './read-model.ts';

/**
 * The projected form of a CloudEvent as the relay publishes it (`ce_subject` the aggregate id,
 * `ce_time` the store's commit time).
 * @throws PermanentError when the type is not in this build's catalogue or the data breaks its schema.
 */
export function projectedFromCloudEvent(event: CloudEvent): ProjectedEvent {
  const entry = catalogueEntryByCloudEventType(event.type);
  if (entry === undefined) {
    throw new PermanentError(`event ${event.id}: ${event.type} is not an event type of the catalogue`);
  }
  return projected({
    entry,
    id: event.id,
    aggregateId: event.subject,
    streamVersion: event.streamversion,
    recordedAt: new Date(event.time),
    tenantId: event.tenantid,
    data: event.data,
  });
}

/**
 * The projected form of an event read from the event store, or `undefined` for a stream that is no
 * aggregate's (nothing the relay publishes, so nothing a read model follows).
 * @throws PermanentError when the type and version are not in this build's catalogue or the data breaks its schema.
 */
export function projectedFromRecordedEvent(event: RecordedEvent): ProjectedEvent | undefined {
  const stream = parseStreamId(event.streamId);
  if (stream === undefined) return undefined;
  const entry = catalogueEntryOf(event.type, event.schemaVersion);
  if (entry === undefined || entry.aggregate !== stream.aggregate) {
    throw new PermanentError(
      `event ${event.id} of ${event.streamId}: ${event.type} v${event.schemaVersion} is not a ` +
        `${stream.aggregate} event of this build's catalogue; deploy the contracts update first`,
    );
  }
  return projected({
    entry,
    id: event.id,
    aggregateId: stream.id,
    streamVersion: event.streamVersion,
    recordedAt: event.recordedAt,
    tenantId: event.metadata.tenantId,
    data: event.data,
  });
}

const streamIdsSchema = z.looseObject({ tenantId: z.string().optional() });

function projected(options: {
  entry: CatalogueEntry;
  id: string;
  aggregateId: string;
  streamVersion: number;
  recordedAt: Date;
  tenantId: string;
  data: unknown;
}): ProjectedEvent {
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
      `event ${id}: ${entry.aggregate} ${aggregateId} of tenant ${tenantId} does not match the data's ` +
        `${entry.aggregate} ${String(ownId)} of tenant ${ids.tenantId}`,
    );
  }
  // The schema looked up by name and version produced `data`, so the pair is one CatalogueEvent.
  const event = { type: entry.name, schemaVersion: entry.schemaVersion, data } as CatalogueEvent;
  return {
    ...event,
    id,
    streamId: streamIdFor(entry.aggregate, aggregateId),
    aggregate: entry.aggregate,
    aggregateId,
    streamVersion: options.streamVersion,
    recordedAt: options.recordedAt,
    tenantId,
  };
}
