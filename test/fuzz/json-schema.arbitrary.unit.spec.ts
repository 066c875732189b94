import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueArbitrary, valuesByName } from './json-schema.arbitrary.ts';
import type { JsonSchema } from './json-schema.arbitrary.ts';

const amount: JsonSchema = { type: 'number', exclusiveMinimum: 0, maximum: 1000, multipleOf: 0.01 };
const lead: JsonSchema = {
  type: 'object',
  properties: {
    leadId: { type: 'string', format: 'uuid' },
    channel: { type: 'string', enum: ['web_form', 'api'] },
    size: { type: 'integer', minimum: 1, maximum: 10 },
    amount,
  },
  required: ['leadId', 'channel'],
};

describe('valueArbitrary', () => {
  it('generates values within types, enums, bounds and required properties', () => {
    fc.assert(
      fc.property(valueArbitrary(lead), (value) => {
        const record = value as Record<string, unknown>;
        expect(record.leadId).toMatch(/^[0-9a-f-]{36}$/);
        expect(['web_form', 'api']).toContain(record.channel);
        if ('size' in record)
          expect(record.size).toSatisfy((size: number) => Number.isInteger(size) && size >= 1 && size <= 10);
        if ('amount' in record) expect(record.amount).toSatisfy((value: number) => value > 0 && value <= 1000);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('often picks a known value for a property of that name', () => {
    const known = { leadId: ['6f1c2e0a-1b2c-4d3e-8f4a-5b6c7d8e9f00'] };
    const values = fc.sample(valueArbitrary(lead, known), { seed: 1, numRuns: 200 });

    const hits = values.filter((value) => (value as { leadId: string }).leadId === known.leadId[0]).length;
    expect(hits).toBeGreaterThan(50);
  });
});

describe('valuesByName', () => {
  it('collects the scalars of examples by the property that holds them', () => {
    expect(valuesByName([{ email: 'ada@example.com', company: { country: 'GB' }, tags: ['a', 'b'] }])).toEqual({
      email: ['ada@example.com'],
      country: ['GB'],
      tags: ['a', 'b'],
    });
  });
});
