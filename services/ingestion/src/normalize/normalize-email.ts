import { domainToASCII } from 'node:url';
import { z } from 'zod';
import type { NormalizeResult } from './normalize-result.ts';

// The pattern behind the event contract's z.email(), so an address accepted here is a valid event field.
const emailPattern = z.regexes.email;
const nonAscii = /[\u0080-\uffff]/;

/** Trims and lower-cases the whole address; an internationalized domain becomes punycode. */
export function normalizeEmail(input: string): NormalizeResult<string> {
  let email = input.trim().toLowerCase();
  if (email === '') return { ok: false, reason: 'is empty' };
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) {
    return { ok: false, reason: 'is not an email address: it needs a part before the @ and a domain after it' };
  }
  const domain = email.slice(at + 1);
  // The same punycode form the URL parser gives a website, so both yield one company domain.
  if (nonAscii.test(domain)) {
    const ascii = domainToASCII(domain);
    if (ascii === '') return { ok: false, reason: `has an invalid domain (${domain})` };
    email = `${email.slice(0, at)}@${ascii}`;
  }
  if (email.length > 254) return { ok: false, reason: 'is longer than 254 characters' };
  if (at > 64) return { ok: false, reason: 'has a part before the @ longer than 64 characters' };
  if (!emailPattern.test(email)) return { ok: false, reason: 'is not an email address' };
  return { ok: true, value: email };
}
