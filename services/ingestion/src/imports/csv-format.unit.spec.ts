import { describe, expect, it } from 'vitest';
import { createCsvParser, csvLine } from './csv-format.ts';

async function parseAll(text: string, delimiter = ','): Promise<string[][]> {
  const parser = createCsvParser({ delimiter });
  parser.end(text);
  const records: string[][] = [];
  for await (const record of parser as AsyncIterable<string[]>) records.push(record);
  return records;
}

describe('csvLine', () => {
  it('quotes cells with a comma, a quote or a line break, doubling quotes', () => {
    expect(csvLine([7, 'email', 'a, b', 'say "hi"', 'two\nlines'])).toBe(
      '7,email,"a, b","say ""hi""","two\nlines"\r\n',
    );
  });

  it('reads back as the cells it wrote', async () => {
    const cells = ['12', 'company.country', 'unknown country ("Atlantis")', '{"E-mail":"a@b.c","n":"x,y"}'];
    expect(await parseAll(csvLine(cells))).toEqual([cells]);
  });
});

describe('createCsvParser', () => {
  it('drops a byte order mark, skips blank lines and keeps ragged rows as they are', async () => {
    expect(await parseAll('\uFEFFemail;name\r\n\r\na@example.com;Ada;extra\nb@example.com\n', ';')).toEqual([
      ['email', 'name'],
      ['a@example.com', 'Ada', 'extra'],
      ['b@example.com'],
    ]);
  });
});
