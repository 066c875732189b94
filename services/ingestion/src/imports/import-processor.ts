import { randomUUID } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '@l2o/service-kit';
import type { LeadCapturer } from '../capture/lead-capturer.ts';
import type { FieldError } from '../normalize/index.ts';
import { createCsvParser } from './csv-format.ts';
import { captureIdFor, rawRow, resolveColumns, rowToSubmission } from './csv-row-mapping.ts';
import type { MappedColumn } from './csv-row-mapping.ts';
import { checkpointImport, claimImport, failImport, renewLease } from './imports.repository.ts';
import type { CheckpointRejection, ImportCounts, ImportRecord } from './imports.repository.ts';

export type ImportProcessorOptions = {
  pool: pg.Pool;
  capturer: LeadCapturer;
  logger: Logger;
  /** Rows captured at once within an import. Default 8. */
  concurrency?: number;
  /** How often an idle processor looks for an import. Default 1000. */
  pollIntervalMs?: number;
  /** How long an import stays with this processor without a heartbeat; a crashed replica's import is resumed after it. Default 30 000. */
  leaseMs?: number;
  /** Progress is saved after this many rows… Default 500. */
  checkpointRows?: number;
  /** …or this long, whichever comes first. Default 1000. */
  checkpointMs?: number;
  /** Backoff between retries of a row whose capture failed with an infrastructure error. Default 100 → 10 000. */
  retryDelayMs?: { initial: number; max: number };
  /** Progress log interval. Default 5000. */
  logIntervalMs?: number;
  /** This processor's name in the lease; unique per replica. Default: random. */
  owner?: string;
};

export type ImportProcessor = {
  /** Starts looking for received or interrupted imports and processing them one at a time. */
  start: () => void;
  /** Stops reading, lets rows in flight finish, saves progress and gives the import back for a later resume. */
  stop: () => Promise<void>;
};

type RowOutcome = { status: 'accepted' | 'merged' | 'duplicate' } | { status: 'rejected'; errors: FieldError[] };

const zeroCounts = (): ImportCounts => ({ processed: 0, accepted: 0, merged: 0, duplicate: 0, rejected: 0 });

class LeaseLost extends Error {
  constructor() {
    super('the import was taken over by another processor');
    this.name = 'LeaseLost';
  }
}

/**
 * Processes uploaded imports in the background: claims one at a time under a lease (so replicas
 * never process one import together and a crashed replica's import is resumed), streams its spool
 * file through the CSV parser with bounded concurrency, captures each row under a capture id
 * derived from its content, and checkpoints counts, rejections and the last contiguous row.
 */
export function createImportProcessor(options: ImportProcessorOptions): ImportProcessor {
  const { pool, capturer, logger } = options;
  const concurrency = options.concurrency ?? 8;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  const checkpointRows = options.checkpointRows ?? 500;
  const checkpointMs = options.checkpointMs ?? 1000;
  const retryDelay = options.retryDelayMs ?? { initial: 100, max: 10_000 };
  const logIntervalMs = options.logIntervalMs ?? 5000;
  const owner = options.owner ?? `importer-${randomUUID()}`;
  // Completed rows waiting behind a slow one are held in memory; this bounds how many.
  const maxWindow = Math.max(checkpointRows * 4, concurrency * 4);

  let controller: AbortController | undefined;
  let loop: Promise<void> | undefined;

  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let job: ImportRecord | undefined;
      try {
        job = await claimImport(pool, { owner, leaseMs });
      } catch (error) {
        logger.error({ err: error }, 'looking for imports failed');
      }
      if (job !== undefined) {
        await processImport(job, signal).catch((error: unknown) =>
          logger.error({ err: error, importId: job.id }, 'import processing failed; it resumes after its lease'),
        );
        continue;
      }
      await sleep(pollIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  async function processImport(job: ImportRecord, stopSignal: AbortSignal): Promise<void> {
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
      { totalRows: job.totalRows, resumeAfterRow: job.lastRow > 1 ? job.lastRow : undefined },
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
      const rows = rowRunner({ job, columns: resolved.columns, halt, lost, log });
      const outcome = await readRows({ job, file, halt, run: rows });
      await rows.settle();
      if (lost.signal.aborted) {
        log.warn('import taken over by another processor; stopped here');
        return;
      }
      if (outcome.kind === 'failed') {
        await rows.flushUntilSaved(undefined);
        await failImport(pool, { importId: job.id, owner, error: outcome.reason });
        log.error({ reason: outcome.reason }, 'import failed');
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
      } else {
        log.info(rows.summary(), 'import paused; it resumes at the next start');
      }
    } finally {
      clearInterval(heartbeat);
      await file.close().catch(() => undefined);
    }
  }

  type RowRunner = ReturnType<typeof rowRunner>;

  function rowRunner(context: {
    job: ImportRecord;
    columns: MappedColumn[];
    halt: AbortSignal;
    lost: AbortController;
    log: Logger;
  }) {
    const { job, columns, halt, lost, log } = context;
    const inFlight = new Set<Promise<void>>();
    const completedAhead = new Map<number, { outcome: RowOutcome; raw?: Record<string, string> }>();
    let contiguous = job.lastRow;
    let pending = { delta: zeroCounts(), rejections: [] as CheckpointRejection[] };
    let lastCheckpointAt = Date.now();
    let lastLogAt = Date.now();
    const startedAt = Date.now();
    const totals = zeroCounts();
    let fatal: Error | undefined;

    function record(rowNumber: number, outcome: RowOutcome, raw: Record<string, string>): void {
      completedAhead.set(rowNumber, outcome.status === 'rejected' ? { outcome, raw } : { outcome });
      for (
        let next = completedAhead.get(contiguous + 1);
        next !== undefined;
        next = completedAhead.get(contiguous + 1)
      ) {
        completedAhead.delete(contiguous + 1);
        contiguous += 1;
        pending.delta.processed += 1;
        pending.delta[next.outcome.status] += 1;
        if (next.outcome.status === 'rejected') {
          const errors =
            next.outcome.errors.length > 0
              ? next.outcome.errors
              : [{ field: 'row', reason: 'rejected without a reason' }];
          pending.rejections.push({ rowNumber: contiguous, errors, raw: next.raw ?? {} });
        }
      }
    }

    async function captureRow(record: readonly string[]): Promise<RowOutcome> {
      const mapped = rowToSubmission({
        record,
        headerLength: job.columns.length,
        columns,
        defaults: job.defaults,
      });
      if (!mapped.ok) return { status: 'rejected', errors: mapped.errors };
      const { submission } = mapped;
      const captureId = captureIdFor({ tenantId: job.tenantId, channel: job.defaults.channel, submission });
      for (let attempt = 1; ; attempt += 1) {
        try {
          const result = await capturer.capture({
            tenantId: job.tenantId,
            submission,
            defaultChannel: job.defaults.channel,
            captureId,
            correlationId: job.id,
          });
          return result.status === 'rejected'
            ? { status: 'rejected', errors: result.errors }
            : { status: result.status };
        } catch (error) {
          if (halt.aborted) throw error;
          // Not the row's fault (the database, the store): retried until it goes through, never rejected.
          if (attempt === 1 || attempt % 10 === 0)
            log.warn({ err: error, attempt }, 'capturing a row failed; retrying');
          const delay = Math.min(retryDelay.max, retryDelay.initial * 2 ** Math.min(attempt - 1, 20));
          await sleep(delay, undefined, { signal: halt });
        }
      }
    }

    function launch(rowNumber: number, cells: string[]): void {
      const task = captureRow(cells).then(
        (outcome) => record(rowNumber, outcome, outcome.status === 'rejected' ? rawRow(job.columns, cells) : {}),
        (error: unknown) => {
          if (!halt.aborted)
            fatal ??= new Error(`row ${rowNumber} could not be processed: ${(error as Error).message}`);
        },
      );
      const tracked = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }

    /** Waits until another row may start: a free slot, and not too far ahead of the oldest unfinished row. */
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
      /** Saves progress when enough rows or time have passed; a failure only logs, the rows stay pending. */
      async maybeCheckpoint(): Promise<void> {
        const rows = pending.delta.processed;
        if (rows === 0 || (rows < checkpointRows && Date.now() - lastCheckpointAt < checkpointMs)) return;
        try {
          await checkpoint(undefined);
        } catch (error) {
          if (error instanceof LeaseLost) return;
          log.warn({ err: error }, 'saving import progress failed; retrying at the next checkpoint');
        }
        if (Date.now() - lastLogAt >= logIntervalMs) {
          lastLogAt = Date.now();
          log.info(progressLine(), 'import progress');
        }
      },
      /** Waits for the rows in flight; those halted mid-retry are left for the resume. */
      async settle(): Promise<void> {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      },
      /**
       * The last save, retried while the database is away. False when the lease was lost or the
       * processor stopped first: the import then resumes from its previous checkpoint elsewhere.
       */
      async flushUntilSaved(finish: 'completed' | 'release' | undefined): Promise<boolean> {
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await checkpoint(finish);
          } catch (error) {
            if (error instanceof LeaseLost) return false;
            log.warn({ err: error, attempt }, 'saving import progress failed; retrying');
            if (halt.aborted && attempt >= 3) return false;
            await sleep(Math.min(retryDelay.max, retryDelay.initial * 2 ** attempt));
          }
        }
      },
    };
  }

  type ReadOutcome = { kind: 'read'; lastRow: number } | { kind: 'halted' } | { kind: 'failed'; reason: string };

  /** Streams the file's records into the runner; the parser is read only as fast as rows find a slot. */
  async function readRows(context: {
    job: ImportRecord;
    file: FileHandle;
    halt: AbortSignal;
    run: RowRunner;
  }): Promise<ReadOutcome> {
    const { job, file, halt, run } = context;
    const parser = createCsvParser({ delimiter: job.delimiter });
    const input = file.createReadStream({ autoClose: false });
    input.on('error', (error) => parser.destroy(error));
    input.pipe(parser);
    let rowNumber = 0;
    try {
      for await (const cells of parser as AsyncIterable<string[]>) {
        rowNumber += 1;
        // Row 1 is the header; rows up to the checkpoint were counted before a restart.
        if (rowNumber === 1 || rowNumber <= job.lastRow) continue;
        await run.slot(rowNumber);
        const fatal = run.fatal();
        if (fatal !== undefined) return { kind: 'failed', reason: fatal.message };
        if (halt.aborted) return { kind: 'halted' };
        run.launch(rowNumber, cells);
        await run.maybeCheckpoint();
      }
    } catch (error) {
      return { kind: 'failed', reason: `the file cannot be read after row ${rowNumber}: ${(error as Error).message}` };
    } finally {
      input.unpipe(parser);
      input.destroy();
    }
    await run.settle();
    const fatal = run.fatal();
    if (fatal !== undefined) return { kind: 'failed', reason: fatal.message };
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
