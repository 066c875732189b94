import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import {
  opportunityAmountChangedV1Example,
  opportunityAmountChangedV1Schema,
} from './opportunity-amount-changed.v1.ts';

const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  tenantId: 't1',
  changedAt: '2025-01-01T00:00:00Z',
  amount: 0,
  previousAmount: 99.99,
  currency: 'JPY',
};

describe('OpportunityAmountChanged v1', () => {
  it('accepts the catalogue example', () => {
    expect(opportunityAmountChangedV1Schema.parse(opportunityAmountChangedV1Example)).toEqual(
      opportunityAmountChangedV1Example,
    );
  });

  it('accepts an amount lowered to zero', () => {
    expect(issuesOf(opportunityAmountChangedV1Schema, minimal)).toEqual([]);
  });

  it.each([
    ['amount', { ...minimal, amount: -0.01 }],
    ['previousAmount', { ...minimal, previousAmount: 0.001 }],
    ['currency', { ...minimal, currency: '€' }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(opportunityAmountChangedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
