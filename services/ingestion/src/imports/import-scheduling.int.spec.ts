import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, waitFor } from '@l2o/testing';
import type { CaptureInput } from '../capture/lead-capturer.ts';
import type { ImportCapturer } from './capture-csv-rows.ts';
import { createImportsFixture, validLeadsCsv } from './imports.fixture.ts';
import type { ImportsFixture } from './imports.fixture.ts';

describe('import scheduling', () => {
  let fixture: ImportsFixture;
  // A PostgreSQL server that is not there: every query fails as a lost database does (ECONNREFUSED).
  let unreachable: pg.Pool;

  beforeAll(async () => {
    fixture = await createImportsFixture();
    const [port] = await freePorts(1);
    unreachable = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/none`, max: 1 });
  });
  afterEach(async () => {
    await fixture.stopProcessors();
  });
  afterAll(async () => {
    await unreachable.end();
    await fixture.close();
  });

  /** The real capturer, but captures for which `unavailable` holds fail as if the database were gone. */
  function capturerFailing(unavailable: (input: CaptureInput) => boolean): ImportCapturer {
    return {
      capture: async (input) => {
        if (unavailable(input)) await unreachable.query('SELECT 1');
        return fixture.capturer.capture(input);
      },
      captureMany: async (inputs) => {
        if (inputs.some(unavailable)) await unreachable.query('SELECT 1');
        return fixture.capturer.captureMany(inputs);
      },
    };
  }

  /** The first and last event position of each tenant's captures. */
  async function captureSpans(...tenantIds: string[]) {
    const result = await fixture.pool.query<{ tenant: string; first: string; last: string; leads: number }>(
      `SELECT metadata->>'tenantId' AS tenant, min(global_position) AS first, max(global_position) AS last,
         count(DISTINCT stream_id)::int AS leads
       FROM events WHERE type = 'LeadCaptured' AND metadata->>'tenantId' = ANY($1) GROUP BY 1`,
      [tenantIds],
    );
    return Object.fromEntries(
      result.rows.map((row) => [row.tenant, { first: BigInt(row.first), last: BigInt(row.last), leads: row.leads }]),
    );
  }

  describe("when one tenant's import keeps failing on a row", () => {
    it("completes another tenant's import submitted after it, while the first waits for its row", async () => {
      const stuck = await fixture.uploaded(validLeadsCsv(300, 'stuck'));
      let healed = false;
      const poison = (input: CaptureInput) =>
        !healed && (input.submission as { email?: string }).email === 'stuck-170@example.com';
      // One place only: the other import can run only because the stuck one gives its place up.
      fixture
        .processor({ parallelImports: 1, rowAttempts: 2, maxAttempts: 1000, capturer: capturerFailing(poison) })
        .start();
      await waitFor('the stuck import to give up a run', async () => {
        const row = await fixture.importRow(stuck.importId);
        return row !== undefined && row.failed_attempts >= 1;
      });

      const later = await fixture.uploaded(validLeadsCsv(20, 'later'));
      const laterDone = await fixture.finished(later);

      expect(laterDone).toMatchObject({ status: 'completed', counts: { processed: 20, accepted: 20 } });
      const meanwhile = (await fixture.getImport(stuck)).json<{
        status: string;
        counts: { processed: number };
        attempts: { failed: number; lastError: string };
      }>();
      expect(meanwhile.status).toBe('processing');
      // Row 171 of the file (the header is row 1) holds the row that fails.
      expect(meanwhile.counts.processed).toBeLessThan(170);
      expect(meanwhile.attempts.failed).toBeGreaterThanOrEqual(1);
      expect(meanwhile.attempts.lastError).toMatch(/could not be captured after 2 attempts: .*ECONNREFUSED/);

      healed = true;
      const stuckDone = await fixture.finished(stuck);
      expect(stuckDone.status).toBe('completed');
      expect(stuckDone.counts.processed).toBe(300);
      // Rows captured after the failing one before a run gave up come back as already applied.
      expect(stuckDone.counts.accepted + stuckDone.counts.duplicate).toBe(300);
      const spans = await captureSpans(stuck.tenantId, later.tenantId);
      expect(spans[stuck.tenantId]?.leads).toBe(300);
      expect((await fixture.eventsOfTenant(stuck.tenantId)).length).toBe(300);
    });
  });

  describe("when one tenant's import is large", () => {
    it("steps aside at a checkpoint for another tenant's import submitted after it, then finishes", async () => {
      const large = await fixture.uploaded(validLeadsCsv(2000, 'large'));
      const small = await fixture.uploaded(validLeadsCsv(20, 'small'));
      fixture.processor({ parallelImports: 1, sliceMs: 0 }).start();
      const smallDone = await fixture.finished(small);
      const largeDone = await fixture.finished(large);

      expect(smallDone).toMatchObject({ status: 'completed', counts: { processed: 20, accepted: 20 } });
      expect(largeDone).toMatchObject({ status: 'completed', counts: { processed: 2000, duplicate: 0 } });
      // The large import started first, and the small one was captured whole before the large one's end.
      const spans = await captureSpans(large.tenantId, small.tenantId);
      const [largeSpan, smallSpan] = [spans[large.tenantId], spans[small.tenantId]];
      expect(largeSpan?.leads).toBe(2000);
      expect(smallSpan?.leads).toBe(20);
      expect(largeSpan !== undefined && smallSpan !== undefined).toBe(true);
      if (largeSpan === undefined || smallSpan === undefined) return;
      expect(largeSpan.first < smallSpan.first).toBe(true);
      expect(smallSpan.last < largeSpan.last).toBe(true);
    });
  });

  describe('when its spooled file cannot be read', () => {
    it('fails the import with the reason after the bounded attempts', async () => {
      const unreadable = await fixture.uploaded(validLeadsCsv(5, 'unreadable'));
      // A directory where the file was: it opens, but every read fails (EISDIR).
      const path = join(fixture.spoolDir, `${unreadable.importId}.csv`);
      await rm(path);
      await mkdir(path);
      fixture.processor({ maxAttempts: 2 }).start();
      const done = await fixture.finished(unreadable);

      expect(done).toMatchObject({ status: 'failed', counts: { processed: 0 }, attempts: { failed: 2, max: 2 } });
      expect(done.error).toMatch(/^stopped after 2 attempts .*the file cannot be read after row 0: .*EISDIR/);
    });
  });

  describe('when every attempt of an import fails for a reason outside the file', () => {
    it('fails it with the reason after the bounded attempts, gives its place back, and runs the next import', async () => {
      const doomed = await fixture.uploaded(validLeadsCsv(30, 'doomed'));
      fixture
        .processor({
          parallelImports: 1,
          rowAttempts: 2,
          maxAttempts: 3,
          capturer: capturerFailing((input) => input.tenantId === doomed.tenantId),
        })
        .start();
      const done = await fixture.finished(doomed);

      expect(done).toMatchObject({
        status: 'failed',
        counts: { total: 30, processed: 0 },
        attempts: { failed: 3, max: 3 },
      });
      expect(done.error).toMatch(/^stopped after 3 attempts in a row failed for a reason outside the file/);
      expect(done.error).toMatch(/ECONNREFUSED/);
      expect(done.error).toMatch(/upload the file again once the cause is fixed/);
      expect(done.attempts?.retryAt).toBeUndefined();
      expect(await fixture.importRow(doomed.importId)).toMatchObject({ status: 'failed', lease_owner: null });

      const next = await fixture.uploaded(validLeadsCsv(10, 'next'));
      expect(await fixture.finished(next)).toMatchObject({ status: 'completed', counts: { accepted: 10 } });
    });
  });
});
