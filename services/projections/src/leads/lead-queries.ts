import type pg from 'pg';
import { csvLine } from '../csv.ts';
import { decodeLeadCursor, encodeLeadCursor } from './lead-cursor.ts';
import type { LeadCursor } from './lead-cursor.ts';
import { leadFilterCondition } from './lead-filters.ts';
import type { LeadFilters } from './lead-filters.ts';
import { leadColumns, leadCsvHeader, leadCsvValues, toLeadView } from './lead-view.ts';
import type { LeadRow, LeadView } from './lead-view.ts';

/** One lead of the tenant, or `undefined`; another tenant's lead is as absent as a missing one. */
export async function readLead(options: {
  pool: pg.Pool;
  tenantId: string;
  leadId: string;
}): Promise<LeadView | undefined> {
  const result = await options.pool.query<LeadRow>(
    `SELECT ${leadColumns} FROM leads WHERE tenant_id = $1 AND lead_id = $2`,
    [options.tenantId, options.leadId],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : toLeadView(row);
}

export type LeadPage = { items: LeadView[]; nextCursor: string | null };

/**
 * A page of the tenant's leads that match `filters`, newest capture first, after `after` (keyset
 * pagination on capture time and id, so a page never repeats or skips a lead as new ones arrive).
 */
export async function readLeadPage(options: {
  pool: pg.Pool;
  tenantId: string;
  filters: LeadFilters;
  after?: LeadCursor;
  limit: number;
}): Promise<LeadPage> {
  const { where, values } = leadFilterCondition({ tenantId: options.tenantId, filters: options.filters });
  let keyset = '';
  if (options.after !== undefined) {
    values.push(options.after.capturedAt, options.after.leadId);
    keyset = ` AND (captured_at, lead_id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`;
  }
  values.push(options.limit + 1);
  const result = await options.pool.query<LeadRow & { cursor_at: string }>(
    `SELECT ${leadColumns},
       to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
     FROM leads WHERE ${where}${keyset}
     ORDER BY captured_at DESC, lead_id DESC LIMIT $${values.length}`,
    values,
  );
  const rows = result.rows.slice(0, options.limit);
  const last = rows.at(-1);
  const more = result.rows.length > options.limit && last !== undefined;
  return {
    items: rows.map(toLeadView),
    nextCursor: more ? encodeLeadCursor({ capturedAt: last.cursor_at, leadId: last.lead_id }) : null,
  };
}

/** Every lead matching `filters` as CSV lines, header first, read a page at a time so memory stays flat. */
export async function* leadCsvLines(options: {
  pool: pg.Pool;
  tenantId: string;
  filters: LeadFilters;
  pageSize?: number;
}): AsyncGenerator<string> {
  yield csvLine(leadCsvHeader);
  let after: LeadCursor | undefined;
  for (;;) {
    const page = await readLeadPage({ ...options, after, limit: options.pageSize ?? 1000 });
    for (const view of page.items) yield csvLine(leadCsvValues(view));
    after = page.nextCursor === null ? undefined : decodeLeadCursor(page.nextCursor);
    if (after === undefined) return;
  }
}
