import { describe, expect, it } from 'vitest';
import { identityKeys } from './identity-keys.ts';
import type { IdentitySource, MatchRule } from './identity-keys.ts';
import { normalizeSubmission } from './normalize-submission.ts';

const ada: IdentitySource = {
  email: 'ada@acme.com',
  phone: '+442079460000',
  firstName: 'Ada',
  lastName: 'King Lovelace',
  externalId: { source: 'hubspot', id: '51234' },
  company: { domain: 'acme.com' },
};

describe('identityKeys', () => {
  describe('per rule set', () => {
    it.each<{ rules: MatchRule[] | undefined; expected: Array<[MatchRule, string]> }>([
      {
        rules: undefined,
        expected: [
          ['email', 'ada@acme.com'],
          ['phone', '+442079460000'],
          ['external_id', 'hubspot:51234'],
          ['domain_and_name', 'acme.com:ada king lovelace'],
        ],
      },
      {
        rules: ['external_id', 'email'],
        expected: [
          ['external_id', 'hubspot:51234'],
          ['email', 'ada@acme.com'],
        ],
      },
      {
        rules: ['domain_and_name', 'phone'],
        expected: [
          ['domain_and_name', 'acme.com:ada king lovelace'],
          ['phone', '+442079460000'],
        ],
      },
      { rules: ['phone'], expected: [['phone', '+442079460000']] },
      { rules: [], expected: [] },
    ])('$rules', ({ rules, expected }) => {
      expect(identityKeys(ada, rules)).toEqual(expected.map(([kind, value]) => ({ kind, value })));
    });
  });

  it('leaves out the keys whose fields are missing', () => {
    expect(identityKeys({ phone: '+12015550123', company: {} })).toEqual([{ kind: 'phone', value: '+12015550123' }]);
  });

  describe('domain_and_name', () => {
    it.each<{ name: string; source: IdentitySource }>([
      { name: 'a free-mail domain', source: { ...ada, company: { domain: 'gmail.com' } } },
      { name: 'no domain', source: { ...ada, company: {} } },
      { name: 'no company', source: { ...ada, company: undefined } },
      { name: 'no first name', source: { ...ada, firstName: undefined } },
      { name: 'no last name', source: { ...ada, lastName: undefined } },
    ])('is left out with $name', ({ source }) => {
      expect(identityKeys(source, ['domain_and_name'])).toEqual([]);
    });
  });

  it('keys a normalized submission', () => {
    const result = normalizeSubmission(
      {
        email: ' ADA@Acme.com',
        phone: '(201) 555-0123',
        firstName: 'ADA',
        lastName: ' Lovelace ',
        externalId: { source: 'Salesforce', id: '0035g00000AbCdE' },
      },
      { defaultCountry: 'US' },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(identityKeys(result.value)).toEqual([
      { kind: 'email', value: 'ada@acme.com' },
      { kind: 'phone', value: '+12015550123' },
      { kind: 'external_id', value: 'salesforce:0035g00000AbCdE' },
      { kind: 'domain_and_name', value: 'acme.com:ada lovelace' },
    ]);
  });
});
