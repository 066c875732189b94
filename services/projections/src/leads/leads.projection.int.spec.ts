import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import { createPool } from '@l2o/pg';
import { freshSchema } from '@l2o/testing';
import { migrateProjections } from '../migrations.ts';
import { leadCapturedEvent } from './lead-event.fixture.ts';
import { applyLeadEvent, StreamGapError } from './leads.projection.ts';

describe('leads projection', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await freshSchema('proj_leads');
    await migrateProjections({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  async function rowsOf(leadId: string): Promise<Array<Record<string, unknown>>> {
    const result = await pool.query('SELECT * FROM leads WHERE lead_id = $1', [leadId]);
    return result.rows;
  }

  describe('when a lead is captured', () => {
    it('adds its row at stream version 1', async () => {
      const event = leadCapturedEvent();

      expect(await applyLeadEvent({ pool, event })).toBe('applied');

      expect(await rowsOf(event.subject)).toEqual([
        {
          tenant_id: event.tenantid,
          lead_id: event.subject,
          status: 'captured',
          email: 'ada@example.com',
          phone: '+442079460000',
          first_name: 'Ada',
          last_name: 'Lovelace',
          job_title: 'Head of Analytics',
          company_name: 'Analytical Engines Ltd',
          company_domain: 'example.com',
          channel: 'web_form',
          source: 'website',
          campaign: 'spring-webinar',
          captured_at: new Date('2025-03-14T09:26:53.000Z'),
          updated_at: new Date(event.time),
          version: 1,
        },
      ]);
    });

    it('takes source and campaign from the UTM parameters when the touchpoint has none', async () => {
      const event = leadCapturedEvent({
        data: {
          touchpoint: {
            channel: 'ad',
            utm: { source: 'google', campaign: 'retargeting' },
            occurredAt: '2025-03-14T09:00:00Z',
          },
        },
      });
      await applyLeadEvent({ pool, event });
      expect(await rowsOf(event.subject)).toEqual([
        expect.objectContaining({ channel: 'ad', source: 'google', campaign: 'retargeting' }),
      ]);
    });
  });

  describe('when an event is delivered again', () => {
    it('keeps the single row as it was', async () => {
      const event = leadCapturedEvent();
      await applyLeadEvent({ pool, event });
      const before = await rowsOf(event.subject);

      expect(await applyLeadEvent({ pool, event })).toBe('duplicate');

      expect(await rowsOf(event.subject)).toEqual(before);
      expect(before).toHaveLength(1);
    });
  });

  describe('when events of the lead are missing', () => {
    it('refuses an event two versions ahead and leaves the row unchanged', async () => {
      const first = leadCapturedEvent();
      await applyLeadEvent({ pool, event: first });
      const before = await rowsOf(first.subject);
      const ahead = leadCapturedEvent({ leadId: first.subject, tenantId: first.tenantid, streamversion: 3 });

      const failure = applyLeadEvent({ pool, event: ahead });

      await expect(failure).rejects.toBeInstanceOf(StreamGapError);
      await expect(failure).rejects.toThrow(
        `lead ${first.subject}: received stream version 3 but the last applied is 1; events 2..2 are missing`,
      );
      expect(await rowsOf(first.subject)).toEqual(before);
    });

    it('refuses a first event that is not the stream’s first', async () => {
      const event = leadCapturedEvent({ streamversion: 2 });
      await expect(applyLeadEvent({ pool, event })).rejects.toBeInstanceOf(StreamGapError);
      expect(await rowsOf(event.subject)).toEqual([]);
    });
  });

  describe('when an event can never be applied', () => {
    it('rejects data that breaks the contract as permanent, naming the field', async () => {
      const event = leadCapturedEvent();
      const invalid = { ...event, data: { ...event.data, capturedAt: 'yesterday' } };

      const failure = applyLeadEvent({ pool, event: invalid });

      await expect(failure).rejects.toBeInstanceOf(PermanentError);
      await expect(failure).rejects.toThrow(/capturedAt/);
      expect(await rowsOf(event.subject)).toEqual([]);
    });

    it('rejects an envelope whose subject is not the lead in the data as permanent', async () => {
      const event = { ...leadCapturedEvent(), subject: randomUUID() };
      await expect(applyLeadEvent({ pool, event })).rejects.toBeInstanceOf(PermanentError);
      expect(await rowsOf(event.subject)).toEqual([]);
    });
  });
});
