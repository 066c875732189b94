import { describe, expect, it } from 'vitest';
import { csvLine } from './csv.ts';

describe('csvLine', () => {
  it('joins plain values with commas and ends the line with CRLF, empty for null', () => {
    expect(csvLine(['a', 1, true, null, undefined])).toBe('a,1,true,,\r\n');
  });

  it('quotes a value holding a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvLine(['Engines, Ltd', 'say "hi"', 'two\nlines'])).toBe('"Engines, Ltd","say ""hi""","two\nlines"\r\n');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvLine(['=HYPERLINK("x")', '@SUM(A1)', '-2+3'])).toBe(`"'=HYPERLINK(""x"")",'@SUM(A1),'-2+3\r\n`);
  });

  it('leaves phone numbers and numbers as they are', () => {
    expect(csvLine(['+44 20 7946 0000', -5])).toBe('+44 20 7946 0000,-5\r\n');
  });
});
