import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';

/** The part of JSON Schema (as `@fastify/swagger` writes zod schemas into OpenAPI 3.1) that inputs are generated from. */
export type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
};

/**
 * Values known to exist in the service under test (ids of seeded leads, reps, opportunities), by
 * property or parameter name; a generated value of that name is often one of them, so inputs reach
 * past "not found" into the code that stores them.
 */
export type KnownValues = Readonly<Record<string, readonly unknown[]>>;

/** The scalar values of `examples` by the property that holds them: an example's email is a good email. */
export function valuesByName(
  examples: readonly unknown[],
  into: Record<string, unknown[]> = {},
): Record<string, unknown[]> {
  const visit = (value: unknown, name: string | undefined): void => {
    if (Array.isArray(value)) value.forEach((item) => visit(item, name));
    else if (typeof value === 'object' && value !== null)
      Object.entries(value).forEach(([key, item]) => visit(item, key));
    else if (name !== undefined && !(into[name] ??= []).includes(value)) into[name].push(value);
  };
  examples.forEach((example) => visit(example, undefined));
  return into;
}

const maxDepth = 8;
const isoRange = { min: new Date('2000-01-01T00:00:00.000Z'), max: new Date('2035-12-31T23:59:59.999Z') };

function examplesOf(schema: JsonSchema): unknown[] {
  return [schema.example, schema.default, ...(schema.examples ?? [])].filter((value) => value !== undefined);
}

/** Branches of an `anyOf` that only add constraints (`{required: [...]}`) narrow the schema they sit in. */
function isConstraintOnly(branch: JsonSchema): boolean {
  return branch.type === undefined && branch.properties === undefined && branch.anyOf === undefined;
}

function merge(base: JsonSchema, extra: JsonSchema): JsonSchema {
  return {
    ...base,
    ...extra,
    properties: { ...base.properties, ...extra.properties },
    required: [...new Set([...(base.required ?? []), ...(extra.required ?? [])])],
  };
}

function stringArbitrary(schema: JsonSchema): Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ ...isoRange, noInvalidDate: true }).map((date) => date.toISOString());
    case 'date':
      return fc.date({ ...isoRange, noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'url':
      return fc.webUrl();
  }
  if (schema.pattern !== undefined) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).map((value) => value.slice(0, schema.maxLength));
    } catch {
      // A pattern fast-check cannot generate from falls back to plain text of the right length.
    }
  }
  return fc.oneof(
    { arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme-ascii' }), weight: 4 },
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
  );
}

/** Bounds as whole multiples of `step`; no filter, since a filter nothing passes never returns. */
function numberArbitrary(schema: JsonSchema, integer: boolean): Arbitrary<number> {
  const step = integer ? 1 : (schema.multipleOf ?? 0.01);
  const low = Math.max(schema.exclusiveMinimum ?? schema.minimum ?? -1e6, -1e9) / step;
  const high = Math.min(schema.exclusiveMaximum ?? schema.maximum ?? 1e6, 1e9) / step;
  const min = schema.exclusiveMinimum === undefined ? Math.ceil(low) : Math.floor(low) + 1;
  const max = schema.exclusiveMaximum === undefined ? Math.floor(high) : Math.ceil(high) - 1;
  return fc.integer({ min, max: Math.max(min, max) }).map((units) => Number((units * step).toFixed(10)));
}

function objectArbitrary(schema: JsonSchema, known: KnownValues, depth: number): Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const record = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, valueArbitrary(property, known, depth + 1, name)]),
  );
  const required = (schema.required ?? []).filter((name) => name in properties);
  const fixed = fc.record(record, { requiredKeys: required });
  const extra = schema.additionalProperties;
  if (typeof extra !== 'object') return fixed;
  const keys =
    schema.propertyNames === undefined
      ? fc.string({ minLength: 1, maxLength: 20 })
      : stringArbitrary(schema.propertyNames);
  const dictionary = fc.dictionary(keys, valueArbitrary(extra, known, depth + 1), { maxKeys: 4 });
  return fc.tuple(fixed, dictionary).map(([named, more]) => ({ ...more, ...(named as object) }));
}

function byType(type: string, schema: JsonSchema, known: KnownValues, depth: number): Arbitrary<unknown> {
  switch (type) {
    case 'object':
      return objectArbitrary(schema, known, depth);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, minLength + 4));
      if (schema.prefixItems !== undefined) {
        return fc.tuple(...schema.prefixItems.map((item) => valueArbitrary(item, known, depth + 1)));
      }
      return fc.array(valueArbitrary(schema.items ?? {}, known, depth + 1), { minLength, maxLength });
    }
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Valid-looking values of `schema`: its examples, and values generated within its types, formats,
 * patterns, bounds and required properties. Not every value is valid (cross-field rules are not in
 * the schema), which is fine for a fuzzer: what matters is that most reach past validation.
 */
export function valueArbitrary(
  schema: JsonSchema,
  known: KnownValues = {},
  depth = 0,
  name?: string,
): Arbitrary<unknown> {
  const generated = generatedArbitrary(schema, known, depth);
  const knownHere = name === undefined ? undefined : known[name];
  const examples = examplesOf(schema);
  const choices: Array<{ arbitrary: Arbitrary<unknown>; weight: number }> = [{ arbitrary: generated, weight: 3 }];
  if (examples.length > 0) choices.push({ arbitrary: fc.constantFrom(...examples), weight: 2 });
  if (knownHere !== undefined && knownHere.length > 0)
    choices.push({ arbitrary: fc.constantFrom(...knownHere), weight: 6 });
  return choices.length === 1 ? generated : fc.oneof(...choices);
}

function generatedArbitrary(schema: JsonSchema, known: KnownValues, depth: number): Arbitrary<unknown> {
  if (depth > maxDepth) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (schema.allOf !== undefined) {
    const { allOf, ...rest } = schema;
    return generatedArbitrary(allOf.reduce(merge, rest), known, depth);
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined && branches.length > 0) {
    const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
    if (branches.every(isConstraintOnly)) {
      return fc.oneof(...branches.map((branch) => generatedArbitrary(merge(rest, branch), known, depth)));
    }
    return fc.oneof(...branches.map((branch) => generatedArbitrary(branch, known, depth)));
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (types.length === 0)
    return schema.properties === undefined ? fc.jsonValue({ maxDepth: 2 }) : objectArbitrary(schema, known, depth);
  return fc.oneof(...types.map((type) => byType(type, schema, known, depth)));
}
