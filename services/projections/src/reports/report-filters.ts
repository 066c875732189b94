import { z } from 'zod';
import { leadChannels, storableString } from '@l2o/contracts';
import { csvLine } from '../csv.ts';
import type { CsvValue } from '../csv.ts';

/** An ISO 8601 date-time with offset, or a date (midnight UTC). */
export const reportInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date().transform((date) => `${date}T00:00:00Z`)])
  .describe('An ISO 8601 date-time with offset, or a date (midnight UTC).');

/** The filters the analytic reports share: a period, channel, campaign and team; all optional, combined with AND. */
export const reportFiltersSchema = z.object({
  from: reportInstant.optional().describe('Start of the period, inclusive.'),
  to: reportInstant.optional().describe('End of the period, exclusive (a date means before that day).'),
  channel: z.enum(leadChannels).optional().describe('Channel of the lead’s first touch.'),
  campaign: storableString().min(1).max(200).optional().describe('Campaign of the lead’s first touch.'),
  team: storableString().min(1).max(64).optional().describe('The pool (team) the lead was routed to.'),
  format: z.enum(['json', 'csv']).optional().describe('csv answers the rows as CSV (as does Accept: text/csv).'),
});
export type ReportFilters = z.output<typeof reportFiltersSchema>;

/**
 * A `groupBy` parameter: up to `max` of `names`, comma-separated, duplicates dropped; empty for none.
 */
export function groupBySchema<const Name extends string>(names: readonly [Name, ...Name[]], max: number) {
  return z
    .string()
    .default('')
    .transform((text) => [...new Set(text.split(',').map((part) => part.trim()))].filter((part) => part !== ''))
    .pipe(z.array(z.enum(names)).max(max))
    .describe(`Up to ${max} of ${names.join(', ')}, comma-separated; days, weeks (from Monday) and months in UTC.`);
}

/** Whether the caller asked for CSV: `format=csv`, or no format and `Accept: text/csv`. */
export function wantsCsv(options: { accept: string | undefined; format: ReportFilters['format'] }): boolean {
  return options.format === 'csv' || (options.format === undefined && (options.accept ?? '').includes('text/csv'));
}

/** A report's rows as a CSV download named `filename`, header line first: `reply.headers(headers).send(body)`. */
export function csvDownload(options: {
  filename: string;
  header: readonly string[];
  rows: readonly (readonly CsvValue[])[];
}): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${options.filename}"`,
    },
    body: [options.header, ...options.rows].map(csvLine).join(''),
  };
}

/** Collects numbered SQL parameters: `add(value)` returns its placeholder (`$3`). */
export function sqlParameters(first: readonly unknown[] = []): { values: unknown[]; add: (value: unknown) => string } {
  const values = [...first];
  return {
    values,
    add: (value) => {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/** The SQL expression of a UTC period bucket of timestamp column `column`. */
export function periodBucket(period: 'day' | 'week' | 'month', column: string): string {
  const utc = `(${column} AT TIME ZONE 'UTC')`;
  if (period === 'day') return `to_char(${utc}, 'YYYY-MM-DD')`;
  if (period === 'week') return `to_char(date_trunc('week', ${utc}), 'YYYY-MM-DD')`;
  return `to_char(${utc}, 'YYYY-MM')`;
}
