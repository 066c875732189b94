/** A hostile value and the name it is reported under. */
export type Hostile = { label: string; value: unknown };

const rawMarker = Symbol('raw JSON');

/** JSON text put into a body verbatim: numbers JavaScript cannot hold, nesting too deep to build as objects. */
export type RawJson = { readonly [rawMarker]: string };

export function rawJson(text: string): RawJson {
  return { [rawMarker]: text };
}

function isRawJson(value: unknown): value is RawJson {
  return typeof value === 'object' && value !== null && rawMarker in value;
}

/** Serializes a value that may hold {@link RawJson} pieces, which appear as written. */
export function renderJson(value: unknown): string {
  const pieces: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (!isRawJson(item)) return item;
    pieces.push(item[rawMarker]);
    return `\u0001raw:${pieces.length - 1}\u0001`;
  });
  if (text === undefined) return '';
  return text.replace(/"\\u0001raw:(\d+)\\u0001"/g, (_match, index: string) => pieces[Number(index)] as string);
}

/** `depth` arrays inside each other, as text: building them as objects would blow the stack of the test itself. */
export function deepArray(depth: number): RawJson {
  return rawJson('['.repeat(depth) + ']'.repeat(depth));
}

export function deepObject(depth: number): RawJson {
  return rawJson('{"a":'.repeat(depth) + 'null' + '}'.repeat(depth));
}

/** Just under a megabyte, so the body still fits Fastify's 1 MiB limit and the value reaches validation. */
export const oneMegabyte = 1_000_000;

export const hostileStrings: readonly Hostile[] = [
  { label: 'NUL', value: '\u0000' },
  { label: 'NUL inside', value: 'ada\u0000lovelace@example.com' },
  { label: 'lone high surrogate', value: '\ud800' },
  { label: 'lone low surrogate', value: '\udc00' },
  { label: 'surrogate inside', value: 'Ad\ud800a' },
  { label: 'reversed surrogates', value: '\udc00\ud800' },
  { label: '1 MB string', value: 'a'.repeat(oneMegabyte) },
  { label: '100 KB of é', value: 'é'.repeat(50_000) },
  { label: 'empty string', value: '' },
  { label: 'blank string', value: '   ' },
  { label: 'control characters', value: '\u0001\u001b[31m\u007f' },
  { label: 'bidi and zero-width', value: '\u202etxt.exe\u200b' },
  { label: 'astral and ZWJ', value: '👩‍💻𝒜' },
  { label: 'SQL', value: "x'); DROP TABLE events; --" },
  { label: 'format specifiers', value: '%s%n%d{0}${process.env}' },
  { label: 'JSON in a string', value: '{"__proto__":{"polluted":true},"constructor":{"prototype":{}}}' },
  { label: 'deep JSON in a string', value: '['.repeat(10_000) + ']'.repeat(10_000) },
  { label: 'year 9999', value: '9999-12-31T23:59:59.999Z' },
  { label: 'year 1', value: '0001-01-01T00:00:00.000Z' },
  { label: 'beyond JS dates', value: '+275760-09-14T00:00:00.000Z' },
  { label: 'uuid nil', value: '00000000-0000-0000-0000-000000000000' },
  { label: 'prototype key name', value: '__proto__' },
  { label: 'constructor key name', value: 'constructor' },
];

export const hostileNumbers: readonly Hostile[] = [
  { label: '1e308', value: 1e308 },
  { label: '-1e308', value: -1e308 },
  { label: '1e309 (Infinity when parsed)', value: rawJson('1e309') },
  { label: '2^53 + 1', value: rawJson('9007199254740993') },
  { label: '-1e17', value: -1e17 },
  { label: '1e15 (money)', value: 1e15 },
  { label: '1e15 and a cent', value: rawJson('1000000000000000.01') },
  { label: '1e21', value: 1e21 },
  { label: 'many decimals', value: rawJson('0.1000000000000000055511151231257827021181583404541015625') },
  { label: 'many decimals, large', value: rawJson('12345678.123456789012345678901234567890') },
  { label: '0.1 + 0.2', value: 0.30000000000000004 },
  { label: 'minus zero', value: rawJson('-0') },
  { label: 'smallest double', value: 5e-324 },
  { label: '2^31', value: 2_147_483_648 },
  { label: '-2^31 - 1', value: -2_147_483_649 },
  { label: '-1', value: -1 },
  { label: 'zero', value: 0 },
  { label: 'one point zero', value: rawJson('1.0') },
  { label: 'exponent integer', value: rawJson('1E2') },
];

export const wrongTypes: readonly Hostile[] = [
  { label: 'null', value: null },
  { label: 'true', value: true },
  { label: 'number', value: 42 },
  { label: 'numeric string', value: '42' },
  { label: 'string "true"', value: 'true' },
  { label: 'empty array', value: [] },
  { label: 'empty object', value: {} },
  { label: 'nested arrays', value: [[[]]] },
  { label: 'array of strings', value: ['a', 'b'] },
  { label: 'object with empty key', value: { '': null } },
];

export const deepValues: readonly Hostile[] = [
  { label: '10,000-deep arrays', value: deepArray(10_000) },
  { label: '10,000-deep objects', value: deepObject(10_000) },
  { label: '100-deep arrays', value: deepArray(100) },
];

/** Keys that reach `Object.prototype` when code copies them with plain assignment. */
export const prototypeKeys = ['__proto__', 'constructor', 'prototype'] as const;

export const prototypeKeyValues: readonly unknown[] = [
  { polluted: true },
  { prototype: { polluted: true } },
  'x',
  null,
  1,
];

/** Path or query values, already percent-encoded (lone surrogates as the UTF-8 bytes they would be). */
export const hostileUrlValues: readonly Hostile[] = [
  { label: 'NUL', value: '%00' },
  { label: 'NUL inside', value: 'a%00b' },
  { label: 'lone high surrogate (CESU-8)', value: '%ED%A0%80' },
  { label: 'lone low surrogate (CESU-8)', value: '%ED%B0%80' },
  { label: 'invalid UTF-8', value: '%FF%FE' },
  { label: 'overlong slash', value: '%C0%AF' },
  { label: 'bare percent', value: '%' },
  { label: 'bad escape', value: '%zz' },
  { label: 'dot dot', value: '..' },
  { label: 'encoded traversal', value: '..%2F..%2Fetc%2Fpasswd' },
  { label: 'SQL', value: encodeURIComponent("' OR 1=1 --") },
  { label: '100 characters', value: 'x'.repeat(100) },
  { label: '101 characters', value: 'x'.repeat(101) },
  { label: '8 KB', value: 'x'.repeat(8192) },
  { label: 'bidi override', value: '%E2%80%AE' },
  { label: 'accents', value: encodeURIComponent('é'.repeat(30)) },
  { label: 'space', value: '%20' },
  { label: '__proto__', value: '__proto__' },
  { label: 'constructor', value: 'constructor' },
  { label: 'prototype', value: 'prototype' },
  { label: 'zero', value: '0' },
  { label: '-1', value: '-1' },
  { label: '2^53 + 1', value: '9007199254740993' },
  { label: '1e308', value: '1e308' },
  { label: 'null', value: 'null' },
  { label: 'JSON prototype keys', value: encodeURIComponent('{"__proto__":{"polluted":true}}') },
  { label: 'deep JSON', value: encodeURIComponent('['.repeat(2000) + ']'.repeat(2000)) },
];

/** Header values a client can send (Node refuses control characters and non-Latin-1 before they leave). */
export const hostileHeaderValues: readonly Hostile[] = [
  { label: 'empty', value: '' },
  { label: 'space', value: ' ' },
  { label: 'with spaces', value: 'a b c' },
  { label: '129 characters', value: 'k'.repeat(129) },
  { label: '8 KB', value: 'k'.repeat(8192) },
  { label: 'quotes', value: '"\'`' },
  { label: '__proto__', value: '__proto__' },
  { label: 'Latin-1', value: 'caf\u00e9' },
];
