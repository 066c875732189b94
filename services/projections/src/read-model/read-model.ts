import type pg from 'pg';
import type { StreamEvent } from '@l2o/stream-consumer';

/** What a read model's `applyBatch` gets: the batch's transaction and the new events it handles. */
export type ReadModelBatch = {
  /** The batch's transaction, which also moves the model's positions; throw to roll back. */
  client: pg.PoolClient;
  /**
   * The next events of their streams that the model handles, in batch order (each stream in version
   * order); several of one stream may follow each other. Never a redelivered one, never one past a gap.
   */
  events: readonly StreamEvent[];
};

/**
 * A read model: tables in PostgreSQL that `applyBatch` keeps up to date, a whole batch in a few
 * statements. The framework (see `applyEvents`) calls it inside the transaction that moves the model's
 * positions in the batch's streams. Applying a batch must give the rows that applying its events one
 * batch each would: the tests hold every model to that.
 */
export type ReadModel = {
  /** Stable name: the key of its positions, and what `scripts/rebuild-read-model` takes. */
  name: string;
  /**
   * Whether `applyBatch` wants events of this name (`LeadCaptured`). The model follows every stream of
   * an aggregate it handles any event of, so events it does not handle still advance its position there.
   */
  handles(eventType: string): boolean;
  /** Writes what the events change, with `batch.client`. */
  applyBatch(batch: ReadModelBatch): Promise<void>;
  /** The tables holding the model's rows, emptied (for every tenant) before a rebuild. */
  tables: readonly string[];
};
