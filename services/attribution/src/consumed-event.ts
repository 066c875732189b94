import { z } from 'zod';
import { PermanentError } from '@l2o/bus';
import { catalogueEntryByCloudEventType, cloudEventTypeOf } from '@l2o/contracts';
import type { CloudEvent, EventData, EventName } from '@l2o/contracts';

/** A consumed event of one of the catalogue's names, its data validated. */
export type ConsumedCatalogueEvent<Name extends EventName> = {
  [N in Name]: { type: N; data: EventData<N, 1> };
}[Name];

/** The `ce_type`s of version 1 of `names`, for the consumer runner's filter. */
export function cloudEventTypesOf(names: readonly EventName[]): string[] {
  return names.map((name) => cloudEventTypeOf(name, 1));
}

/**
 * The event's name and data, validated against the catalogue.
 * @throws PermanentError for a type outside `names`, data that breaks its schema, or data of another tenant
 *   than the envelope's: none of them can ever succeed, so the bus dead-letters them.
 */
export function parseConsumedEvent<Name extends EventName>(
  event: CloudEvent,
  names: readonly Name[],
): ConsumedCatalogueEvent<Name> {
  const entry = catalogueEntryByCloudEventType(event.type);
  if (entry === undefined || entry.schemaVersion !== 1 || !(names as readonly string[]).includes(entry.name)) {
    throw new PermanentError(`event ${event.id}: unexpected type ${event.type}`);
  }
  const parsed = entry.schema.safeParse(event.data);
  if (!parsed.success) {
    throw new PermanentError(`event ${event.id}: invalid ${entry.name} data: ${z.prettifyError(parsed.error)}`);
  }
  const data = parsed.data as { tenantId?: unknown };
  if (data.tenantId !== event.tenantid) {
    throw new PermanentError(
      `event ${event.id}: data of tenant ${String(data.tenantId)} under tenant ${event.tenantid}`,
    );
  }
  // The entry was found by this type and its schema produced `data`, so name and data belong together.
  return { type: entry.name, data: parsed.data } as ConsumedCatalogueEvent<Name>;
}
