import { catalogue } from '@l2o/contracts';
import type { ReadModel } from '../read-model/read-model.ts';

const leadEventNames = new Set<string>(
  catalogue.filter((entry) => entry.aggregate === 'lead').map((entry) => entry.name),
);

/**
 * The `lead_timeline` read model: every event of every lead, one row each, with its data as the
 * catalogue schema parsed it. A LeadScored row keeps its breakdown, so a score stays explainable.
 */
export const leadTimelineReadModel: ReadModel = {
  name: 'lead_timeline',
  tables: ['lead_timeline'],
  handles: (eventType) => leadEventNames.has(eventType),
  // jsonb in: the data column takes each event's data as parsed, with no second pass over its text.
  applyBatch: async ({ client, events }) => {
    const rows = events.map((event) => ({
      tenant_id: event.tenantId,
      lead_id: event.aggregateId,
      stream_version: event.streamVersion,
      event_id: event.id,
      type: event.type,
      schema_version: event.schemaVersion,
      recorded_at: event.recordedAt,
      data: event.data,
    }));
    await client.query(
      `INSERT INTO lead_timeline (tenant_id, lead_id, stream_version, event_id, type, schema_version, recorded_at, data)
       SELECT tenant_id, lead_id, stream_version, event_id, type, schema_version, recorded_at, data
       FROM jsonb_populate_recordset(NULL::lead_timeline, $1::jsonb)`,
      [JSON.stringify(rows)],
    );
  },
};
