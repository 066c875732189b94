import { randomUUID } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '@l2o/service-kit';
import { captureErrorKind, describeCaptureError } from './capture-error-kind.ts';
import { createCsvRowCapture } from './capture-csv-rows.ts';
import type { CsvRow, ImportCapturer, RowOutcome } from './capture-csv-rows.ts';
import { createCsvParser } from './csv-format.ts';
import { resolveColumns } from './csv-row-mapping.ts';
import {
  anotherTenantWaits,
  checkpointImport,
  claimImport,
  failImport,
  recordFailedAttempt,
  renewLease,
} from './imports.repository.ts';
import type { CheckpointRejection, ImportCounts, ImportRecord } from './imports.repository.ts';

export type ImportProcessorOptions = {
  pool: pg.Pool;
  /** With `captureMany` (the lead capturer has it), rows are captured a chunk at a time. */
  capturer: ImportCapturer;
  logger: Logger;
  /** Imports this processor works on at once, taken fairly across tenants. Default 4. */
  parallelImports?: number;
  /** Captures in flight within one import: chunks with `captureMany`, rows otherwise. Default 4. */
  concurrency?: number;
  /** Rows per capture when the capturer has `captureMany`. Default 100. */
  chunkRows?: number;
  /** Attempts of a row (or chunk) failing for a reason outside the file before the run gives up. Default 5. */
  rowAttempts?: number;
  /** Runs of an import in a row that give up without gaining a row before the import is failed. Default 5. */
  maxAttempts?: number;
  /** Delay before an import whose run gave up is claimed again, doubling per failed run. Default 5 s → 5 min. */
  attemptDelayMs?: { initial: number; max: number };
  /**
   * How long an import keeps its place before it steps aside for another tenant's import that
   * waits with none of its tenant's running, when every place is taken. Default 10 000.
   */
  sliceMs?: number;
  /** How often an idle processor looks for an import. Default 1000. */
  pollIntervalMs?: number;
  /** How long an import stays with this processor without a heartbeat; a crashed replica's import is resumed after it. Default 30 000. */
  leaseMs?: number;
  /** Progress is saved after this many rows… Default 500. */
  checkpointRows?: number;
  /** …or this long, whichever comes first. Default 1000. */
  checkpointMs?: number;
  /** Backoff between attempts of a row (or chunk) and of saving progress. Default 100 → 10 000. */
  retryDelayMs?: { initial: number; max: number };
  /** Progress log interval. Default 5000. */
  logIntervalMs?: number;
  /** This processor's name in the lease; unique per replica. Default: random. */
  owner?: string;
};

export type ImportProcessor = {
  /** Starts looking for received, interrupted or due imports and processing up to `parallelImports` of them. */
  start: () => void;
  /** Stops reading, lets rows in flight finish, saves progress and gives the imports back for a later resume. */
  stop: () => Promise<void>;
};

const zeroCounts = (): ImportCounts => ({ processed: 0, accepted: 0, merged: 0, duplicate: 0, rejected: 0 });

class LeaseLost extends Error {
  constructor() {
    super('the import was taken over by another processor');
    this.name = 'LeaseLost';
  }
}

/** How reading an import's file ended. */
type ReadOutcome =
  | { kind: 'read'; lastRow: number }
  | { kind: 'halted' }
  /** Stepped aside for another tenant's import. */
  | { kind: 'yielded' }
  /** Gave up for a reason outside the file's rows; counted, and tried again later. */
  | { kind: 'gave-up'; reason: string };

/**
 * Processes uploaded imports in the background: claims up to `parallelImports` at a time under a
 * lease (so replicas never process one import together and a crashed replica's import is
 * resumed), the tenant served least recently first, and works on them side by side. Each streams
 * its spool file through the CSV parser, captures its rows a chunk at a time under capture ids
 * derived from their content, and checkpoints counts, rejections and the last contiguous row.
 * A row the database refuses is rejected and the import goes on; a run that keeps failing for a
 * reason outside the file gives the import back, and after `maxAttempts` such runs it is failed.
 */
export function createImportProcessor(options: ImportProcessorOptions): ImportProcessor {
  const { pool, capturer, logger } = options;
  const parallelImports = options.parallelImports ?? 4;
  const concurrency = options.concurrency ?? 4;
  const chunkRows = capturer.captureMany === undefined ? 1 : (options.chunkRows ?? 100);
  const rowAttempts = options.rowAttempts ?? 5;
  const maxAttempts = options.maxAttempts ?? 5;
  const attemptDelay = options.attemptDelayMs ?? { initial: 5000, max: 300_000 };
  const sliceMs = options.sliceMs ?? 10_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  const checkpointRows = options.checkpointRows ?? 500;
  const checkpointMs = options.checkpointMs ?? 1000;
  const retryDelay = options.retryDelayMs ?? { initial: 100, max: 10_000 };
  const logIntervalMs = options.logIntervalMs ?? 5000;
  const owner = options.owner ?? `importer-${randomUUID()}`;
  // Completed rows waiting behind a slow one are held in memory; this bounds how many.
  const maxWindow = Math.max(checkpointRows * 4, concurrency * chunkRows * 4);

  let controller: AbortController | undefined;
  let loop: Promise<void> | undefined;
  const active = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  // One import steps aside at a time, until the place it freed is taken again.
  let stepping = false;

  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (active.size < parallelImports) {
        let job: ImportRecord | undefined;
        try {
          job = await claimImport(pool, { owner, leaseMs, maxAttempts });
        } catch (error) {
          logger.error({ err: error }, 'looking for imports failed');
        }
        stepping = false;
        if (job !== undefined) {
          begin(job, signal);
          continue;
        }
      }
      // Until a place frees up, or the poll interval passes.
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      await Promise.race([woken, sleep(pollIntervalMs, undefined, { signal }).catch(() => undefined)]);
      wake = undefined;
    }
    await Promise.allSettled([...active]);
  }

  function begin(job: ImportRecord, signal: AbortSignal): void {
    const task = processImport(job, signal)
      .catch(async (error: unknown) => {
        logger.error({ err: error, importId: job.id }, 'import processing failed; it is tried again later');
        // Counted like a run that gave up, so an error that recurs (a spool file it may not open) ends too.
        await recordFailedAttempt(pool, {
          importId: job.id,
          owner,
          error: describeCaptureError(error),
          maxAttempts,
          retryDelayMs: attemptDelay,
        }).catch(() => undefined);
      })
      .finally(() => {
        active.delete(task);
        wake?.();
      });
    active.add(task);
  }

  /** Whether the import should step aside now: its slice is over, every place is taken and another tenant waits. */
  async function timeToStepAside(job: ImportRecord, claimedAt: number): Promise<boolean> {
    if (stepping || active.size < parallelImports || Date.now() - claimedAt < sliceMs) return false;
    const waits = await anotherTenantWaits(pool, { tenantId: job.tenantId }).catch(() => false);
    if (waits && !stepping) {
      stepping = true;
      return true;
    }
    return false;
  }

  async function processImport(job: ImportRecord, stopSignal: AbortSignal): Promise<void> {
    const claimedAt = Date.now();
    const log = logger.child({ importId: job.id, tenantId: job.tenantId });
    const resolved = resolveColumns({ header: job.columns, mapping: job.mapping });
    if (!resolved.ok) {
      await failImport(pool, { importId: job.id, owner, error: `${resolved.field}: ${resolved.reason}` });
      return;
    }
    let file: FileHandle;
    try {
      file = await open(job.filePath, 'r');
    } catch (error) {
      // Any other error (permissions, a shared volume away) may pass: the import resumes after its lease.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      log.error({ path: job.filePath }, 'import failed: its spool file is gone');
      await failImport(pool, {
        importId: job.id,
        owner,
        error: 'the uploaded file is gone from the spool directory; upload it again',
      });
      return;
    }

    log.info(
      {
        totalRows: job.totalRows,
        resumeAfterRow: job.lastRow > 1 ? job.lastRow : undefined,
        failedAttempts: job.attempts.failed > 0 ? job.attempts.failed : undefined,
      },
      job.lastRow > 1 ? 'import resumed' : 'import started',
    );
    const lost = new AbortController();
    const halt = AbortSignal.any([stopSignal, lost.signal]);
    const heartbeat = setInterval(() => {
      renewLease(pool, { importId: job.id, owner, leaseMs }).then(
        (held) => {
          if (!held) lost.abort(new LeaseLost());
        },
        (error: unknown) => log.warn({ err: error }, 'renewing the import lease failed'),
      );
    }, leaseMs / 3);
    heartbeat.unref();

    try {
      // Once one capture gives up, the others in flight stop retrying too.
      const gaveUp = new AbortController();
      const capture = createCsvRowCapture({
        job,
        columns: resolved.columns,
        capturer,
        attempts: rowAttempts,
        retryDelayMs: retryDelay,
        halt: AbortSignal.any([halt, gaveUp.signal]),
        log,
      });
      const rows = rowRunner({ job, capture, halt, lost, gaveUp, log });
      const outcome = await readRows({
        job,
        file,
        halt,
        run: rows,
        stepAside: () => timeToStepAside(job, claimedAt),
      });
      await rows.settle();
      if (lost.signal.aborted) {
        log.warn('import taken over by another processor; stopped here');
        return;
      }
      if (outcome.kind === 'gave-up') {
        await giveUp({ job, reason: outcome.reason, save: () => rows.flushUntilSaved(undefined), log });
        return;
      }
      const complete = outcome.kind === 'read' && rows.contiguous() === outcome.lastRow;
      const saved = await rows.flushUntilSaved(complete ? 'completed' : 'release');
      if (!saved) return;
      if (complete) {
        log.info(rows.summary(), 'import completed');
        await unlink(job.filePath).catch((error: unknown) =>
          log.warn({ err: error, path: job.filePath }, 'removing the spool file failed'),
        );
      } else if (outcome.kind === 'yielded') {
        log.info(rows.summary(), "import paused for another tenant's import; it goes on at the next free place");
      } else {
        log.info(rows.summary(), 'import paused; it resumes at the next start');
      }
    } finally {
      clearInterval(heartbeat);
      await file.close().catch(() => undefined);
    }
  }

  /** Saves what was captured, counts the failed run and gives the import back, or fails it at the limit. */
  async function giveUp(context: {
    job: ImportRecord;
    reason: string;
    save: () => Promise<boolean>;
    log: Logger;
  }): Promise<void> {
    const { job, reason, log } = context;
    if (!(await context.save())) return;
    try {
      const recorded = await recordFailedAttempt(pool, {
        importId: job.id,
        owner,
        error: reason,
        maxAttempts,
        retryDelayMs: attemptDelay,
      });
      if (recorded?.status === 'failed') {
        log.error({ reason, attempts: recorded.failedAttempts }, 'import failed: every attempt failed');
      } else if (recorded !== undefined) {
        log.warn(
          { reason, attempt: recorded.failedAttempts, of: maxAttempts },
          'import run gave up; the import is tried again later',
        );
      }
    } catch (error) {
      // Its lease runs out and the import is claimed again; this attempt goes uncounted.
      log.error({ err: error, reason }, 'recording a failed import run failed');
    }
  }

  type RowRunner = ReturnType<typeof rowRunner>;

  function rowRunner(context: {
    job: ImportRecord;
    capture: (rows: readonly CsvRow[]) => Promise<RowOutcome[]>;
    halt: AbortSignal;
    lost: AbortController;
    gaveUp: AbortController;
    log: Logger;
  }) {
    const { job, capture, halt, lost, gaveUp, log } = context;
    const inFlight = new Set<Promise<void>>();
    const completedAhead = new Map<number, RowOutcome>();
    let contiguous = job.lastRow;
    let pending = { delta: zeroCounts(), rejections: [] as CheckpointRejection[] };
    let lastCheckpointAt = Date.now();
    let lastLogAt = Date.now();
    const startedAt = Date.now();
    const totals = zeroCounts();
    let fatal: Error | undefined;

    function record(rowNumber: number, outcome: RowOutcome): void {
      completedAhead.set(rowNumber, outcome);
      for (
        let next = completedAhead.get(contiguous + 1);
        next !== undefined;
        next = completedAhead.get(contiguous + 1)
      ) {
        completedAhead.delete(contiguous + 1);
        contiguous += 1;
        pending.delta.processed += 1;
        pending.delta[next.status] += 1;
        if (next.status === 'rejected') {
          pending.rejections.push({ rowNumber: contiguous, errors: next.errors, raw: next.raw });
        }
      }
    }

    function launch(rows: readonly CsvRow[]): void {
      const task = capture(rows).then(
        (outcomes) => outcomes.forEach((outcome, index) => record((rows[index] as CsvRow).rowNumber, outcome)),
        (error: unknown) => {
          if (halt.aborted) return;
          fatal ??= error instanceof Error ? error : new Error(String(error));
          gaveUp.abort();
        },
      );
      const tracked = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }

    /** Waits until rows from `rowNumber` on may start: a free slot, and not too far ahead of the oldest unfinished row. */
    async function slot(rowNumber: number): Promise<void> {
      while (inFlight.size > 0 && (inFlight.size >= concurrency || rowNumber - contiguous > maxWindow)) {
        await Promise.race(inFlight);
      }
    }

    async function checkpoint(finish: 'completed' | 'release' | undefined): Promise<boolean> {
      const saving = { lastRow: contiguous, ...pending };
      pending = { delta: zeroCounts(), rejections: [] };
      try {
        const held = await checkpointImport(pool, {
          importId: job.id,
          owner,
          leaseMs,
          lastRow: saving.lastRow,
          delta: saving.delta,
          rejections: saving.rejections,
          ...(finish === undefined ? {} : { finish }),
        });
        if (!held) {
          lost.abort(new LeaseLost());
          throw new LeaseLost();
        }
        for (const key of Object.keys(totals) as Array<keyof ImportCounts>) totals[key] += saving.delta[key];
        lastCheckpointAt = Date.now();
        return true;
      } catch (error) {
        // Put the unsaved rows back in front of the ones that completed meanwhile.
        for (const key of Object.keys(pending.delta) as Array<keyof ImportCounts>) {
          pending.delta[key] += saving.delta[key];
        }
        pending.rejections = [...saving.rejections, ...pending.rejections];
        throw error;
      }
    }

    function progressLine() {
      const seconds = (Date.now() - startedAt) / 1000;
      const processed = job.counts.processed + totals.processed;
      return {
        processed,
        total: job.totalRows,
        accepted: job.counts.accepted + totals.accepted,
        merged: job.counts.merged + totals.merged,
        duplicate: job.counts.duplicate + totals.duplicate,
        rejected: job.counts.rejected + totals.rejected,
        rowsPerSecond: seconds > 0 ? Math.round(totals.processed / seconds) : 0,
      };
    }

    return {
      launch,
      slot,
      contiguous: () => contiguous,
      fatal: () => fatal,
      summary: progressLine,
      /**
       * Saves progress when enough rows or time have passed; true when it saved. A failure only
       * logs, the rows stay pending.
       */
      async maybeCheckpoint(): Promise<boolean> {
        const rows = pending.delta.processed;
        if (rows === 0 || (rows < checkpointRows && Date.now() - lastCheckpointAt < checkpointMs)) return false;
        let saved = false;
        try {
          saved = await checkpoint(undefined);
        } catch (error) {
          if (error instanceof LeaseLost) return false;
          log.warn({ err: error }, 'saving import progress failed; retrying at the next checkpoint');
        }
        if (Date.now() - lastLogAt >= logIntervalMs) {
          lastLogAt = Date.now();
          log.info(progressLine(), 'import progress');
        }
        return saved;
      },
      /** Waits for the rows in flight; those halted mid-retry are left for the resume. */
      async settle(): Promise<void> {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      },
      /**
       * The last save, retried while the database is away. False when the lease was lost or the
       * processor stopped first: the import then resumes from its previous checkpoint elsewhere.
       * A save the database refuses for another reason fails the import rather than hold its place.
       */
      async flushUntilSaved(finish: 'completed' | 'release' | undefined): Promise<boolean> {
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await checkpoint(finish);
          } catch (error) {
            if (error instanceof LeaseLost) return false;
            log.warn({ err: error, attempt }, 'saving import progress failed; retrying');
            if (captureErrorKind(error) !== 'transient' && attempt >= 3) {
              const reason = `its progress could not be saved: ${describeCaptureError(error)}`;
              await failImport(pool, { importId: job.id, owner, error: reason }).catch(() => undefined);
              log.error({ err: error }, 'import failed: its progress could not be saved');
              return false;
            }
            if (halt.aborted && attempt >= 3) return false;
            await sleep(Math.min(retryDelay.max, retryDelay.initial * 2 ** attempt));
          }
        }
      },
    };
  }

  /** Streams the file's records into the runner a chunk at a time; the parser is read only as fast as chunks find a slot. */
  async function readRows(context: {
    job: ImportRecord;
    file: FileHandle;
    halt: AbortSignal;
    run: RowRunner;
    stepAside: () => Promise<boolean>;
  }): Promise<ReadOutcome> {
    const { job, file, halt, run } = context;
    const parser = createCsvParser({ delimiter: job.delimiter });
    const input = file.createReadStream({ autoClose: false });
    input.on('error', (error) => parser.destroy(error));
    input.pipe(parser);
    let rowNumber = 0;
    let chunk: CsvRow[] = [];

    async function launchChunk(): Promise<ReadOutcome | undefined> {
      await run.slot((chunk[0] as CsvRow).rowNumber);
      const fatal = run.fatal();
      if (fatal !== undefined) return { kind: 'gave-up', reason: fatal.message };
      if (halt.aborted) return { kind: 'halted' };
      run.launch(chunk);
      chunk = [];
      // Stepping aside is considered at saved progress only, so the next holder resumes close to here.
      if ((await run.maybeCheckpoint()) && (await context.stepAside())) return { kind: 'yielded' };
      return undefined;
    }

    try {
      for await (const cells of parser as AsyncIterable<string[]>) {
        rowNumber += 1;
        // Row 1 is the header; rows up to the checkpoint were counted before a restart.
        if (rowNumber === 1 || rowNumber <= job.lastRow) continue;
        chunk.push({ rowNumber, cells });
        if (chunk.length < chunkRows) continue;
        const stop = await launchChunk();
        if (stop !== undefined) return stop;
      }
    } catch (error) {
      return { kind: 'gave-up', reason: `the file cannot be read after row ${rowNumber}: ${(error as Error).message}` };
    } finally {
      input.unpipe(parser);
      input.destroy();
    }
    if (chunk.length > 0) {
      const stop = await launchChunk();
      if (stop !== undefined) return stop;
    }
    await run.settle();
    const fatal = run.fatal();
    if (fatal !== undefined) return { kind: 'gave-up', reason: fatal.message };
    return halt.aborted ? { kind: 'halted' } : { kind: 'read', lastRow: Math.max(rowNumber, 1) };
  }

  return {
    start() {
      if (loop !== undefined) return;
      controller = new AbortController();
      loop = run(controller.signal);
    },
    async stop() {
      controller?.abort();
      await loop;
      loop = undefined;
      controller = undefined;
    },
  };
}
