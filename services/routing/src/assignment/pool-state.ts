import type { EligibleRep } from './eligibility.ts';
import type { Pool } from './routing-config.schema.ts';

/**
 * A pool's fairness state, stored as JSON. Each strategy keeps its own field and all of them record
 * `lastAssignedAt`, so a pool that changes strategy keeps what the others need.
 */
export type PoolState = {
  /** Round robin: the rep assigned last. */
  cursor?: string;
  /** Weighted: each member's current weight (smooth weighted round robin). */
  currentWeights: Record<string, number>;
  /** ISO date-time of each member's last assignment from this pool. */
  lastAssignedAt: Record<string, string>;
};

/** The state of a pool that never assigned a lead. */
export function emptyPoolState(): PoolState {
  return { currentWeights: {}, lastAssignedAt: {} };
}

export type ChooseInput = {
  pool: Pool;
  /** The members that can take the lead, in member order. */
  eligible: readonly EligibleRep[];
  state: PoolState;
  now: Date;
};

export type Choice = { repId: string; nextState: PoolState };

/** Records the assignment in the fields every strategy shares; members no longer in the pool are dropped. */
export function afterAssignment(options: { pool: Pool; state: PoolState; repId: string; now: Date }): PoolState {
  const { pool, state, repId, now } = options;
  const lastAssignedAt: Record<string, string> = {};
  for (const { repId: memberId } of pool.members) {
    const at = memberId === repId ? now.toISOString() : state.lastAssignedAt[memberId];
    if (at !== undefined) lastAssignedAt[memberId] = at;
  }
  return { ...state, lastAssignedAt };
}
