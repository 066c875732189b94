import { parse } from 'csv-parse';
import type { Parser } from 'csv-parse';
import { storableString } from '@l2o/contracts';

/** Longest record accepted, in characters: a quote left open would otherwise swallow the whole file into memory. */
export const maxRecordChars = 1_000_000;

/**
 * The cell delimiter of an upload: one character that is neither a quote nor a line break (either
 * would split the file differently from what the writer meant), nor a NUL or a lone surrogate (which
 * could not be stored with the import). Checked with the query, before the upload is read.
 */
export const csvDelimiterSchema = storableString()
  .length(1, 'must be exactly one character (%09 for tab)')
  .refine((value) => !['"', '\r', '\n'].includes(value), 'cannot be a quote or a line break');

/**
 * The one CSV reading of an upload, at spooling and at processing, so both count the same rows:
 * a UTF-8 byte order mark dropped, blank lines skipped, records returned as arrays of cells.
 */
export function createCsvParser(options: { delimiter: string }): Parser {
  return parse({
    delimiter: options.delimiter,
    bom: true,
    relax_column_count: true,
    // Spreadsheet exports mix line endings now and then; csv-parse would otherwise keep the first it sees.
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    max_record_size: maxRecordChars,
  });
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line (RFC 4180 quoting, CRLF-terminated). */
export function csvLine(cells: readonly (string | number)[]): string {
  return `${cells.map((cell) => csvCell(String(cell))).join(',')}\r\n`;
}
