import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import { catalogue } from '@l2o/contracts';
import type { ReadModel, ReadModelBatch } from '../read-model/read-model.ts';
import { readRows, rowKey, writeRows } from '../read-model/row-store.ts';
import { applyToLeadRow, capturedLeadRow, leadRowColumns } from './lead-row.ts';
import type { LeadRow } from './lead-row.ts';

// Every lead event of the catalogue, the ones with no column here too: each advances the row's version,
// the stream version the row reflects, which the query API shows.
const leadEventNames = new Set<string>(
  catalogue.filter((entry) => entry.aggregate === 'lead').map((entry) => entry.name),
);

/** The `leads` read model: one row per lead with its current state, for lists, filters and reports. */
export const leadsReadModel: ReadModel = {
  name: 'leads',
  tables: ['leads'],
  handles: (eventType) => leadEventNames.has(eventType),
  applyBatch: applyToLeads,
};

const leadTable = { table: 'leads', columns: leadRowColumns, key: ['tenant_id', 'lead_id'] } as const;

/** Folds each lead's events of the batch into its row in memory, then writes the rows in two statements. */
async function applyToLeads({ client, events }: ReadModelBatch): Promise<void> {
  const captured = new Set<string>();
  for (const event of events) {
    if (event.type === 'LeadCaptured') {
      if (event.streamVersion !== 1) {
        throw new PermanentError(
          `event ${event.id}: lead ${event.aggregateId} was captured before, at stream version 1, ` +
            `not at ${event.streamVersion}`,
        );
      }
      captured.add(rowKey(event.tenantId, event.aggregateId));
    } else if (event.streamVersion === 1) {
      throw new PermanentError(`event ${event.id}: lead ${event.aggregateId}'s stream starts with ${event.type}`);
    }
  }
  const stored = await storedRows(client, {
    keys: events
      .map((event) => [event.tenantId, event.aggregateId] as const)
      .filter(([tenantId, leadId]) => !captured.has(rowKey(tenantId, leadId))),
  });
  const fresh = new Map<string, LeadRow>();
  const changed = new Map<string, LeadRow>();
  for (const event of events) {
    const key = rowKey(event.tenantId, event.aggregateId);
    if (event.type === 'LeadCaptured') {
      fresh.set(key, capturedLeadRow(event));
      continue;
    }
    const row = fresh.get(key) ?? changed.get(key) ?? stored.get(key);
    if (row === undefined) {
      throw new Error(`lead ${event.aggregateId}: no row at stream version ${event.streamVersion - 1} to update`);
    }
    applyToLeadRow(row, event);
    if (!fresh.has(key)) changed.set(key, row);
  }
  await writeRows(client, { ...leadTable, insert: [...fresh.values()], update: [...changed.values()] });
}

async function storedRows(
  client: pg.PoolClient,
  options: { keys: ReadonlyArray<readonly [string, string]> },
): Promise<Map<string, LeadRow>> {
  const rows = await readRows<LeadRow>(client, { ...leadTable, keys: options.keys });
  return new Map(rows.map((row) => [rowKey(row.tenant_id, row.lead_id), row]));
}
