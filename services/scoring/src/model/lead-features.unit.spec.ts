import { describe, expect, it } from 'vitest';
import { employeeBand, featuresOf } from './lead-features.ts';
import { lead } from './scoring-input.fixture.ts';

describe('featuresOf', () => {
  it('puts company sizes into bands', () => {
    expect([1, 49, 50, 199, 200, 999, 1000, 4999, 5000, 250_000].map(employeeBand)).toEqual([
      '1-49',
      '1-49',
      '50-199',
      '50-199',
      '200-999',
      '200-999',
      '1000-4999',
      '1000-4999',
      '5000+',
      '5000+',
    ]);
  });

  it('reads text in lower case and single spaces', () => {
    const input = lead({ company: { industry: '  Financial   Services ', size: 300 } });
    expect(featuresOf(input, ['company.industry', 'company.size'])).toEqual({
      'company.industry': 'financial services',
      'company.size': '200-999',
    });
  });

  it('calls a missing value unknown', () => {
    const input = lead({ customFields: { budget: null } });
    expect(featuresOf(input, ['company.country', 'customFields.budget', 'firstTouch.channel'])).toEqual({
      'company.country': 'unknown',
      'customFields.budget': 'unknown',
      'firstTouch.channel': 'unknown',
    });
  });

  it('puts other numbers into orders of magnitude', () => {
    const input = lead({ customFields: { budget: 25_000, seats: 0, score: 7 } });
    expect(featuresOf(input, ['customFields.budget', 'customFields.seats', 'customFields.score'])).toEqual({
      'customFields.budget': '10000-99999',
      'customFields.seats': '0',
      'customFields.score': '1-9',
    });
  });

  it('reads booleans and derived fields', () => {
    const input = lead({ contact: { jobTitle: 'Head of IT' }, customFields: { budgetApproved: true } });
    expect(featuresOf(input, ['contact.seniority', 'customFields.budgetApproved'])).toEqual({
      'contact.seniority': 'director',
      'customFields.budgetApproved': 'true',
    });
  });
});
