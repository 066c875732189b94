import { describe, expect, it } from 'vitest';
import { leadCapturedV1Example, leadProfileUpdatedV1Example, leadScoredV1Example } from '@l2o/contracts';
import { routableLeadAfter } from './routable-lead.ts';

const captured = {
  ...leadCapturedV1Example,
  customFields: { productLine: ' Analytics ', state: 'CA', seats: 25 },
};

describe('routableLeadAfter', () => {
  it('reads company, custom fields and the touchpoint of a capture', () => {
    const lead = routableLeadAfter({}, { type: 'LeadCaptured', data: captured });

    expect(lead).toEqual({
      country: 'GB',
      industry: 'Software',
      employees: 120,
      productLine: 'Analytics',
      state: 'CA',
      source: 'website',
      channel: 'web_form',
    });
  });

  it('keeps the fields a profile update leaves out and takes the ones it sets', () => {
    const before = routableLeadAfter({}, { type: 'LeadCaptured', data: captured });
    const after = routableLeadAfter(before, {
      type: 'LeadProfileUpdated',
      data: { ...leadProfileUpdatedV1Example, company: { size: 900 }, customFields: { productLine: 'Platform' } },
    });

    expect(after).toMatchObject({ country: 'GB', employees: 900, productLine: 'Platform', channel: 'web_form' });
  });

  it('ignores custom fields that are not text', () => {
    const lead = routableLeadAfter(
      {},
      { type: 'LeadCaptured', data: { ...captured, customFields: { productLine: 7, state: '  ' } } },
    );

    expect(lead).not.toHaveProperty('productLine');
    expect(lead).not.toHaveProperty('state');
  });

  it('records the score of a LeadScored', () => {
    const lead = routableLeadAfter(
      { country: 'DE' },
      { type: 'LeadScored', data: { ...leadScoredV1Example, score: 81 } },
    );

    expect(lead).toEqual({ country: 'DE', score: 81 });
  });
});
