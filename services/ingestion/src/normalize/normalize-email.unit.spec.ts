import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './normalize-email.ts';

describe('normalizeEmail', () => {
  describe('when it is an email address', () => {
    it.each([
      { input: 'ada@example.com', expected: 'ada@example.com' },
      { input: '  Ada@Example.COM ', expected: 'ada@example.com' },
      { input: '\tADA.LOVELACE+Leads@EXAMPLE.CO.UK\n', expected: 'ada.lovelace+leads@example.co.uk' },
      { input: "o'brien@example.ie", expected: "o'brien@example.ie" },
      { input: 'info@Müller.de', expected: 'info@xn--mller-kva.de' },
    ])('$input → $expected', ({ input, expected }) => {
      expect(normalizeEmail(input)).toEqual({ ok: true, value: expected });
    });
  });

  describe('when it is not', () => {
    it.each([
      { input: '', reason: 'is empty' },
      { input: '   ', reason: 'is empty' },
      {
        input: 'ada.example.com',
        reason: 'is not an email address: it needs a part before the @ and a domain after it',
      },
      { input: '@example.com', reason: 'is not an email address: it needs a part before the @ and a domain after it' },
      { input: 'ada@', reason: 'is not an email address: it needs a part before the @ and a domain after it' },
      { input: 'ada@example', reason: 'is not an email address' },
      { input: 'ada@@example.com', reason: 'is not an email address' },
      { input: 'ada..lovelace@example.com', reason: 'is not an email address' },
      { input: 'ada@exa mple.com', reason: 'is not an email address' },
      { input: 'Ada Lovelace <ada@example.com>', reason: 'is not an email address' },
      { input: `${'a'.repeat(65)}@example.com`, reason: 'has a part before the @ longer than 64 characters' },
      { input: `ada@${'a'.repeat(250)}.com`, reason: 'is longer than 254 characters' },
    ])('$input: $reason', ({ input, reason }) => {
      expect(normalizeEmail(input)).toEqual({ ok: false, reason });
    });
  });
});
