import countries from 'i18n-iso-countries';
import type { NormalizeResult } from './normalize-result.ts';

// English names and aliases ("USA", "UK", "Great Britain") and German ones ("Deutschland"): the
// package's own data, indexed once so a row costs one Map lookup instead of a scan of every name.
const nameLocales = ['en', 'de'];

const alpha2Codes = new Set(Object.keys(countries.getAlpha2Codes()));
const alpha3ToAlpha2 = new Map(Object.entries(countries.getAlpha3Codes()));
const { byName, ambiguous } = indexNames();

/** ISO 3166-1 alpha-2 (upper case) from an alpha-2 or alpha-3 code in any case, or a country name. */
export function normalizeCountry(input: string): NormalizeResult<string> {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  const upper = text.toUpperCase();
  if (upper.length === 2 && alpha2Codes.has(upper)) return { ok: true, value: upper };
  if (upper.length === 3) {
    const alpha2 = alpha3ToAlpha2.get(upper);
    if (alpha2 !== undefined) return { ok: true, value: alpha2 };
  }
  const key = nameKey(text);
  const alpha2 = byName.get(key);
  if (alpha2 !== undefined) return { ok: true, value: alpha2 };
  if (ambiguous.has(key)) return { ok: false, reason: `"${text}" names more than one country; use its ISO code` };
  return { ok: false, reason: `is not a known country code or English country name ("${text}")` };
}

/** Case, accents, dots and punctuation do not matter: "U.S.A.", "Cote d’Ivoire". */
function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\./g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function indexNames(): { byName: Map<string, string>; ambiguous: Set<string> } {
  const byName = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const locale of nameLocales) {
    const localeKeys = new Map<string, string>();
    for (const [alpha2, names] of Object.entries(countries.getNames(locale, { select: 'all' }))) {
      for (const name of names) {
        const key = nameKey(name);
        const other = localeKeys.get(key);
        if (other !== undefined && other !== alpha2) ambiguous.add(key);
        else localeKeys.set(key, alpha2);
      }
    }
    // An earlier locale wins a name both use for different countries.
    for (const [key, alpha2] of localeKeys) if (!ambiguous.has(key) && !byName.has(key)) byName.set(key, alpha2);
  }
  return { byName, ambiguous };
}
