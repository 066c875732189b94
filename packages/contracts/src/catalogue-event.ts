import { z } from 'zod';
import { catalogueEntryByCloudEventType, cloudEventTypeOf } from './catalogue.ts';
import type { EventData, EventName } from './catalogue.ts';
import type { CloudEvent } from './envelope.ts';

/** An event of one of `Name` at version 1 with its data validated: a union that `type` narrows. */
export type CatalogueEvent<Name extends EventName> = {
  [N in Name]: { type: N; data: EventData<N, 1> };
}[Name];

/** The `ce_type`s of version 1 of `names`, e.g. for a consumer's type filter. */
export function cloudEventTypesOf(names: readonly EventName[]): string[] {
  return names.map((name) => cloudEventTypeOf(name, 1));
}

/** What {@link readCatalogueEvent} made of a CloudEvent: the event, or why it is none of the names asked for. */
export type CatalogueEventReading<Name extends EventName> =
  { ok: true; event: CatalogueEvent<Name> } | { ok: false; reason: string };

/**
 * The event's name and data, validated against the catalogue; not `ok` for a type outside `names`
 * (or another version than 1), data that breaks its schema, or data of another tenant than the envelope's.
 */
export function readCatalogueEvent<Name extends EventName>(
  event: CloudEvent,
  names: readonly Name[],
): CatalogueEventReading<Name> {
  const entry = catalogueEntryByCloudEventType(event.type);
  if (entry === undefined || entry.schemaVersion !== 1 || !(names as readonly string[]).includes(entry.name)) {
    return { ok: false, reason: `event ${event.id}: unexpected type ${event.type}` };
  }
  const parsed = entry.schema.safeParse(event.data);
  if (!parsed.success) {
    return { ok: false, reason: `event ${event.id}: invalid ${entry.name} data: ${z.prettifyError(parsed.error)}` };
  }
  const data = parsed.data as { tenantId?: unknown };
  if (data.tenantId !== event.tenantid) {
    return {
      ok: false,
      reason: `event ${event.id}: data of tenant ${String(data.tenantId)} under tenant ${event.tenantid}`,
    };
  }
  // The entry was found by this type and its schema produced `data`, so name and data belong together.
  return { ok: true, event: { type: entry.name, data: parsed.data } as CatalogueEvent<Name> };
}
