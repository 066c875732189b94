import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import {
  deepArray,
  deepObject,
  deepValues,
  hostileHeaderValues,
  hostileNumbers,
  hostileStrings,
  hostileUrlValues,
  oneMegabyte,
  prototypeKeys,
  prototypeKeyValues,
  renderJson,
  wrongTypes,
} from './hostile-values.ts';
import type { Hostile } from './hostile-values.ts';
import { valueArbitrary, valuesByName } from './json-schema.arbitrary.ts';
import type { KnownValues } from './json-schema.arbitrary.ts';
import type { OperationParameter, WriteMethod, WriteOperation } from './write-operations.ts';

/** One request the fuzzer sends, and what was done to it (for the failure message). */
export type FuzzRequest = {
  label: string;
  method: WriteMethod;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
};

type Segment = string | number;

/** A request before it is rendered: parameter values are percent-encoded already. */
type Parts = {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
};

const json = 'application/json';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getOwnPropertySymbols(value).length === 0
  );
}

function encoded(value: unknown): string {
  try {
    return encodeURIComponent(String(value));
  } catch {
    return 'x';
  }
}

/** Every place in a JSON value a mutation can hit, the value itself included. */
function pathsOf(value: unknown, prefix: Segment[] = []): Segment[][] {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (isPlainObject(value)) {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  }
  return here;
}

function valueAt(value: unknown, path: readonly Segment[]): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<Segment, unknown> | undefined)?.[segment], value);
}

/** A copy of `value` with `replacement` at `path`; `undefined` removes the property. */
function withValueAt(value: unknown, path: readonly Segment[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = withValueAt(value[head as number], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const next = withValueAt(copy[head], rest, replacement);
  if (next === undefined) delete copy[head];
  else Object.defineProperty(copy, head, { value: next, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** `key` (one of {@link prototypeKeys}) as an own property of every object in `value`. */
function withKeyEverywhere(value: unknown, key: string, keyValue: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => withKeyEverywhere(item, key, keyValue));
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) copy[name] = withKeyEverywhere(item, key, keyValue);
  Object.defineProperty(copy, key, { value: keyValue, enumerable: true, writable: true, configurable: true });
  return copy;
}

function dotted(path: readonly Segment[]): string {
  return ['body', ...path].join('.');
}

function sameKindHostiles(original: unknown): readonly Hostile[] {
  if (typeof original === 'string') return hostileStrings;
  if (typeof original === 'number') return hostileNumbers;
  if (typeof original === 'object' && original !== null) return [...deepValues, ...wrongTypes];
  return wrongTypes;
}

const anyHostile = fc.constantFrom(...hostileStrings, ...hostileNumbers, ...wrongTypes, ...deepValues);

function isRequired(parameter: OperationParameter): boolean {
  return parameter.required || parameter.in === 'path';
}

function parameterText(parameter: OperationParameter, value: unknown): string {
  return parameter.in === 'header' ? String(value) : encoded(value);
}

/** Values of `parameters`; an optional one is left out four times in five, so the others are valid more often. */
function parametersArbitrary(
  parameters: readonly OperationParameter[],
  known: KnownValues,
): Arbitrary<Record<string, string>> {
  const values = parameters.map((parameter) => {
    const value = valueArbitrary(parameter.schema, known, 0, parameter.name).map((item) =>
      parameterText(parameter, item),
    );
    return isRequired(parameter) ? value : fc.option(value, { nil: undefined, freq: 4 });
  });
  return fc.tuple(...values).map((texts) => {
    const record: Record<string, string> = {};
    texts.forEach((text, index) => {
      if (text !== undefined) record[(parameters[index] as OperationParameter).name] = text;
    });
    return record;
  });
}

function partsArbitrary(operation: WriteOperation, seeded: KnownValues): Arbitrary<Parts> {
  // Seeded ids exist in the service; an example's ids usually do not, but its emails and countries look right.
  const known = { ...valuesByName(operation.body?.examples ?? []), ...seeded };
  const parameter = (place: 'path' | 'query' | 'header') =>
    parametersArbitrary(
      operation.parameters.filter((item) => item.in === place),
      known,
    );
  const body =
    operation.body === undefined
      ? fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined })
      : fc.oneof(
          { arbitrary: valueArbitrary(operation.body.schema, known), weight: 3 },
          ...(operation.body.examples.length > 0
            ? [{ arbitrary: fc.constantFrom(...operation.body.examples), weight: 2 }]
            : []),
        );
  return fc.record({ path: parameter('path'), query: parameter('query'), headers: parameter('header'), body });
}

function isJsonOperation(operation: WriteOperation): boolean {
  return operation.body === undefined || operation.body.mediaType === json;
}

function render(operation: WriteOperation, parts: Parts, label: string): FuzzRequest {
  const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => parts.path[name] ?? 'x');
  const query = Object.entries(parts.query).map(([name, value]) => `${encodeURIComponent(name)}=${value}`);
  const url = query.length === 0 ? path : `${path}?${query.join('&')}`;
  const headers = { ...parts.headers };
  if (parts.body === undefined) return { label, method: operation.method, url, headers };
  const mediaType = operation.body?.mediaType ?? json;
  const payload = mediaType === json ? renderJson(parts.body) : String(parts.body);
  return { label, method: operation.method, url, headers: { ...headers, 'content-type': mediaType }, payload };
}

/** A body mutation: the parts and a label saying what was done. */
type Mutated = { parts: Parts; label: string };

function jsonBodyMutations(parts: Parts): Array<{ arbitrary: Arbitrary<Mutated>; weight: number }> {
  const paths = pathsOf(parts.body);
  const objectPaths = paths.filter((path) => isPlainObject(valueAt(parts.body, path)));
  const place = fc.constantFrom(...paths);
  const mutate = (path: Segment[], replacement: unknown, what: string): Mutated => ({
    parts: { ...parts, body: withValueAt(parts.body, path, replacement) },
    label: `${dotted(path)} ← ${what}`,
  });
  const mutations: Array<{ arbitrary: Arbitrary<Mutated>; weight: number }> = [
    {
      weight: 6,
      arbitrary: place.chain((path) =>
        fc
          .constantFrom(...sameKindHostiles(valueAt(parts.body, path)))
          .map((hostile) => mutate(path, hostile.value, hostile.label)),
      ),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(place, anyHostile).map(([path, hostile]) => mutate(path, hostile.value, hostile.label)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...prototypeKeys), fc.constantFrom(...prototypeKeyValues))
        .map(([key, value]) => ({
          parts: { ...parts, body: withKeyEverywhere(parts.body, key, value) },
          label: `body: ${key}=${JSON.stringify(value)} at every level`,
        })),
    },
  ];
  if (objectPaths.length > 0) {
    mutations.push({
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...objectPaths), fc.constantFrom<string>(...prototypeKeys, 'unexpected'), anyHostile)
        .map(([path, key, hostile]) => mutate([...path, key], hostile.value, `${hostile.label} under a new key`)),
    });
  }
  // Chosen from, not filtered: a filter no generated value passes never returns.
  const properties = paths.filter((path) => typeof path.at(-1) === 'string');
  if (properties.length > 0) {
    mutations.push({
      weight: 1,
      arbitrary: fc.constantFrom(...properties).map((path) => mutate(path, undefined, 'removed')),
    });
  }
  return mutations;
}

/** CSV (or other text) bodies: a cell, a line or the whole text replaced. */
function textBodyMutations(parts: Parts): Array<{ arbitrary: Arbitrary<Mutated>; weight: number }> {
  const text = String(parts.body ?? '');
  const lines = text.split(/\r?\n/);
  const withBody = (body: string, label: string): Mutated => ({ parts: { ...parts, body }, label });
  const strings = fc.constantFrom(...hostileStrings);
  return [
    {
      weight: 4,
      arbitrary: fc.tuple(fc.nat(lines.length - 1), fc.nat(20), strings).map(([line, cell, hostile]) => {
        const cells = (lines[line] ?? '').split(',');
        cells[cell % Math.max(cells.length, 1)] = String(hostile.value);
        const changed = lines.map((item, index) => (index === line ? cells.join(',') : item));
        return withBody(
          changed.join('\r\n'),
          `body line ${line + 1} cell ${cell % Math.max(cells.length, 1)} ← ${hostile.label}`,
        );
      }),
    },
    { weight: 2, arbitrary: strings.map((hostile) => withBody(String(hostile.value), `body ← ${hostile.label}`)) },
  ];
}

function parameterMutations(
  operation: WriteOperation,
  parts: Parts,
): Array<{ arbitrary: Arbitrary<Mutated>; weight: number }> {
  return operation.parameters.map((parameter) => {
    const values = parameter.in === 'header' ? hostileHeaderValues : hostileUrlValues;
    const group = parameter.in === 'header' ? 'headers' : parameter.in;
    return {
      weight: parameter.in === 'path' ? 3 : 1,
      arbitrary: fc.constantFrom(...values).map((hostile) => ({
        parts: { ...parts, [group]: { ...parts[group], [parameter.name]: hostile.value as string } },
        label: `${parameter.in} ${parameter.name} ← ${hostile.label}`,
      })),
    };
  });
}

/**
 * Requests generated from the operation's schemas: valid-looking ones, and ones with a body field,
 * a parameter or a header replaced by a hostile value (NUL, lone surrogates, oversized or
 * over-precise numbers, deep nesting, prototype keys, wrong types, huge strings).
 */
export function requestArbitrary(operation: WriteOperation, known: KnownValues): Arbitrary<FuzzRequest> {
  return partsArbitrary(operation, known).chain((parts) => {
    const mutations = [
      { weight: 2, arbitrary: fc.constant<Mutated>({ parts, label: 'valid-looking' }) },
      ...(isJsonOperation(operation) ? jsonBodyMutations(parts) : textBodyMutations(parts)),
      ...parameterMutations(operation, parts),
    ];
    return fc.oneof(...mutations).map(({ parts: mutated, label }) => render(operation, mutated, label));
  });
}

function exampleBody(operation: WriteOperation): unknown {
  return operation.body?.examples[0] ?? {};
}

/** Requests every route gets once: bodies that are not JSON objects at all, and content-type edge cases. */
export function fixedRequests(operation: WriteOperation, parts: Omit<Parts, 'body'>): FuzzRequest[] {
  const base = render(operation, { ...parts, body: undefined }, '');
  const send = (
    label: string,
    payload: string | Buffer | undefined,
    contentType?: string,
    headers: Record<string, string> = {},
  ): FuzzRequest => ({
    ...base,
    label,
    headers: { ...base.headers, ...headers, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
    ...(payload === undefined ? {} : { payload }),
  });
  const form = 'application/x-www-form-urlencoded';
  const example = exampleBody(operation);
  const exampleText = isJsonOperation(operation) ? renderJson(example) : String(example);
  const requests: FuzzRequest[] = [
    send('no body, no content-type', undefined),
    send('empty JSON body', '', json),
    send('JSON body without a content-type', exampleText),
    send('example as text/plain', exampleText, 'text/plain'),
    send(
      'form post with NUL and surrogate bytes',
      'email=a%00b%40example.com&first_name=%ED%A0%80&__proto__=x&constructor=y',
      form,
    ),
    // Web forms reach POST /v1/leads through a parser of their own, outside the OpenAPI body schema.
    send(
      'form post with repeated, bracketed and prototype keys',
      'email=ada%40example.com&email=grace%40example.org&email[]=x&__proto__[polluted]=1&constructor[prototype][polluted]=1&marketing_consent=yes&opted_out=on',
      form,
    ),
    send('form post with a 1 MB field', `email=ada%40example.com&first_name=${'a'.repeat(oneMegabyte)}`, form),
    send(
      'form post with a hostile referrer and Referer header',
      'email=ada%40example.com&referrer=%ED%A0%80%00&page_url=javascript%3Aalert(1)&utm_source=%00',
      form,
      { referer: `https://example.com/${'p'.repeat(8000)}` },
    ),
    send(
      'multipart body',
      '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n',
      'multipart/form-data; boundary=x',
    ),
    send('example as UTF-16 JSON', Buffer.from(exampleText, 'utf16le'), 'application/json; charset=utf-16'),
    send('example declared Latin-1', exampleText, 'application/json; charset=iso-8859-1'),
    send('upper-case media type', exampleText, 'APPLICATION/JSON'),
    send('vendor JSON media type', exampleText, 'application/vnd.api+json'),
    send('CSV media type', 'email\r\nada@example.com\r\n', 'text/csv'),
    send('malformed content-type', exampleText, '/;;'),
    send(
      'invalid UTF-8 in JSON',
      Buffer.from([
        0x7b, 0x22, 0x65, 0x6d, 0x61, 0x69, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d,
      ]),
      json,
    ),
    send('byte-order mark before JSON', `\ufeff${exampleText}`, json),
    send('truncated JSON', '{"a":', json),
    send('trailing comma', '{"a":1,}', json),
    send('single quotes', "{'a':1}", json),
    send('trailing garbage', '{"a":1}}', json),
    send('NaN', 'NaN', json),
    send('raw NUL inside a JSON string', '{"email":"a\u0000b"}', json),
    send('JSON null', 'null', json),
    send('JSON array', '[]', json),
    send('JSON string', '"x"', json),
    send('JSON number 1e309', '1e309', json),
    send('JSON number 2^53 + 1', '9007199254740993', json),
    send('10,000-deep arrays at the top', renderJson(deepArray(10_000)), json),
    send('10,000-deep objects at the top', renderJson(deepObject(10_000)), json),
    send('100,000-deep arrays at the top', renderJson(deepArray(100_000)), json),
    send('1 MB string at the top', renderJson('a'.repeat(oneMegabyte)), json),
    send('2 MB body (over the limit)', renderJson({ padding: 'a'.repeat(2 * oneMegabyte) }), json),
    send('duplicate keys', `{"a":1,"a":{"b":2},"a":[3]}`, json),
    send(
      '50,000 keys',
      renderJson(Object.fromEntries(Array.from({ length: 50_000 }, (_, index) => [`k${index}`, index]))),
      json,
    ),
  ];
  if (isJsonOperation(operation) && isPlainObject(example)) {
    for (const key of prototypeKeys) {
      for (const value of [{ polluted: true }, { prototype: { polluted: true } }]) {
        requests.push(
          send(
            `example with ${key}=${JSON.stringify(value)} at every level`,
            renderJson(withKeyEverywhere(example, key, value)),
            json,
          ),
        );
      }
    }
    requests.push(
      send(
        'example with a 1 MB string under a new key',
        renderJson({ ...example, unexpected: 'a'.repeat(oneMegabyte) }),
        json,
      ),
    );
    requests.push(
      send(
        'example with 10,000-deep arrays under a new key',
        renderJson({ ...example, unexpected: deepArray(10_000) }),
        json,
      ),
    );
  }
  if (!isJsonOperation(operation)) {
    const mediaType = operation.body?.mediaType ?? 'text/plain';
    requests.push(
      send('text: empty', '', mediaType),
      send('text: header only', 'email,phone\r\n', mediaType),
      send('text: NUL in a cell', 'email,firstName\r\nada@example.com,A\u0000da\r\n', mediaType),
      send(
        'text: invalid UTF-8',
        Buffer.concat([Buffer.from('email\r\n'), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('\r\n')]),
        mediaType,
      ),
      send('text: unbalanced quote', 'email\r\n"ada@example.com\r\n', mediaType),
      send(
        'text: prototype keys as column names',
        '__proto__,constructor,prototype,email\r\na,b,c,ada@example.com\r\n',
        mediaType,
      ),
      send(
        'text: 10,000 columns',
        `${Array.from({ length: 10_000 }, (_, index) => `c${index}`).join(',')}\r\n`,
        mediaType,
      ),
      send('text: 1 MB cell', `email,firstName\r\nada@example.com,${'a'.repeat(oneMegabyte)}\r\n`, mediaType),
      send('text: numbers too large', 'email,company.size\r\nada@example.com,9007199254740993\r\n', mediaType),
      send('text: as JSON', renderJson({ email: 'ada@example.com' }), json),
    );
  }
  return requests;
}

/** The most plausible parameters for the fixed requests: required ones only, a seeded id, an example or a default first. */
export function fixedParts(operation: WriteOperation, known: KnownValues, seed: number): Omit<Parts, 'body'> {
  const parts: Omit<Parts, 'body'> = { path: {}, query: {}, headers: {} };
  for (const parameter of operation.parameters.filter(isRequired)) {
    const plausible = [
      ...(known[parameter.name] ?? []),
      ...(parameter.schema.examples ?? []),
      parameter.schema.default,
    ];
    const value =
      plausible.find((item) => item !== undefined) ??
      fc.sample(valueArbitrary(parameter.schema, known, 0, parameter.name), { seed, numRuns: 1 })[0];
    const group = parameter.in === 'header' ? 'headers' : parameter.in;
    parts[group][parameter.name] = parameterText(parameter, value);
  }
  return parts;
}
