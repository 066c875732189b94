import type pg from 'pg';

/**
 * Serializes, until the transaction ends, every change of one tenant's routing: assignments (pool
 * state, rep loads, reservations), ownership changes from lead events and admin writes. One lock per
 * tenant instead of row locks taken in some order, so two replicas can never deadlock, and caps hold
 * because each assignment sees the loads the previous one committed.
 */
export async function lockTenantRouting(client: pg.PoolClient, tenantId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`l2o.routing:${tenantId}`]);
}
