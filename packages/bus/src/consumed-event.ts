import { readCatalogueEvent } from '@l2o/contracts';
import type { CatalogueEvent, CloudEvent, EventName } from '@l2o/contracts';
import { PermanentError } from './errors.ts';

/**
 * A consumed event's name and data, validated against the catalogue, for handlers that follow `names`.
 * @throws PermanentError for a type outside `names`, data that breaks its schema, or data of another
 *   tenant than the envelope's: none of them can ever succeed, so the runner dead-letters them.
 */
export function parseConsumedEvent<Name extends EventName>(
  event: CloudEvent,
  names: readonly Name[],
): CatalogueEvent<Name> {
  const reading = readCatalogueEvent(event, names);
  if (!reading.ok) throw new PermanentError(reading.reason);
  return reading.event;
}
