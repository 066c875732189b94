import { describe, expect, it } from 'vitest';
import { normalizeCountry } from './normalize-country.ts';

describe('normalizeCountry', () => {
  describe('when it names a country', () => {
    it.each([
      { input: 'GB', expected: 'GB' },
      { input: 'gb', expected: 'GB' },
      { input: ' de ', expected: 'DE' },
      { input: 'XK', expected: 'XK' },
      { input: 'USA', expected: 'US' },
      { input: 'gbr', expected: 'GB' },
      { input: 'Deu', expected: 'DE' },
      { input: 'IND', expected: 'IN' },
      { input: 'United States', expected: 'US' },
      { input: 'united states of america', expected: 'US' },
      { input: 'U.S.A.', expected: 'US' },
      { input: 'UK', expected: 'GB' },
      { input: 'United Kingdom', expected: 'GB' },
      { input: 'Great Britain', expected: 'GB' },
      { input: 'Germany', expected: 'DE' },
      { input: 'Deutschland', expected: 'DE' },
      { input: 'France', expected: 'FR' },
      { input: 'india', expected: 'IN' },
      { input: 'The Netherlands', expected: 'NL' },
      { input: 'Côte d’Ivoire', expected: 'CI' },
      { input: 'Cote d’Ivoire', expected: 'CI' },
      { input: 'Turkey', expected: 'TR' },
      { input: 'Türkiye', expected: 'TR' },
      { input: 'UAE', expected: 'AE' },
      { input: 'South Korea', expected: 'KR' },
    ])('$input → $expected', ({ input, expected }) => {
      expect(normalizeCountry(input)).toEqual({ ok: true, value: expected });
    });
  });

  describe('when it does not', () => {
    it.each([
      { input: '', reason: 'is empty' },
      { input: 'XX', reason: 'is not a known country code or English country name ("XX")' },
      { input: 'ZZZ', reason: 'is not a known country code or English country name ("ZZZ")' },
      { input: 'Atlantis', reason: 'is not a known country code or English country name ("Atlantis")' },
      { input: 'Congo', reason: '"Congo" names more than one country; use its ISO code' },
    ])('$input: $reason', ({ input, reason }) => {
      expect(normalizeCountry(input)).toEqual({ ok: false, reason });
    });
  });
});
