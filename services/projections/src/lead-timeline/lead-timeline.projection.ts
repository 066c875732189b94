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
  apply: async ({ client, event }) => {
    await client.query(
      `INSERT INTO lead_timeline (tenant_id, lead_id, stream_version, event_id, type, schema_version, recorded_at, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        event.tenantId,
        event.aggregateId,
        event.streamVersion,
        event.id,
        event.type,
        event.schemaVersion,
        event.recordedAt,
        JSON.stringify(event.data),
      ],
    );
  },
};
