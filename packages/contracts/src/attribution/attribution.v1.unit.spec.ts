import { describe, expect, it } from 'vitest';
import { catalogueEntryByCloudEventType } from '../catalogue.ts';
import { issuesOf } from '../schema-test-support.ts';
import { attributionCalculatedV1Example, attributionCalculatedV1Schema } from './attribution-calculated.v1.ts';
import { campaignCostRecordedV1Example, campaignCostRecordedV1Schema } from './campaign-cost-recorded.v1.ts';

const credit = {
  touchId: 't1',
  occurredAt: '2025-01-01T10:00:00+01:00',
  channel: 'web_form',
  weight: 1,
  amount: 100.1,
};
const minimal = {
  opportunityId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 't1',
  model: 'linear',
  calculatedAt: '2025-02-01T00:00:00Z',
  wonAt: '2025-02-01T00:00:00Z',
  amount: 100.1,
  currency: 'EUR',
  credits: [credit],
  byChannel: [{ channel: 'web_form', amount: 100.1 }],
  byCampaign: [{ campaign: null, amount: 100.1 }],
  config: {},
  fellBackToLinear: false,
  revision: 1,
};

describe('AttributionCalculated v1', () => {
  it('accepts the catalogue example', () => {
    expect(attributionCalculatedV1Schema.parse(attributionCalculatedV1Example)).toEqual(attributionCalculatedV1Example);
  });

  it('accepts one touch holding the whole amount', () => {
    expect(issuesOf(attributionCalculatedV1Schema, minimal)).toEqual([]);
  });

  it('accepts credits whose cents add up although their floating-point sum does not', () => {
    const split = [0.1, 0.2].map((amount, index) => ({ ...credit, touchId: `t${index}`, weight: 0.5, amount }));
    const data = {
      ...minimal,
      amount: 0.3,
      credits: split,
      byChannel: [{ channel: 'web_form', amount: 0.3 }],
      byCampaign: [{ campaign: null, amount: 0.3 }],
    };
    expect(issuesOf(attributionCalculatedV1Schema, data)).toEqual([]);
  });

  it.each([
    ['credits', { ...minimal, credits: [{ ...credit, amount: 100 }] }],
    ['byChannel', { ...minimal, byChannel: [{ channel: 'web_form', amount: 100 }] }],
    ['byCampaign', { ...minimal, byCampaign: [] }],
  ])('rejects %s that do not add up to the amount', (field, data) => {
    expect(issuesOf(attributionCalculatedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });

  it.each([
    ['model', { ...minimal, model: 'u_shaped' }],
    ['revision', { ...minimal, revision: 0 }],
    ['credits.0.weight', { ...minimal, credits: [{ ...credit, weight: 1.5 }] }],
    ['credits.0.channel', { ...minimal, credits: [{ ...credit, channel: 'carrier_pigeon' }] }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(attributionCalculatedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });

  it('is published as l2o.attribution.calculated.v1 on the attribution topic', () => {
    expect(catalogueEntryByCloudEventType('l2o.attribution.calculated.v1')).toMatchObject({
      name: 'AttributionCalculated',
      aggregate: 'attribution',
      topic: 'l2o.attribution.v1',
    });
  });
});

describe('CampaignCostRecorded v1', () => {
  it('accepts the catalogue example', () => {
    expect(campaignCostRecordedV1Schema.parse(campaignCostRecordedV1Example)).toEqual(campaignCostRecordedV1Example);
  });

  it.each([
    ['date', { ...campaignCostRecordedV1Example, date: '2025-02-30' }],
    ['amount', { ...campaignCostRecordedV1Example, amount: -1 }],
    ['amount', { ...campaignCostRecordedV1Example, amount: 1.234 }],
    ['currency', { ...campaignCostRecordedV1Example, currency: 'eur' }],
    ['campaign', { ...campaignCostRecordedV1Example, campaign: '' }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(campaignCostRecordedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });

  it('is published as l2o.attribution.campaign_cost_recorded.v1 on the attribution topic', () => {
    expect(catalogueEntryByCloudEventType('l2o.attribution.campaign_cost_recorded.v1')).toMatchObject({
      name: 'CampaignCostRecorded',
      topic: 'l2o.attribution.v1',
    });
  });
});
