import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrorOf } from './field-error.ts';

function firstFieldError(schema: z.ZodType, data: unknown, root?: string) {
  const issue = schema.safeParse(data).error?.issues[0];
  if (issue === undefined) throw new Error('expected the data to be refused');
  return fieldErrorOf(issue, root);
}

describe('fieldErrorOf', () => {
  it('joins a nested path with dots', () => {
    const schema = z.object({ company: z.object({ name: z.string() }) });
    expect(firstFieldError(schema, { company: { name: 1 } })).toEqual({
      field: 'company.name',
      reason: expect.stringContaining('string'),
    });
  });

  it('names the root when the whole input is refused', () => {
    expect(firstFieldError(z.object({}), 'x', 'item')).toMatchObject({ field: 'item' });
  });

  it('names the record and quotes a refused key JSON-escaped', () => {
    const schema = z.object({ details: z.record(z.string().max(3, 'at most 3 characters'), z.number()) });
    expect(firstFieldError(schema, { details: { 'ab\ud800cd': 1 } })).toEqual({
      field: 'details',
      reason: 'key "ab\\ud800cd": at most 3 characters',
    });
  });

  it('gives the reason of the one union option of the value’s type', () => {
    const schema = z.object({
      fields: z.record(z.string(), z.union([z.string().max(3, 'at most 3 characters'), z.number(), z.null()])),
    });
    expect(firstFieldError(schema, { fields: { notes: 'abcd' } })).toEqual({
      field: 'fields.notes',
      reason: 'at most 3 characters',
    });
  });

  it('keeps the union’s own reason when no option has the value’s type', () => {
    const schema = z.object({ value: z.union([z.number(), z.boolean()]) });
    expect(firstFieldError(schema, { value: 'x' })).toEqual({ field: 'value', reason: 'Invalid input' });
  });

  it('gives the path inside the one option of an object union', () => {
    const schema = z.object({ item: z.union([z.object({ name: z.string().min(2, 'too short') }), z.number()]) });
    expect(firstFieldError(schema, { item: { name: 'a' } })).toEqual({ field: 'item.name', reason: 'too short' });
  });

  it('names the root for a refused key of a top-level record', () => {
    const schema = z.record(z.string().min(2, 'too short'), z.number());
    expect(firstFieldError(schema, { a: 1 })).toEqual({ field: 'body', reason: 'key "a": too short' });
  });
});
