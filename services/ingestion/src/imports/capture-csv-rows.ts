import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, resolveRetryOptions } from '@l2o/bus';
import type { Logger } from '@l2o/service-kit';
import type { BulkLeadCapturer } from '../capture/create-lead-capturer.ts';
import type { CaptureInput, CaptureResult, LeadCapturer } from '../capture/lead-capturer.ts';
import { mapConcurrently } from '../capture/map-concurrently.ts';
import type { FieldError } from '../normalize/index.ts';
import { captureErrorKind, describeCaptureError } from './capture-error-kind.ts';
import { captureIdFor, rawRow, rowToSubmission } from './csv-row-mapping.ts';
import type { MappedColumn } from './csv-row-mapping.ts';
import type { ImportRecord } from './imports.repository.ts';

/** The capturer an import uses; with `captureMany` it captures a chunk of rows at once. */
export type ImportCapturer = LeadCapturer & Partial<Pick<BulkLeadCapturer, 'captureMany'>>;

/** A data row of the file (the header is row 1) as its cells. */
export type CsvRow = { rowNumber: number; cells: string[] };

export type RowOutcome =
  | { status: 'accepted' | 'merged' | 'duplicate' }
  | { status: 'rejected'; errors: FieldError[]; raw: Record<string, string> };

/**
 * A row could not be captured for a reason outside the file (the database or the store away) after
 * every attempt: this run of the import ends and the import is tried again later.
 */
export class CaptureUnavailableError extends Error {
  constructor(rowNumber: number, attempts: number, cause: unknown) {
    super(`row ${rowNumber} could not be captured after ${attempts} attempts: ${describeCaptureError(cause)}`, {
      cause,
    });
    this.name = 'CaptureUnavailableError';
  }
}

// Rows of a chunk that failed as a whole are captured one by one, this many at once.
const oneByOneConcurrency = 8;

/**
 * Errors listed for one row; the rest are counted in one more line. The report repeats the row with
 * each error, so a wide row with a refused cell in every column (a NUL in each) would otherwise
 * store columns × columns cells and stall the import's checkpoint.
 */
export const maxErrorsPerRow = 20;

type Pending = { position: number; row: CsvRow; input: CaptureInput };

/**
 * Captures an import's rows a chunk at a time: each row mapped and checked, then the chunk in one
 * `captureMany` when the capturer has it. A chunk that fails as a whole for a reason of its rows
 * is captured again one row at a time, so the row at fault is rejected with the reason and the
 * others go through (each row's capture id makes a row captured before the failure a duplicate).
 * Errors outside the file are retried with backoff `attempts` times, then end the run with a
 * {@link CaptureUnavailableError}; an error of unknown kind is retried as often, then rejects the row.
 */
export function createCsvRowCapture(options: {
  job: Pick<ImportRecord, 'id' | 'tenantId' | 'columns' | 'defaults'>;
  columns: readonly MappedColumn[];
  capturer: ImportCapturer;
  attempts: number;
  retryDelayMs: { initial: number; max: number };
  halt: AbortSignal;
  log: Logger;
}): (rows: readonly CsvRow[]) => Promise<RowOutcome[]> {
  const { job, columns, capturer, attempts, halt, log } = options;
  const retry = resolveRetryOptions({
    maxAttempts: attempts,
    initialDelayMs: options.retryDelayMs.initial,
    maxDelayMs: options.retryDelayMs.max,
  });

  function rejected(row: CsvRow, errors: FieldError[]): RowOutcome {
    const reasons = errors.length > 0 ? errors : [{ field: 'row', reason: 'rejected without a reason' }];
    const listed =
      reasons.length <= maxErrorsPerRow
        ? reasons
        : [
            ...reasons.slice(0, maxErrorsPerRow),
            {
              field: 'row',
              reason: `${reasons.length - maxErrorsPerRow} more errors not listed; fix those above and import the row again to see them`,
            },
          ];
    return { status: 'rejected', errors: listed, raw: rawRow(job.columns, row.cells) };
  }

  function outcomeOf(row: CsvRow, result: CaptureResult): RowOutcome {
    return result.status === 'rejected' ? rejected(row, result.errors) : { status: result.status };
  }

  /** Waits before the next attempt; throws when the processor stops meanwhile (the row is left for the resume). */
  async function backOff(attempt: number, error: unknown, what: string): Promise<void> {
    if (halt.aborted) throw error;
    if (attempt === 1 || attempt === attempts - 1) {
      log.warn({ err: error, attempt, of: attempts }, `capturing ${what} failed; retrying`);
    }
    await sleep(backoffDelay(attempt, retry), undefined, { signal: halt });
  }

  async function captureOne({ row, input }: Pending): Promise<RowOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return outcomeOf(row, await capturer.capture(input));
      } catch (error) {
        const kind = captureErrorKind(error);
        if (kind === 'permanent') {
          return rejected(row, [{ field: 'row', reason: `cannot be stored: ${describeCaptureError(error)}` }]);
        }
        if (attempt >= attempts) {
          if (kind === 'transient') throw new CaptureUnavailableError(row.rowNumber, attempts, error);
          log.error({ err: error, rowNumber: row.rowNumber }, 'a row failed on every attempt; rejected');
          return rejected(row, [
            { field: 'row', reason: `could not be captured in ${attempts} attempts: ${describeCaptureError(error)}` },
          ]);
        }
        await backOff(attempt, error, `row ${row.rowNumber}`);
      }
    }
  }

  /** The chunk's results, or undefined when it must be captured one row at a time. */
  async function captureTogether(
    captureMany: BulkLeadCapturer['captureMany'],
    pending: readonly Pending[],
  ): Promise<CaptureResult[] | undefined> {
    const first = pending[0]?.row.rowNumber ?? 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await captureMany(pending.map((item) => item.input));
      } catch (error) {
        if (captureErrorKind(error) !== 'transient') {
          log.debug({ err: error, fromRow: first }, 'a chunk failed; capturing its rows one by one');
          return undefined;
        }
        if (attempt >= attempts) throw new CaptureUnavailableError(first, attempts, error);
        await backOff(attempt, error, `rows ${first}–${pending.at(-1)?.row.rowNumber ?? first}`);
      }
    }
  }

  return async (rows) => {
    const outcomes = new Array<RowOutcome>(rows.length);
    const pending: Pending[] = [];
    rows.forEach((row, position) => {
      const mapped = rowToSubmission({
        record: row.cells,
        headerLength: job.columns.length,
        columns,
        defaults: job.defaults,
      });
      if (!mapped.ok) {
        outcomes[position] = rejected(row, mapped.errors);
        return;
      }
      const { submission } = mapped;
      const captureId = captureIdFor({ tenantId: job.tenantId, channel: job.defaults.channel, submission });
      pending.push({
        position,
        row,
        input: {
          tenantId: job.tenantId,
          submission,
          defaultChannel: job.defaults.channel,
          captureId,
          correlationId: job.id,
        },
      });
    });
    const { captureMany } = capturer;
    const together =
      captureMany !== undefined && pending.length > 1
        ? await captureTogether(captureMany.bind(capturer), pending)
        : undefined;
    if (together !== undefined) {
      pending.forEach((item, index) => {
        outcomes[item.position] = outcomeOf(item.row, together[index] as CaptureResult);
      });
      return outcomes;
    }
    await mapConcurrently({
      items: pending,
      concurrency: oneByOneConcurrency,
      work: async (item) => {
        outcomes[item.position] = await captureOne(item);
      },
    });
    return outcomes;
  };
}
