import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { opportunityOpenedV1Example, opportunityOpenedV1Schema } from './opportunity-opened.v1.ts';

const stage = { id: 'new', name: 'New', probability: 0, forecastCategory: 'omitted', position: 0 };
const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  leadId: '3f1e2d4c-8b7a-4c6d-9e5f-1a2b3c4d5e6f',
  openedAt: '2025-01-01T00:00:00Z',
  ownerId: 'u1',
  name: 'Deal',
  amount: 0,
  currency: 'USD',
  expectedCloseDate: '2025-03-31',
  pipelineId: 'p1',
  stage,
  company: {},
  contact: {},
  fields: {},
};

describe('OpportunityOpened v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityOpenedV1Schema.parse(opportunityOpenedV1Example)).toEqual(opportunityOpenedV1Example);
  });

  it('accepts an opportunity with only the required fields, an empty company and contact', () => {
    expect(issuesOf(opportunityOpenedV1Schema, minimal)).toEqual([]);
  });

  it('accepts an amount with two decimals', () => {
    expect(issuesOf(opportunityOpenedV1Schema, { ...minimal, amount: 1234.56 })).toEqual([]);
  });

  it('strips unknown fields, also inside the stage and company', () => {
    const parsed = opportunityOpenedV1Schema.parse({
      ...minimal,
      score: 80,
      stage: { ...stage, colour: 'red' },
      company: { size: 12 },
    });
    expect(parsed).not.toHaveProperty('score');
    expect(parsed.stage).not.toHaveProperty('colour');
    expect(parsed.company).toEqual({});
  });

  it.each([
    ['opportunityId', { ...minimal, opportunityId: 'opp-1' }],
    ['leadId', { ...minimal, leadId: '' }],
    ['openedAt', { ...minimal, openedAt: '2025-01-01' }],
    ['amount', { ...minimal, amount: -1 }],
    ['amount', { ...minimal, amount: 10.005 }],
    ['amount', { ...minimal, amount: '100' }],
    ['currency', { ...minimal, currency: 'eur' }],
    ['currency', { ...minimal, currency: 'EURO' }],
    ['expectedCloseDate', { ...minimal, expectedCloseDate: '2025-02-30' }],
    ['expectedCloseDate', { ...minimal, expectedCloseDate: '2025-03-31T00:00:00Z' }],
    ['stage.probability', { ...minimal, stage: { ...stage, probability: 101 } }],
    ['stage.probability', { ...minimal, stage: { ...stage, probability: 12.5 } }],
    ['stage.forecastCategory', { ...minimal, stage: { ...stage, forecastCategory: 'upside' } }],
    ['stage.position', { ...minimal, stage: { ...stage, position: -1 } }],
    ['company.country', { ...minimal, company: { country: 'gb' } }],
    ['company.employees', { ...minimal, company: { employees: 0 } }],
    ['contact.email', { ...minimal, contact: { email: 'ada at example' } }],
    ['source.channel', { ...minimal, source: { channel: 'fax' } }],
    ['fields.nested', { ...minimal, fields: { nested: { a: 1 } } }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityOpenedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });

  it('requires the pipeline stage', () => {
    const { stage: _stage, ...rest } = minimal;
    expect(issuesOf(opportunityOpenedV1Schema, rest).map((issue) => issue.field)).toEqual(['stage']);
  });
});
