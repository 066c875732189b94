import { describe, expect, it } from 'vitest';
import { roiRows } from './channel-roi.ts';

describe('ROI rows', () => {
  const costs = [
    { key: 'ad', amount: 250 },
    { key: 'ad', amount: 150 },
  ];

  it('divides cost by leads and by won deals, and nets attributed revenue against cost per model', () => {
    const rows = roiRows({
      costs,
      leads: [{ key: 'ad', amount: 8 }],
      wonDeals: [{ key: 'ad', amount: 2 }],
      revenue: [{ key: 'ad', model: 'linear', amount: 1_000 }],
      models: ['linear'],
    });
    expect(rows).toEqual([
      {
        key: 'ad',
        model: 'linear',
        cost: 400,
        leads: 8,
        wonDeals: 2,
        costPerLead: 50,
        cac: 200,
        attributedRevenue: 1_000,
        roi: 1.5,
      },
    ]);
  });

  it('gives a key with no credit under a model a revenue of 0 there, so ROI −1', () => {
    const rows = roiRows({ costs, leads: [], wonDeals: [], revenue: [], models: ['first_touch'] });
    expect(rows).toEqual([
      {
        key: 'ad',
        model: 'first_touch',
        cost: 400,
        leads: 0,
        wonDeals: 0,
        costPerLead: null,
        cac: null,
        attributedRevenue: 0,
        roi: -1,
      },
    ]);
  });

  it('has no ROI without cost, and no model when nothing was attributed', () => {
    const rows = roiRows({ costs: [], leads: [{ key: 'event', amount: 3 }], wonDeals: [], revenue: [], models: [] });
    expect(rows).toEqual([
      {
        key: 'event',
        model: null,
        cost: 0,
        leads: 3,
        wonDeals: 0,
        costPerLead: 0,
        cac: null,
        attributedRevenue: 0,
        roi: null,
      },
    ]);
  });

  it('lists keys by name, the campaign-less total last, once per model', () => {
    const rows = roiRows({
      costs: [{ key: 'b', amount: 1 }],
      leads: [{ key: null, amount: 1 }],
      wonDeals: [{ key: 'a', amount: 1 }],
      revenue: [],
      models: ['linear', 'markov'],
    });
    expect(rows.map((row) => [row.key, row.model])).toEqual([
      ['a', 'linear'],
      ['a', 'markov'],
      ['b', 'linear'],
      ['b', 'markov'],
      [null, 'linear'],
      [null, 'markov'],
    ]);
  });
});
