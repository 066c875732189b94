import { describe, expect, it } from 'vitest';
import { normalizePhone } from './normalize-phone.ts';

describe('normalizePhone', () => {
  describe('when the number is valid', () => {
    it.each([
      { input: '(201) 555-0123', defaultCountry: 'US', expected: '+12015550123' },
      { input: '201.555.0123', defaultCountry: 'US', expected: '+12015550123' },
      { input: '1 (201) 555-0123', defaultCountry: 'US', expected: '+12015550123' },
      { input: '+1 201 555 0123', defaultCountry: undefined, expected: '+12015550123' },
      { input: ' +1-201-555-0123 ', defaultCountry: 'GB', expected: '+12015550123' },
      { input: '020 7946 0000', defaultCountry: 'GB', expected: '+442079460000' },
      { input: '07400 123456', defaultCountry: 'GB', expected: '+447400123456' },
      { input: '+44 (0)20 7946 0000', defaultCountry: undefined, expected: '+442079460000' },
      { input: '0044 20 7946 0000', defaultCountry: 'DE', expected: '+442079460000' },
      { input: '030 12345678', defaultCountry: 'DE', expected: '+493012345678' },
      { input: '0151 23456789', defaultCountry: 'DE', expected: '+4915123456789' },
      { input: '+49 30 12345678', defaultCountry: undefined, expected: '+493012345678' },
      { input: '01 23 45 67 89', defaultCountry: 'FR', expected: '+33123456789' },
      { input: '06 12 34 56 78', defaultCountry: 'FR', expected: '+33612345678' },
      { input: '+33 6 12 34 56 78', defaultCountry: 'US', expected: '+33612345678' },
      { input: '081234 56789', defaultCountry: 'IN', expected: '+918123456789' },
      { input: '98765 43210', defaultCountry: 'IN', expected: '+919876543210' },
      { input: '+91 98765 43210', defaultCountry: undefined, expected: '+919876543210' },
      { input: '020 7946 0000', defaultCountry: 'gb', expected: '+442079460000' },
    ])('$input with default $defaultCountry → $expected', ({ input, defaultCountry, expected }) => {
      expect(normalizePhone(input, { defaultCountry })).toEqual({ ok: true, value: expected });
    });
  });

  describe('when it cannot be normalized', () => {
    it.each([
      { input: '', defaultCountry: 'US', reason: 'is empty' },
      { input: 'abc', defaultCountry: 'US', reason: 'is not a phone number' },
      { input: 'call 201 555 0123 now', defaultCountry: 'US', reason: 'is not a phone number' },
      {
        input: '201 555 0123',
        defaultCountry: undefined,
        reason: 'has no valid +country code, and no default country applies',
      },
      {
        input: '201 555 0123',
        defaultCountry: 'XX',
        reason: 'has no valid +country code, and no default country applies',
      },
      {
        input: '+999 123456',
        defaultCountry: undefined,
        reason: 'has no valid +country code, and no default country applies',
      },
      { input: '123', defaultCountry: 'US', reason: 'is too short for US' },
      { input: '+44 20 7946', defaultCountry: undefined, reason: 'is too short for +44' },
      { input: '+1 201 555 01234', defaultCountry: undefined, reason: 'is too long for +1' },
      { input: '0000000000', defaultCountry: 'US', reason: 'is not a valid number in US: no such number range' },
      { input: '123-456-7890', defaultCountry: 'US', reason: 'is not a valid number in US: no such number range' },
      {
        input: '+91 55555 55555',
        defaultCountry: undefined,
        reason: 'is not a valid number in IN: no such number range',
      },
      {
        input: '+49 99999999999',
        defaultCountry: undefined,
        reason: 'is not a valid number in DE: no such number range',
      },
    ])('$input with default $defaultCountry: $reason', ({ input, defaultCountry, reason }) => {
      expect(normalizePhone(input, { defaultCountry })).toEqual({ ok: false, reason });
    });
  });
});
