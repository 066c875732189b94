import { createHash } from 'node:crypto';
import { unstorableTextReason } from '@l2o/contracts';
import type { LeadChannel } from '@l2o/contracts';
import type { Consent, ExternalId, FieldError, LeadSubmission } from '../normalize/index.ts';

type FieldKind = 'text' | 'integer' | 'boolean';

/** Every submission field a CSV column can fill, with how its cell is read; plus `customFields.<name>`. */
export const importFieldPaths = {
  email: 'text',
  phone: 'text',
  firstName: 'text',
  lastName: 'text',
  jobTitle: 'text',
  'company.name': 'text',
  'company.domain': 'text',
  'company.website': 'text',
  'company.industry': 'text',
  'company.size': 'integer',
  'company.country': 'text',
  'consent.marketing': 'boolean',
  'consent.optedOut': 'boolean',
  'touchpoint.channel': 'text',
  'touchpoint.source': 'text',
  'touchpoint.campaign': 'text',
  'touchpoint.medium': 'text',
  'touchpoint.utm.source': 'text',
  'touchpoint.utm.medium': 'text',
  'touchpoint.utm.campaign': 'text',
  'touchpoint.utm.term': 'text',
  'touchpoint.utm.content': 'text',
  'touchpoint.referrer': 'text',
  'touchpoint.occurredAt': 'text',
  'externalId.source': 'text',
  'externalId.id': 'text',
} as const satisfies Record<string, FieldKind>;

const customFieldPrefix = 'customFields.';
const maxCustomFieldName = 64;

/** Column header → submission field path, as the `mapping` parameter gives it. */
export type ColumnMapping = Record<string, string>;

/** A header column that fills a field: its position in each record. */
export type MappedColumn = { index: number; column: string; path: string };

/** Applied to every row that does not give its own value. */
export type ImportDefaults = {
  channel: LeadChannel;
  source?: string;
  campaign?: string;
  externalIdSource?: string;
};

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The canonical spelling of a field path (`Company.Name` → `company.name`), or undefined when it is none. */
export function fieldPathOf(path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed.toLowerCase().startsWith(customFieldPrefix.toLowerCase())) {
    const name = trimmed.slice(customFieldPrefix.length);
    return name.trim() === '' || name.length > maxCustomFieldName ? undefined : `${customFieldPrefix}${name}`;
  }
  const lower = trimmed.toLowerCase();
  return Object.keys(importFieldPaths).find((known) => known.toLowerCase() === lower);
}

/** Reads the `mapping` parameter: a JSON object of column header → field path. */
export function parseColumnMapping(text: string): Outcome<ColumnMapping> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'is not JSON: expected an object of column header → field path' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'must be a JSON object of column header → field path' };
  }
  const mapping: ColumnMapping = {};
  for (const [column, path] of Object.entries(parsed)) {
    if (typeof path !== 'string') return { ok: false, reason: `column "${column}" must map to a field path string` };
    // JSON escapes (\u0000) get past a check of the parameter's text; the mapping is stored with the import.
    const unstorable = unstorableTextReason(column) ?? unstorableTextReason(path);
    if (unstorable !== undefined) return { ok: false, reason: `a column or field path ${unstorable}` };
    const known = fieldPathOf(path);
    if (known === undefined) {
      return {
        ok: false,
        reason: `"${path}" (column "${column}") is not a lead field; use one of ${Object.keys(importFieldPaths).join(', ')} or customFields.<name>`,
      };
    }
    mapping[column] = known;
  }
  if (Object.keys(mapping).length === 0) return { ok: false, reason: 'maps no column' };
  return { ok: true, value: mapping };
}

/**
 * Which header column fills which field. With a mapping, every mapped column must be in the header
 * (exactly, or else ignoring case and surrounding spaces); without one, headers that are field paths
 * map to themselves, case-insensitively. Other columns are ignored.
 */
export function resolveColumns(options: {
  header: readonly string[];
  mapping?: ColumnMapping;
}): { ok: true; columns: MappedColumn[] } | { ok: false; field: 'mapping' | 'header'; reason: string } {
  const { header, mapping } = options;
  const columns: MappedColumn[] = [];
  if (mapping === undefined) {
    header.forEach((column, index) => {
      const path = fieldPathOf(column);
      if (path !== undefined) columns.push({ index, column, path });
    });
    if (columns.length === 0) {
      return {
        ok: false,
        field: 'header',
        reason:
          'the first row must be a header naming lead fields (email, phone, company.name…); ' +
          'or give a mapping from your column headers to lead fields',
      };
    }
  } else {
    for (const [column, path] of Object.entries(mapping)) {
      const index = headerIndex(header, column);
      if (index === undefined) {
        return { ok: false, field: 'mapping', reason: `column "${column}" is not in the header row` };
      }
      columns.push({ index, column: header[index] ?? column, path });
    }
  }
  const seen = new Map<string, string>();
  for (const { column, path } of columns) {
    const other = seen.get(path);
    if (other !== undefined) {
      return {
        ok: false,
        field: mapping === undefined ? 'header' : 'mapping',
        reason: `columns "${other}" and "${column}" both fill ${path}`,
      };
    }
    seen.set(path, column);
  }
  return { ok: true, columns };
}

function headerIndex(header: readonly string[], column: string): number | undefined {
  const exact = header.indexOf(column);
  if (exact >= 0) return exact;
  const wanted = column.trim().toLowerCase();
  const matches = header.flatMap((name, index) => (name.trim().toLowerCase() === wanted ? [index] : []));
  return matches.length === 1 ? matches[0] : undefined;
}

const truthy = new Set(['true', 'yes', 'y', '1']);
const falsy = new Set(['false', 'no', 'n', '0']);

function readCell(kind: FieldKind, cell: string): Outcome<string | number | boolean> {
  switch (kind) {
    case 'text':
      return { ok: true, value: cell };
    case 'integer':
      return /^\d+$/.test(cell)
        ? { ok: true, value: Number(cell) }
        : { ok: false, reason: `is not a whole number ("${cell}")` };
    case 'boolean': {
      const lower = cell.toLowerCase();
      if (truthy.has(lower)) return { ok: true, value: true };
      if (falsy.has(lower)) return { ok: true, value: false };
      return { ok: false, reason: `is not yes/no or true/false ("${cell}")` };
    }
  }
}

type Tree = { [key: string]: string | number | boolean | Tree };

function setPath(tree: Tree, path: string, value: string | number | boolean): void {
  // customFields keys are the tenant's own names and may contain dots themselves.
  const segments = path.startsWith(customFieldPrefix)
    ? ['customFields', path.slice(customFieldPrefix.length)]
    : path.split('.');
  let node = tree;
  for (const segment of segments.slice(0, -1)) {
    const child = node[segment];
    if (typeof child === 'object') node = child;
    else node = node[segment] = {};
  }
  node[segments.at(-1) ?? path] = value;
}

/**
 * Turns one CSV record into a submission: cells trimmed, blank cells left out, numbers and yes/no
 * read, the import's defaults filled in. Errors here are the CSV's own (a cell that is not a
 * number, a row with more cells than the header); the capturer validates the rest.
 */
export function rowToSubmission(options: {
  record: readonly string[];
  headerLength: number;
  columns: readonly MappedColumn[];
  defaults: ImportDefaults;
}): { ok: true; submission: LeadSubmission } | { ok: false; errors: FieldError[] } {
  const { record, columns, defaults } = options;
  if (record.length > options.headerLength) {
    return {
      ok: false,
      errors: [
        {
          field: 'row',
          reason: `has ${record.length} cells but the header has ${options.headerLength} (a value with an unquoted delimiter?)`,
        },
      ],
    };
  }
  const tree: Tree = {};
  const errors: FieldError[] = [];
  for (const { index, path } of columns) {
    const cell = record[index]?.trim() ?? '';
    if (cell === '') continue;
    // Refused here, naming the field, so such a row never reaches the database (which refuses it
    // on every attempt) and its reason never quotes the character back.
    const unstorable = unstorableTextReason(cell);
    if (unstorable !== undefined) {
      errors.push({ field: path, reason: unstorable });
      continue;
    }
    const kind: FieldKind = path.startsWith(customFieldPrefix)
      ? 'text'
      : importFieldPaths[path as keyof typeof importFieldPaths];
    const read = readCell(kind, cell);
    if (read.ok) setPath(tree, path, read.value);
    else errors.push({ field: path, reason: read.reason });
  }
  if (errors.length > 0) return { ok: false, errors };

  const submission = tree as LeadSubmission;
  const consent = submission.consent as Partial<Consent> | undefined;
  if (consent !== undefined) {
    // A file with only one of the two columns still records consent; what it does not say is "no".
    submission.consent = { marketing: consent.marketing ?? false, optedOut: consent.optedOut ?? false };
  }
  const externalId = submission.externalId as Partial<ExternalId> | undefined;
  if (externalId !== undefined) {
    const source = externalId.source ?? defaults.externalIdSource;
    if (source === undefined || externalId.id === undefined) {
      const missing = source === undefined ? 'externalId.source' : 'externalId.id';
      return {
        ok: false,
        errors: [{ field: missing, reason: 'is required when the other part of externalId is given' }],
      };
    }
    submission.externalId = { source, id: externalId.id };
  }
  const touchDefaults = {
    ...(defaults.source === undefined ? {} : { source: defaults.source }),
    ...(defaults.campaign === undefined ? {} : { campaign: defaults.campaign }),
  };
  if (submission.touchpoint !== undefined || Object.keys(touchDefaults).length > 0) {
    submission.touchpoint = { ...touchDefaults, ...submission.touchpoint };
  }
  return { ok: true, submission };
}

/**
 * The record as column → cell, for the rejection report; extra cells beyond the header are kept by
 * position. A NUL or a lone surrogate, which the report's store refuses, reads as U+FFFD.
 */
export function rawRow(header: readonly string[], record: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  record.forEach((cell, index) => {
    raw[storableText(header[index] ?? `column ${index + 1}`)] = storableText(cell);
  });
  return raw;
}

/** The text with each NUL and lone surrogate replaced by U+FFFD, so PostgreSQL can store it. */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD').toWellFormed();
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The capture id of a row: a hash of the tenant, channel and mapped content, never of the import or
 * row number, so the same row in a re-uploaded or resumed file is recognised as already applied.
 */
export function captureIdFor(options: { tenantId: string; channel: LeadChannel; submission: LeadSubmission }): string {
  const digest = createHash('sha256')
    .update(canonicalJson({ tenantId: options.tenantId, channel: options.channel, submission: options.submission }))
    .digest('hex');
  return `csv:${digest}`;
}
