import type pg from 'pg';
import type { z } from 'zod';
import type { Aggregate, CatalogueEntry } from '@l2o/contracts';

/** One catalogued event type and version with its parsed data; `switch (event.type)` narrows `data`. */
export type CatalogueEvent = CatalogueEntry extends infer Entry
  ? Entry extends CatalogueEntry
    ? { type: Entry['name']; schemaVersion: Entry['schemaVersion']; data: z.output<Entry['schema']> }
    : never
  : never;

/**
 * A stored event as every read model sees it, whether it came over Kafka or straight from the event
 * store's feed (a rebuild): the same fields, the data parsed with its catalogue schema.
 */
export type ProjectedEvent = CatalogueEvent & {
  /** The stored event id (`ce_id` on Kafka). */
  id: string;
  /** `<aggregate>-<id>`, as in the event store. */
  streamId: string;
  aggregate: Aggregate;
  /** The id part of the stream id (the Kafka key and `ce_subject`), e.g. the lead id. */
  aggregateId: string;
  /** 1-based position of the event in its stream. */
  streamVersion: number;
  /** When the store committed it; rows take their times from here, never from the clock, so a rebuild equals the original. */
  recordedAt: Date;
  tenantId: string;
};

/**
 * A read model: tables in PostgreSQL that one `apply` per event keeps up to date. The framework
 * (see `applyEvent`) runs `apply` inside the transaction that also moves the model's position in the
 * event's stream, and only for the next event of that stream: never twice, never across a gap.
 */
export type ReadModel = {
  /** Stable name: the key of its positions, and what `scripts/rebuild-read-model` takes. */
  name: string;
  /**
   * Whether `apply` wants events of this name (`LeadCaptured`). The model follows every stream of an
   * aggregate it handles any event of, so events it does not handle still advance its position there.
   */
  handles(eventType: string): boolean;
  /** Writes what the event changes, with `client` (inside the framework's transaction); throw to roll back. */
  apply(options: { client: pg.PoolClient; event: ProjectedEvent }): Promise<void>;
  /** The tables holding the model's rows, emptied (for every tenant) before a rebuild. */
  tables: readonly string[];
};
