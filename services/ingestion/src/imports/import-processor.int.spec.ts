import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@l2o/testing';
import type { CaptureInput, LeadCapturer } from '../capture/lead-capturer.ts';
import { maxErrorsPerRow } from './capture-csv-rows.ts';
import type { ImportCapturer } from './capture-csv-rows.ts';
import { createImportsFixture, validLeadsCsv } from './imports.fixture.ts';
import type { ImportsFixture, ImportStatusBody } from './imports.fixture.ts';

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

  /** Every row of a file of `rows` valid leads captured once: none merged, duplicate or rejected. */
  function expectEveryRowAccepted(counts: ImportStatusBody['counts']): void {
    expect(counts).toEqual({ total: rows, processed: rows, accepted: rows, merged: 0, duplicate: 0, rejected: 0 });
  }

  /** Exactly one lead per row: one LeadCaptured per stream, one stream per email. */
  async function expectOneLeadPerRow(tenantId: string, leads = rows): Promise<void> {
    const events = await fixture.eventsOfTenant(tenantId);
    expect(events.filter((event) => event.type === 'LeadCaptured')).toHaveLength(leads);
    expect(new Set(events.map((event) => event.stream_id)).size).toBe(leads);
    expect(events).toHaveLength(leads);
  }

  /** `rows` valid leads with `poison` inserted as row `rowNumber` of the file (the header is row 1). */
  function csvWithRow(prefix: string, rowNumber: number, poison: string): string {
    const lines = validLeadsCsv(rows, prefix).trimEnd().split('\n');
    lines.splice(rowNumber - 1, 0, poison);
    return `${lines.join('\n')}\n`;
  }

  describe('when stopped mid-import and started again', () => {
    // Without captureMany the processor captures row by row; with it, a chunk of chunkRows at a time.
    it.each([
      { captures: 'row by row', chunkRows: undefined },
      { captures: 'in chunks of 20 rows', chunkRows: 20 },
    ])(
      'capturing $captures, it finishes the captures in flight, saves them, gives the import back, and the next processor completes it with one lead per row',
      async ({ chunkRows }) => {
        const { tenantId, apiKey, importId } = await fixture.uploaded(validLeadsCsv(rows, `restart-${chunkRows ?? 1}`));
        let captured = 0;
        let stopped: Promise<void> | undefined;
        // A SIGTERM arriving while captures are in flight, once 100 rows have gone into them.
        const counted = (count: number) => {
          captured += count;
          if (captured >= 100 && stopped === undefined) stopped = first.stop();
        };
        const capturer: ImportCapturer =
          chunkRows === undefined
            ? {
                capture: (input: CaptureInput) => {
                  counted(1);
                  return fixture.capturer.capture(input);
                },
              }
            : {
                capture: (input) => fixture.capturer.capture(input),
                captureMany: (inputs) => {
                  counted(inputs.length);
                  return fixture.capturer.captureMany(inputs);
                },
              };
        const first = fixture.processor({ capturer, chunkRows });
        first.start();
        await waitFor('the first processor to stop', () => stopped !== undefined);
        await stopped;

        const paused = await fixture.importRow(importId);
        expect(paused).toMatchObject({ status: 'processing', lease_owner: null });
        expect(paused?.processed_rows).toBeGreaterThanOrEqual(100);
        expect(paused?.processed_rows).toBeLessThan(rows);
        expect(paused?.last_row).toBe((paused?.processed_rows ?? 0) + 1);

        fixture.processor({ chunkRows }).start();
        const done = await fixture.finished({ apiKey, importId });

        expectEveryRowAccepted(done.counts);
        await expectOneLeadPerRow(tenantId);
      },
    );
  });

  describe('when its replica dies mid-import', () => {
    it('loses the lease to another processor that resumes from the last checkpoint; nothing is lost or doubled', async () => {
      const { tenantId, apiKey, importId } = await fixture.uploaded(validLeadsCsv(rows, 'crash'));
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
        const row = await fixture.importRow(importId);
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
      const { tenantId, apiKey, importId } = await fixture.uploaded(validLeadsCsv(rows, 'flaky'));
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

      expectEveryRowAccepted(done.counts);
      expect([...failures.values()].every((count) => count === 3)).toBe(true);
      await expectOneLeadPerRow(tenantId);
    });
  });

  describe('when a row holds a NUL character', () => {
    it('rejects that row naming its row number and field, and captures every other row once', async () => {
      const { tenantId, apiKey, importId } = await fixture.uploaded(
        csvWithRow('nul', 42, 'nul-poison@example.com,Ada\u0000Lovelace,Poison Ltd,GB'),
      );
      fixture.processor().start();
      const done = await fixture.finished({ apiKey, importId });

      expect(done).toMatchObject({
        status: 'completed',
        counts: { total: rows + 1, processed: rows + 1, accepted: rows, duplicate: 0, rejected: 1 },
      });
      const [rejection, ...others] = await fixture.rejections({ apiKey, importId });
      expect(others).toEqual([]);
      expect(rejection?.slice(0, 3)).toEqual([
        '42',
        'firstName',
        'contains a NUL character (\\u0000) at position 3, which cannot be stored; remove it',
      ]);
      // The row as read, with the character the report cannot store shown as U+FFFD.
      expect(JSON.parse(rejection?.[3] ?? '{}')).toMatchObject({
        email: 'nul-poison@example.com',
        firstName: 'Ada\uFFFDLovelace',
      });
      await expectOneLeadPerRow(tenantId);
    });
  });

  describe('when a wide row holds a NUL in every column', () => {
    it('rejects it listing the first errors and counting the rest, and captures the other rows', async () => {
      const columns = 2000;
      const header = ['email', ...Array.from({ length: columns }, (_, index) => `customFields.c${index}`)];
      const cells = (email: string, cell: string) => [email, ...Array.from({ length: columns }, () => cell)].join(',');
      const { tenantId, apiKey, importId } = await fixture.uploaded(
        `${[header.join(','), cells('wide-1@example.com', 'x\u0000'), cells('wide-2@example.com', 'x')].join('\n')}\n`,
      );
      fixture.processor().start();
      const done = await fixture.finished({ apiKey, importId });

      expect(done).toMatchObject({ status: 'completed', counts: { total: 2, processed: 2, accepted: 1, rejected: 1 } });
      const rejections = await fixture.rejections({ apiKey, importId });
      expect(rejections.map((rejection) => rejection.slice(0, 2))).toEqual([
        ...Array.from({ length: maxErrorsPerRow }, (_, index) => ['2', `customFields.c${index}`]),
        ['2', 'row'],
      ]);
      expect(rejections.at(-1)?.[2]).toMatch(new RegExp(`^${columns - maxErrorsPerRow} more errors not listed`));
      await expectOneLeadPerRow(tenantId, 1);
    });
  });

  describe('when the database refuses a row', () => {
    it('rejects that row with the reason, captures the rest of its chunk and the file once, and goes on', async () => {
      const poisonEmail = 'refused-poison@example.com';
      const { tenantId, apiKey, importId } = await fixture.uploaded(
        csvWithRow('refused', 150, `${poisonEmail},Refused,Poison Ltd,GB`),
      );
      const isPoison = (input: CaptureInput) => (input.submission as { email?: string }).email === poisonEmail;
      // The error PostgreSQL gave the reported row: jsonb cannot hold \u0000.
      const refuse = () => fixture.pool.query(`SELECT $1::jsonb`, ['"\\u0000"']);
      let refusals = 0;
      fixture
        .processor({
          capturer: {
            capture: async (input) => {
              if (isPoison(input)) {
                refusals += 1;
                await refuse();
              }
              return fixture.capturer.capture(input);
            },
            captureMany: async (inputs) => {
              if (inputs.some(isPoison)) {
                refusals += 1;
                await refuse();
              }
              return fixture.capturer.captureMany(inputs);
            },
          },
        })
        .start();
      const done = await fixture.finished({ apiKey, importId });

      expect(done).toMatchObject({
        status: 'completed',
        counts: { total: rows + 1, processed: rows + 1, accepted: rows, duplicate: 0, rejected: 1 },
      });
      expect(await fixture.rejections({ apiKey, importId })).toEqual([
        [
          '150',
          'row',
          'cannot be stored: unsupported Unicode escape sequence (SQLSTATE 22P05)',
          expect.stringContaining(poisonEmail),
        ],
      ]);
      // Once as part of its chunk, once on its own: never retried.
      expect(refusals).toBe(2);
      await expectOneLeadPerRow(tenantId);
    });
  });

  describe('when the spooled file is gone', () => {
    it('fails the import with the reason', async () => {
      const { apiKey, importId } = await fixture.uploaded(validLeadsCsv(3, 'gone'));
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
