import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  clipText,
  refuseUnstorableText,
  replaceUnstorableText,
  storableString,
  unstorableTextReason,
} from './storable-text.ts';

describe('unstorableTextReason', () => {
  it('refuses a NUL and says where it is', () => {
    expect(unstorableTextReason('Ada\u0000Lovelace')).toBe(
      'contains a NUL character (\\u0000) at position 3, which cannot be stored; remove it',
    );
  });

  it('refuses a lone high surrogate', () => {
    expect(unstorableTextReason('ab\ud800')).toMatch(/^contains a lone surrogate \\ud800 at position 2, /);
  });

  it('refuses a lone low surrogate', () => {
    expect(unstorableTextReason('\udc00x')).toMatch(/^contains a lone surrogate \\udc00 at position 0, /);
  });

  it('refuses a high surrogate followed by another high one', () => {
    expect(unstorableTextReason('\ud83d\ud83d\ude00')).toMatch(/lone surrogate \\ud83d at position 0/);
  });

  it('refuses two low surrogates after a valid pair', () => {
    expect(unstorableTextReason('\ud83d\ude00\ude00')).toMatch(/lone surrogate \\ude00 at position 2/);
  });

  it.each([
    ['empty', ''],
    ['ASCII', 'Ada Lovelace'],
    ['accents and CJK', 'Zoë 東京'],
    ['an astral character', '😀'],
    ['a surrogate pair written as escapes', '\ud83d\ude00'],
    ['the highest code point', '\u{10ffff}'],
    ['other control characters', 'tab\there\u0001'],
  ])('accepts %s', (_name, value) => {
    expect(unstorableTextReason(value)).toBeUndefined();
  });
});

describe('replaceUnstorableText', () => {
  it.each([
    ['a NUL', 'Ada\u0000Lovelace', 'Ada\uFFFDLovelace'],
    ['a lone high surrogate', 'ab\ud800', 'ab\uFFFD'],
    ['a lone low surrogate', '\udc00x', '\uFFFDx'],
    ['a high surrogate followed by a pair', '\ud83d\ud83d\ude00', '\uFFFD😀'],
    ['several of them', '\u0000\ud800\u0000', '\uFFFD\uFFFD\uFFFD'],
  ])('replaces %s with U+FFFD', (_name, value, replaced) => {
    expect(replaceUnstorableText(value)).toBe(replaced);
    expect(unstorableTextReason(replaceUnstorableText(value))).toBeUndefined();
  });

  it.each(['', 'Zoë 東京', '😀', 'tab\there\u0001', '\u{10ffff}'])('keeps %j as it is', (value) => {
    expect(replaceUnstorableText(value)).toBe(value);
  });
});

describe('storableString', () => {
  const name = storableString().trim().min(1).max(5);

  it('keeps chaining like z.string()', () => {
    expect(name.parse('  Ada ')).toBe('Ada');
    expect(name.safeParse('Lovelace').success).toBe(false);
  });

  it('reports the reason at the field path', () => {
    const result = z.object({ company: z.object({ name }) }).safeParse({ company: { name: 'A\u0000' } });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: 'custom', path: ['company', 'name'], message: expect.stringMatching(/NUL/) }),
    ]);
  });

  it.each(['😀', '\ud83d\ude00', 'Zoë'])('accepts %s', (value) => {
    expect(name.safeParse(value).success).toBe(true);
  });

  it.each(['\u0000', '\ud800', '\udc00'])('refuses %j', (value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it('is a check other string formats can take', () => {
    const url = z.httpUrl().check(refuseUnstorableText);
    expect(z.httpUrl().safeParse('https://example.com/\u0000').success).toBe(true);
    expect(url.safeParse('https://example.com/\u0000').success).toBe(false);
    expect(url.safeParse('https://example.com/😀').success).toBe(true);
  });
});

describe('clipText', () => {
  it('keeps a value within the limit as it is', () => {
    expect(clipText('Ada', 3)).toBe('Ada');
  });

  it('cuts to the limit, ellipsis included', () => {
    expect(clipText('Lovelace', 5)).toBe('Lovel');
    expect(clipText('Lovelace', 5, '…')).toBe('Love…');
  });

  it('never leaves half of a surrogate pair', () => {
    expect(clipText('ab😀', 3)).toBe('ab');
    expect(clipText('ab😀cd', 4, '…')).toBe('ab…');
    expect(unstorableTextReason(clipText('😀'.repeat(200), 299))).toBeUndefined();
  });
});
