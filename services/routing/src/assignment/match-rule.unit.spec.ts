import { describe, expect, it } from 'vitest';
import { rule } from './assignment.fixture.ts';
import { matchRule } from './match-rule.ts';

describe('matchRule', () => {
  const enterpriseUk = rule('enterprise-uk', {
    poolId: 'uk-enterprise',
    conditions: { countries: ['GB'], companySize: { min: 1000 } },
  });
  const uk = rule('uk', { poolId: 'uk', conditions: { countries: ['GB', 'IE'] } });
  const everyone = rule('everyone', { poolId: 'general', conditions: {} });

  describe('in order', () => {
    it('takes the first rule that matches, not the most specific', () => {
      expect(matchRule({ country: 'GB', employees: 5000 }, [uk, enterpriseUk])?.id).toBe('uk');
    });

    it('goes on to a later rule when an earlier one does not match', () => {
      expect(matchRule({ country: 'GB', employees: 50 }, [enterpriseUk, uk])?.id).toBe('uk');
    });

    it('returns undefined when no rule matches', () => {
      expect(matchRule({ country: 'FR' }, [enterpriseUk, uk])).toBeUndefined();
    });

    it('lets a rule without conditions match every lead', () => {
      expect(matchRule({}, [uk, everyone])?.id).toBe('everyone');
    });
  });

  describe('per condition', () => {
    it.each([
      { field: 'countries', conditions: { countries: ['de'] }, lead: { country: 'DE' } },
      { field: 'states', conditions: { states: ['California'] }, lead: { state: ' california ' } },
      { field: 'industries', conditions: { industries: ['Software'] }, lead: { industry: 'SOFTWARE' } },
      { field: 'productLines', conditions: { productLines: ['Payments'] }, lead: { productLine: 'payments' } },
      { field: 'sources', conditions: { sources: ['webinar'] }, lead: { source: 'Webinar' } },
      { field: 'channels', conditions: { channels: ['Paid Search'] }, lead: { channel: 'paid search' } },
    ])('matches $field case-insensitively', ({ conditions, lead }) => {
      expect(matchRule(lead, [rule('r', { poolId: 'p', conditions })])?.id).toBe('r');
    });

    it.each([
      { field: 'countries', conditions: { countries: ['DE'] } },
      { field: 'states', conditions: { states: ['CA'] } },
      { field: 'industries', conditions: { industries: ['Software'] } },
      { field: 'productLines', conditions: { productLines: ['Payments'] } },
      { field: 'sources', conditions: { sources: ['webinar'] } },
      { field: 'channels', conditions: { channels: ['email'] } },
      { field: 'companySize', conditions: { companySize: { min: 0 } } },
      { field: 'score', conditions: { score: { max: 100 } } },
    ])('fails $field when the lead does not say', ({ conditions }) => {
      expect(matchRule({}, [rule('r', { poolId: 'p', conditions })])).toBeUndefined();
    });

    it.each([
      { employees: 199, matches: false },
      { employees: 200, matches: true },
      { employees: 1000, matches: true },
      { employees: 1001, matches: false },
    ])('reads company size bounds as inclusive ($employees employees → $matches)', ({ employees, matches }) => {
      const midMarket = rule('mid', { poolId: 'p', conditions: { companySize: { min: 200, max: 1000 } } });
      expect(matchRule({ employees }, [midMarket]) !== undefined).toBe(matches);
    });

    it.each([
      { score: 79.5, matches: false },
      { score: 80, matches: true },
    ])('reads a score minimum as inclusive ($score → $matches)', ({ score, matches }) => {
      const hot = rule('hot', { poolId: 'p', conditions: { score: { min: 80 } } });
      expect(matchRule({ score }, [hot]) !== undefined).toBe(matches);
    });

    it('requires every condition of a rule to hold', () => {
      const ukSoftware = rule('uk-software', {
        poolId: 'p',
        conditions: { countries: ['GB'], industries: ['Software'] },
      });
      expect(matchRule({ country: 'GB', industry: 'Retail' }, [ukSoftware])).toBeUndefined();
    });
  });
});
