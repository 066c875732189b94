import type pg from 'pg';
import { withTransaction } from '@l2o/pg';
import { storableText } from './csv-row-mapping.ts';
import type { ColumnMapping, ImportDefaults } from './csv-row-mapping.ts';

export type ImportStatus = 'received' | 'processing' | 'completed' | 'failed';

export type ImportCounts = {
  processed: number;
  accepted: number;
  merged: number;
  duplicate: number;
  rejected: number;
};

/** An `imports` row as the API and the processor read it. */
export type ImportRecord = {
  id: string;
  tenantId: string;
  status: ImportStatus;
  filePath: string;
  fileName: string | null;
  fileBytes: number;
  fileSha256: string;
  delimiter: string;
  columns: string[];
  mapping: ColumnMapping;
  defaults: ImportDefaults;
  totalRows: number | null;
  counts: ImportCounts;
  /** The last row (the header is row 1) up to which every row is processed and counted. */
  lastRow: number;
  /** Runs in a row that failed for a reason outside the file; `max` is the limit of the processor that ran it last. */
  attempts: { failed: number; max: number | null; lastError: string | null; retryAt: Date | null };
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
};

type ImportRow = {
  id: string;
  tenant_id: string;
  status: ImportStatus;
  file_path: string;
  file_name: string | null;
  file_bytes: number;
  file_sha256: string;
  delimiter: string;
  columns: string[];
  mapping: ColumnMapping;
  defaults: ImportDefaults;
  total_rows: number | null;
  processed_rows: number;
  accepted_rows: number;
  merged_rows: number;
  duplicate_rows: number;
  rejected_rows: number;
  last_row: number;
  failed_attempts: number;
  max_attempts: number | null;
  last_error: string | null;
  retry_at: Date | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
};

const importColumns = `id, tenant_id, status, file_path, file_name, file_bytes, file_sha256, delimiter, columns,
  mapping, defaults, total_rows, processed_rows, accepted_rows, merged_rows, duplicate_rows, rejected_rows,
  last_row, failed_attempts, max_attempts, last_error, retry_at, created_at, started_at, finished_at, error`;

function toRecord(row: ImportRow): ImportRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status,
    filePath: row.file_path,
    fileName: row.file_name,
    fileBytes: row.file_bytes,
    fileSha256: row.file_sha256,
    delimiter: row.delimiter,
    columns: row.columns,
    mapping: row.mapping,
    defaults: row.defaults,
    totalRows: row.total_rows,
    counts: {
      processed: row.processed_rows,
      accepted: row.accepted_rows,
      merged: row.merged_rows,
      duplicate: row.duplicate_rows,
      rejected: row.rejected_rows,
    },
    lastRow: row.last_row,
    attempts: {
      failed: row.failed_attempts,
      max: row.max_attempts,
      lastError: row.last_error,
      retryAt: row.retry_at,
    },
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

export async function insertImport(
  pool: pg.Pool,
  record: Pick<
    ImportRecord,
    | 'id'
    | 'tenantId'
    | 'filePath'
    | 'fileName'
    | 'fileBytes'
    | 'fileSha256'
    | 'delimiter'
    | 'columns'
    | 'mapping'
    | 'defaults'
    | 'totalRows'
  >,
): Promise<ImportRecord> {
  const result = await pool.query<ImportRow>(
    `INSERT INTO imports (id, tenant_id, status, file_path, file_name, file_bytes, file_sha256, delimiter, columns,
       mapping, defaults, total_rows)
     VALUES ($1, $2, 'received', $3, $4, $5, $6, $7, $8, $9, $10, $11)
     RETURNING ${importColumns}`,
    [
      record.id,
      record.tenantId,
      record.filePath,
      record.fileName,
      record.fileBytes,
      record.fileSha256,
      record.delimiter,
      record.columns,
      JSON.stringify(record.mapping),
      JSON.stringify(record.defaults),
      record.totalRows,
    ],
  );
  return toRecord(result.rows[0] as ImportRow);
}

/** The tenant's import, or undefined for an unknown id or another tenant's import. */
export async function findImport(
  pool: pg.Pool,
  options: { tenantId: string; importId: string },
): Promise<ImportRecord | undefined> {
  const result = await pool.query<ImportRow>(`SELECT ${importColumns} FROM imports WHERE id = $1 AND tenant_id = $2`, [
    options.importId,
    options.tenantId,
  ]);
  const row = result.rows[0];
  return row === undefined ? undefined : toRecord(row);
}

export type Rejection = { rowNumber: number; field: string; reason: string; raw: Record<string, string> };

/** One page of an import's rejections in row order, after the given (row, error) position. */
export async function rejectionsAfter(
  pool: pg.Pool,
  options: { importId: string; after: { rowNumber: number; errorIndex: number }; limit: number },
): Promise<Array<Rejection & { errorIndex: number }>> {
  const result = await pool.query<{
    row_number: number;
    error_index: number;
    field: string;
    reason: string;
    raw: Record<string, string>;
  }>(
    `SELECT row_number, error_index, field, reason, raw FROM import_rejections
     WHERE import_id = $1 AND (row_number, error_index) > ($2, $3)
     ORDER BY row_number, error_index LIMIT $4`,
    [options.importId, options.after.rowNumber, options.after.errorIndex, options.limit],
  );
  return result.rows.map((row) => ({
    rowNumber: row.row_number,
    errorIndex: row.error_index,
    field: row.field,
    reason: row.reason,
    raw: row.raw,
  }));
}

/**
 * `alias` is an import a processor may claim now: unfinished, its lease free or run out, its retry
 * due. The claim and the step-aside check share it, so an import never steps aside for one that
 * cannot be claimed.
 */
const claimableNow = (alias: string) =>
  `${alias}.status IN ('received', 'processing')
   AND (${alias}.lease_expires_at IS NULL OR ${alias}.lease_expires_at < now())
   AND (${alias}.retry_at IS NULL OR ${alias}.retry_at <= now())`;
/** `leased` is an import of `alias`'s tenant that a processor holds now. */
const leasedForTenantOf = (alias: string) =>
  `leased.tenant_id = ${alias}.tenant_id AND leased.status = 'processing' AND leased.lease_expires_at >= now()`;

/**
 * Leases an unfinished import whose lease is free or expired, and whose retry is due, to `owner`.
 * Fair across tenants: an import of the tenant with the fewest imports leased now comes first, then
 * of the tenant served least recently (the latest claim of any of its imports), then the oldest.
 * SKIP LOCKED lets replicas claim side by side without waiting on each other; the lease keeps one
 * owner at a time.
 */
export async function claimImport(
  pool: pg.Pool,
  options: { owner: string; leaseMs: number; maxAttempts: number },
): Promise<ImportRecord | undefined> {
  const result = await pool.query<ImportRow>(
    `UPDATE imports SET status = 'processing', lease_owner = $1,
       lease_expires_at = now() + make_interval(secs => $2::float8 / 1000),
       started_at = coalesce(started_at, now()), claimed_at = clock_timestamp(), attempts = attempts + 1,
       max_attempts = $3
     WHERE id = (
       SELECT candidate.id FROM imports candidate
       WHERE ${claimableNow('candidate')}
       ORDER BY
         (SELECT count(*) FROM imports leased WHERE ${leasedForTenantOf('candidate')}),
         (SELECT max(served.claimed_at) FROM imports served WHERE served.tenant_id = candidate.tenant_id) NULLS FIRST,
         candidate.created_at
       LIMIT 1
       FOR UPDATE OF candidate SKIP LOCKED
     )
     RETURNING ${importColumns}`,
    [options.owner, options.leaseMs, options.maxAttempts],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : toRecord(row);
}

/**
 * Whether an import of another tenant than `tenantId` is ready to run while its tenant has none
 * leased: a processor whose slots are all taken then lets one of its imports go.
 */
export async function anotherTenantWaits(pool: pg.Pool, options: { tenantId: string }): Promise<boolean> {
  const result = await pool.query<{ waits: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM imports waiting
       WHERE waiting.tenant_id <> $1 AND ${claimableNow('waiting')}
         AND NOT EXISTS (SELECT 1 FROM imports leased WHERE ${leasedForTenantOf('waiting')})
     ) AS waits`,
    [options.tenantId],
  );
  return result.rows[0]?.waits === true;
}

/** Extends the lease; false when another owner took the import over (this one must stop). */
export async function renewLease(
  pool: pg.Pool,
  options: { importId: string; owner: string; leaseMs: number },
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE imports SET lease_expires_at = now() + make_interval(secs => $3::float8 / 1000)
     WHERE id = $1 AND lease_owner = $2 AND status = 'processing'`,
    [options.importId, options.owner, options.leaseMs],
  );
  return result.rowCount === 1;
}

export type CheckpointRejection = {
  rowNumber: number;
  errors: Array<{ field: string; reason: string }>;
  raw: Record<string, string>;
};

/**
 * Adds the counts of rows processed since the last checkpoint, their rejections and the new last
 * row in one transaction, so a resume never counts a row twice nor loses one's rejection. `finish`
 * also completes the import and releases it; `release` only gives the lease back.
 * False when the lease was lost: nothing is written.
 */
export async function checkpointImport(
  pool: pg.Pool,
  options: {
    importId: string;
    owner: string;
    leaseMs: number;
    lastRow: number;
    delta: ImportCounts;
    rejections: CheckpointRejection[];
    finish?: 'completed' | 'release';
  },
): Promise<boolean> {
  // An import whose lease passed to another processor updates nothing and writes no rejections.
  return withTransaction(pool, async (client) => {
    const { delta } = options;
    const updated = await client.query(
      `UPDATE imports SET
         processed_rows = processed_rows + $4, accepted_rows = accepted_rows + $5, merged_rows = merged_rows + $6,
         duplicate_rows = duplicate_rows + $7, rejected_rows = rejected_rows + $8, last_row = $3,
         failed_attempts = CASE WHEN $3 > last_row THEN 0 ELSE failed_attempts END,
         status = CASE WHEN $9 = 'completed' THEN 'completed' ELSE status END,
         finished_at = CASE WHEN $9 = 'completed' THEN now() ELSE finished_at END,
         total_rows = CASE WHEN $9 = 'completed' THEN processed_rows + $4 ELSE total_rows END,
         lease_owner = CASE WHEN $9 IS NULL THEN lease_owner END,
         lease_expires_at = CASE WHEN $9 IS NULL THEN now() + make_interval(secs => $10::float8 / 1000) END
       WHERE id = $1 AND lease_owner = $2 AND status = 'processing'`,
      [
        options.importId,
        options.owner,
        options.lastRow,
        delta.processed,
        delta.accepted,
        delta.merged,
        delta.duplicate,
        delta.rejected,
        options.finish ?? null,
        options.leaseMs,
      ],
    );
    if (updated.rowCount !== 1) return false;
    const lines = options.rejections.flatMap((rejection) =>
      rejection.errors.map((error, errorIndex) => ({
        row_number: rejection.rowNumber,
        error_index: errorIndex,
        field: storableText(error.field),
        reason: storableText(error.reason),
        raw: rejection.raw,
      })),
    );
    if (lines.length > 0) {
      // A row re-run after a crash writes the same lines again: the key makes that a no-op.
      await client.query(
        `INSERT INTO import_rejections (import_id, row_number, error_index, field, reason, raw)
         SELECT $1, row_number, error_index, field, reason, raw
         FROM jsonb_to_recordset($2::jsonb) AS r(row_number int, error_index smallint, field text, reason text, raw jsonb)
         ON CONFLICT DO NOTHING`,
        [options.importId, JSON.stringify(lines)],
      );
    }
    return true;
  });
}

/** Ends an import that cannot go on (its file is gone, its columns no longer resolve), keeping what was counted. */
export async function failImport(
  pool: pg.Pool,
  options: { importId: string; owner: string; error: string },
): Promise<void> {
  await pool.query(
    `UPDATE imports SET status = 'failed', error = $3, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
     WHERE id = $1 AND lease_owner = $2`,
    [options.importId, options.owner, storableText(options.error)],
  );
}

/**
 * Counts a run of the import that failed for a reason outside the file (the database or the store
 * away) and gives the import back: it is claimed again after a delay that doubles with each failed
 * run in a row, and fails for good at `maxAttempts`. Its progress must be saved first (a
 * checkpoint that gains rows starts the count over). Undefined when the lease was lost.
 */
export async function recordFailedAttempt(
  pool: pg.Pool,
  options: {
    importId: string;
    owner: string;
    error: string;
    maxAttempts: number;
    retryDelayMs: { initial: number; max: number };
  },
): Promise<{ status: 'processing' | 'failed'; failedAttempts: number } | undefined> {
  const result = await pool.query<{ status: 'processing' | 'failed'; failed_attempts: number }>(
    `UPDATE imports SET
       failed_attempts = failed_attempts + 1, max_attempts = $4, last_error = $3,
       retry_at = now() + make_interval(secs => least($6::float8, $5::float8 * 2 ^ failed_attempts) / 1000),
       status = CASE WHEN failed_attempts + 1 >= $4 THEN 'failed' ELSE status END,
       finished_at = CASE WHEN failed_attempts + 1 >= $4 THEN now() ELSE finished_at END,
       error = CASE WHEN failed_attempts + 1 >= $4
         THEN 'stopped after ' || (failed_attempts + 1) || ' attempts in a row failed for a reason outside the file '
           || '(the last: ' || $3 || '); the rows counted are captured: upload the file again once the cause is '
           || 'fixed, and its captured rows come back as duplicates'
         ELSE error END,
       lease_owner = NULL, lease_expires_at = NULL
     WHERE id = $1 AND lease_owner = $2 AND status = 'processing'
     RETURNING status, failed_attempts`,
    [
      options.importId,
      options.owner,
      storableText(options.error),
      options.maxAttempts,
      options.retryDelayMs.initial,
      options.retryDelayMs.max,
    ],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : { status: row.status, failedAttempts: row.failed_attempts };
}
