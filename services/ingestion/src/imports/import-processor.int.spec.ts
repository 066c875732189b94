import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@l2o/testing';
import type { CaptureInput, LeadCapturer } from '../capture/lead-capturer.ts';
import { createImportsFixture, validLeadsCsv } from './imports.fixture.ts';
import type { ImportsFixture } from './imports.fixture.ts';

const rows = 300;

describe('import processor', () => {
  let fixture: ImportsFixture;

  beforeAll(async () => {
    fixture = await createImportsFixture();
  });
  afterEach(async () => {
    await fixture.stopProcessors();
  });
  afterAll(async () => {
    await fixture.close();
  });

  async function uploaded(csv: string): Promise<{ tenantId: string; apiKey: string; importId: string }> {
    const tenant = await fixture.newTenant();
    const response = await fixture.upload({ apiKey: tenant.apiKey, csv });
    expect(response.statusCode, response.body).toBe(202);
    return { ...tenant, importId: response.json<{ importId: string }>().importId };
  }

  async function importRow(importId: string) {
    const result = await fixture.pool.query<{
      status: string;
      processed_rows: number;
      last_row: number;
      lease_owner: string | null;
    }>('SELECT status, processed_rows, last_row, lease_owner FROM imports WHERE id = $1', [importId]);
    return result.rows[0];
  }

  /** Exactly one lead per row: one LeadCaptured per stream, one stream per email. */
  async function expectOneLeadPerRow(tenantId: string): Promise<void> {
    const events = await fixture.eventsOfTenant(tenantId);
    expect(events.filter((event) => event.type === 'LeadCaptured')).toHaveLength(rows);
    expect(new Set(events.map((event) => event.stream_id)).size).toBe(rows);
    expect(events).toHaveLength(rows);
  }

  describe('when stopped mid-import and started again', () => {
    it('saves its progress, gives the import back, and the next processor completes it with one lead per row', async () => {
      const { tenantId, apiKey, importId } = await uploaded(validLeadsCsv(rows, 'restart'));
      let captures = 0;
      let stopped: Promise<void> | undefined;
      const first = fixture.processor({
        capturer: {
          capture: (input: CaptureInput) => {
            captures += 1;
            // A SIGTERM arriving while rows are in flight.
            if (captures === 100) stopped = first.stop();
            return fixture.capturer.capture(input);
          },
        },
      });
      first.start();
      await waitFor('the first processor to stop', () => stopped !== undefined);
      await stopped;

      const paused = await importRow(importId);
      expect(paused).toMatchObject({ status: 'processing', lease_owner: null });
      expect(paused?.processed_rows).toBeGreaterThanOrEqual(100);
      expect(paused?.processed_rows).toBeLessThan(rows);
      expect(paused?.last_row).toBe((paused?.processed_rows ?? 0) + 1);

      fixture.processor().start();
      const done = await fixture.finished({ apiKey, importId });

      expect(done.counts).toEqual({
        total: rows,
        processed: rows,
        accepted: rows,
        merged: 0,
        duplicate: 0,
        rejected: 0,
      });
      await expectOneLeadPerRow(tenantId);
    });
  });

  describe('when its replica dies mid-import', () => {
    it('loses the lease to another processor that resumes from the last checkpoint; nothing is lost or doubled', async () => {
      const { tenantId, apiKey, importId } = await uploaded(validLeadsCsv(rows, 'crash'));
      let release: () => void = () => undefined;
      const frozen = new Promise<void>((resolve) => {
        release = resolve;
      });
      let captures = 0;
      const hanging: LeadCapturer = {
        capture: async (input) => {
          captures += 1;
          if (captures > 100) await frozen;
          return fixture.capturer.capture(input);
        },
      };
      const dying = fixture.processor({ capturer: hanging, leaseMs: 60_000, owner: 'dying-replica' });
      dying.start();
      await waitFor('rows captured by the dying replica to be saved', async () => {
        const row = await importRow(importId);
        return captures > 100 && row !== undefined && row.processed_rows >= 75 ? row : undefined;
      });
      // Its heartbeats stop: the lease runs out.
      await fixture.pool.query(`UPDATE imports SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
        importId,
      ]);

      fixture.processor({ owner: 'surviving-replica' }).start();
      const done = await fixture.finished({ apiKey, importId });

      expect(done.status).toBe('completed');
      expect(done.counts.processed).toBe(rows);
      expect(done.counts.rejected).toBe(0);
      // Rows captured after the last checkpoint come back as already applied.
      expect(done.counts.accepted + done.counts.duplicate).toBe(rows);
      await expectOneLeadPerRow(tenantId);

      // The dying replica wakes up: it must notice the takeover and write nothing.
      release();
      await dying.stop();
      const after = (await fixture.getImport({ apiKey, importId })).json<{ counts: unknown; status: string }>();
      expect(after).toMatchObject({ status: 'completed', counts: done.counts });
      await expectOneLeadPerRow(tenantId);
    });
  });

  describe('when a capture fails for a reason that is not the row', () => {
    it('retries the row until it goes through, never rejecting it', async () => {
      const { tenantId, apiKey, importId } = await uploaded(validLeadsCsv(rows, 'flaky'));
      const failures = new Map<string, number>();
      fixture
        .processor({
          capturer: {
            capture: async (input) => {
              const email = (input.submission as { email: string }).email;
              const failed = failures.get(email) ?? 0;
              if (email.endsWith('7@example.com') && failed < 3) {
                failures.set(email, failed + 1);
                throw new Error('connection terminated unexpectedly');
              }
              return fixture.capturer.capture(input);
            },
          },
        })
        .start();
      const done = await fixture.finished({ apiKey, importId });

      expect(done.counts).toEqual({
        total: rows,
        processed: rows,
        accepted: rows,
        merged: 0,
        duplicate: 0,
        rejected: 0,
      });
      expect([...failures.values()].every((count) => count === 3)).toBe(true);
      await expectOneLeadPerRow(tenantId);
    });
  });

  describe('when the spooled file is gone', () => {
    it('fails the import with the reason', async () => {
      const { apiKey, importId } = await uploaded(validLeadsCsv(3, 'gone'));
      await rm(join(fixture.spoolDir, `${importId}.csv`));
      fixture.processor().start();
      const done = await fixture.finished({ apiKey, importId });

      expect(done).toMatchObject({
        status: 'failed',
        error: 'the uploaded file is gone from the spool directory; upload it again',
        counts: { processed: 0 },
      });
    });
  });
});
