import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { PermanentError } from '@l2o/bus';
import type * as Contracts from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyLeadEvent, leadCapturedEvent, leadTouchRecordedEvent } from './lead-event.fixture.ts';
import { leadsReadModel } from './leads.projection.ts';

const nudgedType = 'l2o.lead.nudged.v1';

// Stands for a lead event type added to the catalogue after this projection was written.
vi.mock('@l2o/contracts', async (importOriginal) => {
  const contracts = await importOriginal<typeof Contracts>();
  const nudged = {
    name: 'LeadNudged',
    schemaVersion: 1,
    aggregate: 'lead',
    cloudEventType: 'l2o.lead.nudged.v1',
    topic: contracts.Topics.lead,
    schema: z.object({ leadId: z.uuid(), tenantId: z.string(), nudgedAt: z.iso.datetime({ offset: true }) }),
    description: 'A lead was nudged.',
    example: {},
  };
  return {
    ...contracts,
    catalogue: [...contracts.catalogue, nudged],
    catalogueEntryByCloudEventType: (type: string) =>
      type === nudged.cloudEventType ? nudged : contracts.catalogueEntryByCloudEventType(type),
  };
});

describe('leads projection, with a lead event type it has no columns for', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_leads_future');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  async function rowsOf(leadId: string): Promise<Array<Record<string, unknown>>> {
    return (await pool.query('SELECT * FROM leads WHERE lead_id = $1', [leadId])).rows;
  }

  function nudgedEvent(
    lead: { subject: string; tenantid: string },
    streamversion: number,
    nudgedAt = '2025-04-01T00:00:00Z',
  ) {
    const touch = leadTouchRecordedEvent({ lead, streamversion });
    return { ...touch, type: nudgedType, data: { leadId: lead.subject, tenantId: lead.tenantid, nudgedAt } };
  }

  it('takes it', () => {
    expect(leadsReadModel.handles('LeadNudged')).toBe(true);
  });

  it('advances the version and nothing else, once, so the next event is no gap', async () => {
    const captured = leadCapturedEvent();
    await applyLeadEvent({ pool, event: captured });
    const before = await rowsOf(captured.subject);
    const nudged = nudgedEvent(captured, 2);

    expect(await applyLeadEvent({ pool, event: nudged })).toBe('applied');
    expect(await applyLeadEvent({ pool, event: nudged })).toBe('duplicate');

    expect(await rowsOf(captured.subject)).toEqual(before.map((row) => ({ ...row, version: 2 })));
    expect(await applyLeadEvent({ pool, event: leadTouchRecordedEvent({ lead: captured, streamversion: 3 }) })).toBe(
      'applied',
    );
  });

  it('still validates its data with its catalogue schema', async () => {
    const captured = leadCapturedEvent();
    await applyLeadEvent({ pool, event: captured });

    const failure = applyLeadEvent({ pool, event: nudgedEvent(captured, 2, 'whenever') });

    await expect(failure).rejects.toBeInstanceOf(PermanentError);
    await expect(failure).rejects.toThrow(/nudgedAt/);
  });

  it('rejects it as the first event of a lead as permanent', async () => {
    const lead = { subject: randomUUID(), tenantid: `tenant-${randomUUID()}` };
    await expect(applyLeadEvent({ pool, event: nudgedEvent(lead, 1) })).rejects.toBeInstanceOf(PermanentError);
    expect(await rowsOf(lead.subject)).toEqual([]);
  });
});
