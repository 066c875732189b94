import { scoringRuleSetSchema } from './rule-set.schema.ts';
import type { ScoringRuleSet } from './rule-set.schema.ts';

const freeMailDomains = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'icloud.com',
  'aol.com',
  'gmx.de',
  'web.de',
  'proton.me',
  'protonmail.com',
];

/**
 * The rule set of a tenant that has not written its own: a B2B profile (senior buyers at large
 * companies in target industries and markets, with a budget) and buying-intent activities that
 * lose half their weight every 14 days. Predictive scoring starts once 30 outcomes are closed.
 */
export const defaultScoringRuleSet: ScoringRuleSet = scoringRuleSetSchema.parse({
  fit: {
    rules: [
      {
        id: 'seniority-c-level',
        label: 'C-level title',
        field: 'contact.seniority',
        operator: 'equals',
        value: 'c_level',
        points: 30,
      },
      {
        id: 'seniority-vp',
        label: 'VP title',
        field: 'contact.seniority',
        operator: 'equals',
        value: 'vp',
        points: 30,
      },
      {
        id: 'seniority-director',
        label: 'Director title',
        field: 'contact.seniority',
        operator: 'equals',
        value: 'director',
        points: 20,
      },
      {
        id: 'seniority-manager',
        label: 'Manager title',
        field: 'contact.seniority',
        operator: 'equals',
        value: 'manager',
        points: 10,
      },
      {
        id: 'size-enterprise',
        label: '1,000 or more employees',
        field: 'company.size',
        operator: 'gte',
        value: 1000,
        points: 25,
      },
      {
        id: 'size-mid-market',
        label: '200 to 999 employees',
        field: 'company.size',
        operator: 'between',
        value: [200, 999],
        points: 15,
      },
      {
        id: 'industry-target',
        label: 'Target industry',
        field: 'company.industry',
        operator: 'contains',
        value: ['software', 'saas', 'financial services', 'banking', 'fintech', 'healthcare', 'health care'],
        points: 25,
      },
      {
        id: 'country-target',
        label: 'Target market',
        field: 'company.country',
        operator: 'in',
        value: ['US', 'CA', 'GB', 'IE', 'DE', 'AT', 'CH', 'FR', 'NL', 'SE', 'DK', 'NO', 'AU'],
        points: 10,
      },
      { id: 'budget-known', label: 'Budget stated', field: 'customFields.budget', operator: 'exists', points: 15 },
      {
        id: 'free-mail',
        label: 'Personal email address',
        field: 'contact.emailDomain',
        operator: 'in',
        value: freeMailDomains,
        points: -25,
      },
    ],
  },
  engagement: {
    halfLifeDays: 14,
    activities: {
      pricing_page_view: { points: 15, cap: 30 },
      demo_requested: { points: 30, cap: 30 },
      content_download: { points: 10, cap: 20 },
      webinar_attended: { points: 10, cap: 20 },
      email_click: { points: 5, cap: 15 },
      email_open: { points: 1, cap: 5 },
      page_view: { points: 2, cap: 10 },
    },
  },
  predictive: {
    enabled: true,
    features: ['contact.seniority', 'company.industry', 'company.size', 'company.country', 'firstTouch.channel'],
  },
});
