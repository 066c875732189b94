// `max` metadata, deliberately: `min` only checks a number's length, so placeholders such as
// (000) 000-0000 or 123-456-7890 would pass, become one `phone` identity key and merge strangers.
// `max` carries each country's number ranges; the cost is ~65 kB more metadata, nothing on a server.
import parsePhoneNumber, { isSupportedCountry, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber, ValidatePhoneNumberLengthResult } from 'libphonenumber-js/max';
import type { NormalizeResult } from './normalize-result.ts';

export type NormalizePhoneOptions = {
  /** ISO 3166-1 alpha-2 country for numbers written without a +country code. */
  defaultCountry?: string | undefined;
};

/** To E.164 (`+442079460000`); an extension is dropped, E.164 has none. */
export function normalizePhone(input: string, options: NormalizePhoneOptions = {}): NormalizeResult<string> {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  const defaultCountry = supportedCountry(options.defaultCountry);
  // extract: false refuses "call me on 0201 …" instead of picking digits out of prose.
  const number = parsePhoneNumber(text, { defaultCountry, extract: false });
  // Valid implies possible: the usual valid number pays for one check, a rejected one for the reason.
  if (number?.isValid()) return { ok: true, value: number.number };
  if (number === undefined || !number.isPossible()) {
    return { ok: false, reason: lengthReason(validatePhoneNumberLength(text, { defaultCountry }), number) };
  }
  return { ok: false, reason: `is not a valid number in ${regionOf(number)}: no such number range` };
}

function supportedCountry(code: string | undefined): CountryCode | undefined {
  if (code === undefined) return undefined;
  const upper = code.toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

function regionOf(number: PhoneNumber): string {
  return number.country ?? `+${number.countryCallingCode}`;
}

function lengthReason(result: ValidatePhoneNumberLengthResult | undefined, number: PhoneNumber | undefined): string {
  const where = number === undefined ? '' : ` for ${regionOf(number)}`;
  switch (result) {
    case 'NOT_A_NUMBER':
      return 'is not a phone number';
    case 'INVALID_COUNTRY':
      return 'has no valid +country code, and no default country applies';
    case 'TOO_SHORT':
      return `is too short${where}`;
    case 'TOO_LONG':
      return `is too long${where}`;
    case 'INVALID_LENGTH':
    case undefined:
      return `has no possible number of digits${where}`;
  }
}
