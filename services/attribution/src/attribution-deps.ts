import type pg from 'pg';
import type { BusLogger } from '@l2o/bus';
import type { EventStore } from '@l2o/event-store';
import type { AttributionSettingsSource } from './settings/attribution-settings.repository.ts';

/** What attributing deals and learning weights need. */
export type AttributionDeps = {
  /** Holds attribution's tables (see `migrateAttribution`). */
  pool: pg.Pool;
  store: Pick<EventStore, 'readStream' | 'appendToStream' | 'readStreams' | 'appendToStreams'>;
  /** The time attributions are calculated and weights learned at; tests fix it. */
  clock: () => Date;
  settings: AttributionSettingsSource;
  logger?: BusLogger;
};

/** Where appended events come from, for their metadata. */
export type EventOrigin = { correlationId?: string; causationId?: string; traceparent?: string };
