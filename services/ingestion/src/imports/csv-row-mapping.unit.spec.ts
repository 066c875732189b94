import { describe, expect, it } from 'vitest';
import { unstorableTextReason } from '@l2o/contracts';
import {
  captureIdFor,
  fieldPathOf,
  parseColumnMapping,
  rawRow,
  resolveColumns,
  rowToSubmission,
} from './csv-row-mapping.ts';
import type { ImportDefaults, MappedColumn } from './csv-row-mapping.ts';

const defaults: ImportDefaults = { channel: 'csv_import' };

function mapped(header: string[], mapping?: Record<string, string>): MappedColumn[] {
  const resolved = resolveColumns({ header, ...(mapping === undefined ? {} : { mapping }) });
  if (!resolved.ok) throw new Error(resolved.reason);
  return resolved.columns;
}

function submissionOf(header: string[], record: string[], importDefaults: ImportDefaults = defaults) {
  return rowToSubmission({ record, headerLength: header.length, columns: mapped(header), defaults: importDefaults });
}

describe('fieldPathOf', () => {
  it('spells known paths canonically and keeps a custom field name as given', () => {
    expect(fieldPathOf(' Company.Country ')).toBe('company.country');
    expect(fieldPathOf('EMAIL')).toBe('email');
    expect(fieldPathOf('customfields.Budget Q1')).toBe('customFields.Budget Q1');
  });

  it('knows no other paths', () => {
    expect(fieldPathOf('company')).toBeUndefined();
    expect(fieldPathOf('tenantId')).toBeUndefined();
    expect(fieldPathOf('customFields.')).toBeUndefined();
  });
});

describe('parseColumnMapping', () => {
  it('reads a JSON object of column → field path, canonicalizing the paths', () => {
    expect(parseColumnMapping('{"E-mail":"Email","Company":"company.name","Seats":"customFields.seats"}')).toEqual({
      ok: true,
      value: { 'E-mail': 'email', Company: 'company.name', Seats: 'customFields.seats' },
    });
  });

  it('names the path that is not a lead field and its column', () => {
    const parsed = parseColumnMapping('{"E-mail":"email","Org":"company.title"}');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(/^"company\.title" \(column "Org"\) is not a lead field/);
  });

  it.each([
    ['not JSON', '{email', /is not JSON/],
    ['an array', '["email"]', /must be a JSON object/],
    ['a non-string path', '{"E-mail":1}', /column "E-mail" must map to a field path string/],
    ['an empty object', '{}', /maps no column/],
    ['a NUL in a column, escaped in the JSON', '{"E\\u0000mail":"email"}', /a column or field path contains a NUL/],
    [
      'a lone surrogate in a path',
      '{"Seats":"customFields.\\ud800"}',
      /a column or field path contains a lone surrogate/,
    ],
  ])('refuses %s', (_case, text, reason) => {
    const parsed = parseColumnMapping(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});

describe('resolveColumns', () => {
  it('maps headers that are field paths to themselves, case-insensitively, and ignores the rest', () => {
    expect(mapped(['Email', 'notes', 'Company.Name'])).toEqual([
      { index: 0, column: 'Email', path: 'email' },
      { index: 2, column: 'Company.Name', path: 'company.name' },
    ]);
  });

  it('refuses a first row that names no lead field: it is not a header', () => {
    expect(resolveColumns({ header: ['ada@example.com', 'Ada'] })).toMatchObject({
      ok: false,
      field: 'header',
      reason: expect.stringMatching(/^the first row must be a header/),
    });
  });

  it('finds mapped columns exactly, or else ignoring case and spaces', () => {
    expect(mapped(['E-mail', ' company '], { 'E-mail': 'email', Company: 'company.name' })).toEqual([
      { index: 0, column: 'E-mail', path: 'email' },
      { index: 1, column: ' company ', path: 'company.name' },
    ]);
  });

  it('names a mapped column the header does not have', () => {
    expect(resolveColumns({ header: ['Email'], mapping: { 'E-mail': 'email' } })).toEqual({
      ok: false,
      field: 'mapping',
      reason: 'column "E-mail" is not in the header row',
    });
  });

  it('refuses two columns filling one field', () => {
    expect(resolveColumns({ header: ['Mail', 'E-mail'], mapping: { Mail: 'email', 'E-mail': 'email' } })).toEqual({
      ok: false,
      field: 'mapping',
      reason: 'columns "Mail" and "E-mail" both fill email',
    });
  });
});

describe('rowToSubmission', () => {
  it('nests paths, trims cells and leaves blank cells out', () => {
    const header = ['email', 'firstName', 'company.name', 'company.country', 'touchpoint.utm.campaign', 'phone'];
    expect(submissionOf(header, [' ada@example.com ', 'Ada', 'Engines', 'GB', 'spring', '  '])).toEqual({
      ok: true,
      submission: {
        email: 'ada@example.com',
        firstName: 'Ada',
        company: { name: 'Engines', country: 'GB' },
        touchpoint: { utm: { campaign: 'spring' } },
      },
    });
  });

  it('reads company size as a whole number and consent as yes/no, the missing consent part as no', () => {
    const header = ['email', 'company.size', 'consent.marketing'];
    expect(submissionOf(header, ['a@example.com', '120', 'Yes'])).toEqual({
      ok: true,
      submission: { email: 'a@example.com', company: { size: 120 }, consent: { marketing: true, optedOut: false } },
    });
  });

  it('names every cell it cannot read', () => {
    const header = ['email', 'company.size', 'consent.optedOut'];
    expect(submissionOf(header, ['a@example.com', '12.5', 'maybe'])).toEqual({
      ok: false,
      errors: [
        { field: 'company.size', reason: 'is not a whole number ("12.5")' },
        { field: 'consent.optedOut', reason: 'is not yes/no or true/false ("maybe")' },
      ],
    });
  });

  it('fills source and campaign from the import where the row gives none', () => {
    const header = ['email', 'touchpoint.campaign'];
    const importDefaults: ImportDefaults = { channel: 'csv_import', source: 'fair', campaign: 'spring' };
    expect(submissionOf(header, ['a@example.com', ''], importDefaults)).toMatchObject({
      submission: { touchpoint: { source: 'fair', campaign: 'spring' } },
    });
    expect(submissionOf(header, ['a@example.com', 'autumn'], importDefaults)).toMatchObject({
      submission: { touchpoint: { source: 'fair', campaign: 'autumn' } },
    });
  });

  it('completes an external id with the import’s source, and refuses one without a source', () => {
    const header = ['email', 'externalId.id'];
    expect(
      submissionOf(header, ['a@example.com', '51234'], { channel: 'csv_import', externalIdSource: 'hubspot' }),
    ).toMatchObject({ submission: { externalId: { source: 'hubspot', id: '51234' } } });
    expect(submissionOf(header, ['a@example.com', '51234'])).toEqual({
      ok: false,
      errors: [{ field: 'externalId.source', reason: 'is required when the other part of externalId is given' }],
    });
  });

  it('keeps custom fields as text under their own names', () => {
    expect(submissionOf(['email', 'customFields.seats'], ['a@example.com', '25'])).toMatchObject({
      submission: { customFields: { seats: '25' } },
    });
  });

  it('refuses a row with more cells than the header: a value with an unquoted delimiter', () => {
    expect(submissionOf(['email', 'firstName'], ['a@example.com', 'Ada', 'Lovelace'])).toEqual({
      ok: false,
      errors: [{ field: 'row', reason: expect.stringContaining('has 3 cells but the header has 2') }],
    });
  });

  it('names each field whose cell holds a NUL or a lone surrogate, without quoting the cell', () => {
    const header = ['email', 'firstName', 'company.size', 'customFields.notes'];
    const mappedRow = submissionOf(header, ['a@example.com', 'A\u0000da', '1\u00002', 'x\udc00']);
    expect(mappedRow).toEqual({
      ok: false,
      errors: [
        { field: 'firstName', reason: expect.stringMatching(/^contains a NUL character .* at position 1/) },
        { field: 'company.size', reason: expect.stringMatching(/^contains a NUL character/) },
        { field: 'customFields.notes', reason: expect.stringMatching(/^contains a lone surrogate/) },
      ],
    });
    const reasons = mappedRow.ok ? [] : mappedRow.errors.map((error) => error.reason);
    expect(reasons.map((reason) => unstorableTextReason(reason))).toEqual([undefined, undefined, undefined]);
  });

  it('reads a short row’s missing cells as blank', () => {
    expect(submissionOf(['email', 'firstName'], ['a@example.com'])).toEqual({
      ok: true,
      submission: { email: 'a@example.com' },
    });
  });
});

describe('rawRow', () => {
  it('keys cells by header and names extra cells by position', () => {
    expect(rawRow(['email', 'name'], ['a@example.com', 'Ada', 'x'])).toEqual({
      email: 'a@example.com',
      name: 'Ada',
      'column 3': 'x',
    });
  });

  it('keeps a NUL or lone surrogate as U+FFFD, which the report can store', () => {
    expect(rawRow(['email', 'n\u0000ame'], ['a\u0000@example.com', '\ud800Ada\ud83d\ude00'])).toEqual({
      email: 'a\uFFFD@example.com',
      'n\uFFFDame': '\uFFFDAda\ud83d\ude00',
    });
  });
});

describe('captureIdFor', () => {
  const submission = { email: 'a@example.com', company: { name: 'Engines', country: 'GB' } };

  it('is the same for the same content, whatever the key order or surrounding spaces in the file', () => {
    const reordered = { company: { country: 'GB', name: 'Engines' }, email: 'a@example.com' };
    const fromFile = submissionOf(['company.name', 'email', 'company.country'], [' Engines', 'a@example.com ', 'GB']);
    const id = captureIdFor({ tenantId: 'acme', channel: 'csv_import', submission });
    expect(id).toMatch(/^csv:[0-9a-f]{64}$/);
    expect(captureIdFor({ tenantId: 'acme', channel: 'csv_import', submission: reordered })).toBe(id);
    expect(
      fromFile.ok && captureIdFor({ tenantId: 'acme', channel: 'csv_import', submission: fromFile.submission }),
    ).toBe(id);
  });

  it('differs by tenant, channel and content', () => {
    const id = captureIdFor({ tenantId: 'acme', channel: 'csv_import', submission });
    expect(captureIdFor({ tenantId: 'globex', channel: 'csv_import', submission })).not.toBe(id);
    expect(captureIdFor({ tenantId: 'acme', channel: 'event', submission })).not.toBe(id);
    expect(
      captureIdFor({ tenantId: 'acme', channel: 'csv_import', submission: { ...submission, firstName: 'Ada' } }),
    ).not.toBe(id);
  });
});
