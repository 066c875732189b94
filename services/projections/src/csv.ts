/** A CSV cell value; null and undefined are empty cells. */
export type CsvValue = string | number | boolean | null | undefined;

// A spreadsheet runs a cell that starts like a formula; phone numbers (+44…) are the one such text we expect.
const formulaStart = /^[=+\-@\t\r]/;
const phoneNumber = /^\+[0-9 ().-]+$/;

/** One RFC 4180 line (CRLF-terminated), text that a spreadsheet would run as a formula quoted with a leading '. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = formulaStart.test(value) && !phoneNumber.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
