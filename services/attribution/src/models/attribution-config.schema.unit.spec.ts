import { describe, expect, it } from 'vitest';
import { attributionConfigSchema, defaultAttributionConfig } from './attribution-config.schema.ts';
import { attributionModels } from './attribution-model.ts';

const issuePaths = (input: unknown) =>
  attributionConfigSchema.safeParse(input).error?.issues.map((issue) => issue.path.join('.'));

describe('attribution config', () => {
  it('defaults to every model with the usual weights', () => {
    expect(defaultAttributionConfig()).toEqual({
      models: [...attributionModels],
      positionBased: { first: 40, middle: 20, last: 40 },
      wShaped: { firstTouch: 30, leadCreated: 30, opportunityCreated: 30, rest: 10 },
      fullPath: { firstTouch: 22.5, leadCreated: 22.5, opportunityCreated: 22.5, closedWon: 22.5, rest: 10 },
      timeDecay: { halfLifeDays: 7 },
      shapley: { value: 'conversion_count', maxChannels: 12 },
    });
  });

  it('hands out a fresh default each time', () => {
    const first = defaultAttributionConfig();
    first.models.pop();
    expect(defaultAttributionConfig().models).toHaveLength(attributionModels.length);
  });

  it('keeps the defaults of the groups left out', () => {
    const config = attributionConfigSchema.parse({ timeDecay: { halfLifeDays: 30 } });
    expect(config.timeDecay).toEqual({ halfLifeDays: 30 });
    expect(config.positionBased).toEqual({ first: 40, middle: 20, last: 40 });
  });

  it('accepts shares that add up to 100 within float error', () => {
    expect(issuePaths({ positionBased: { first: 33.3, middle: 33.3, last: 33.4 } })).toBeUndefined();
  });

  it.each([
    ['positionBased', { positionBased: { first: 50, middle: 20, last: 50 } }],
    ['wShaped', { wShaped: { firstTouch: 30, leadCreated: 30, opportunityCreated: 30, rest: 0 } }],
    ['fullPath', { fullPath: { firstTouch: 25, leadCreated: 25, opportunityCreated: 25, closedWon: 25, rest: 10 } }],
  ])('refuses %s shares that do not add up to 100', (path, input) => {
    expect(issuePaths(input)).toEqual([path]);
  });

  it('refuses a group given in part', () => {
    expect(issuePaths({ positionBased: { first: 60, last: 40 } })).toEqual(['positionBased.middle']);
  });

  it('refuses a negative share', () => {
    expect(issuePaths({ positionBased: { first: 120, middle: -40, last: 20 } })).toEqual([
      'positionBased.first',
      'positionBased.middle',
    ]);
  });

  it('refuses a half-life of zero', () => {
    expect(issuePaths({ timeDecay: { halfLifeDays: 0 } })).toEqual(['timeDecay.halfLifeDays']);
  });

  it('refuses more Shapley players than the exact sum can afford', () => {
    expect(issuePaths({ shapley: { value: 'conversion_count', maxChannels: 17 } })).toEqual(['shapley.maxChannels']);
  });

  it('refuses an unknown model and a model listed twice', () => {
    expect(issuePaths({ models: ['linear', 'u_shaped'] })).toEqual(['models.1']);
    expect(issuePaths({ models: ['linear', 'linear'] })).toEqual(['models']);
  });

  it('refuses an empty model list', () => {
    expect(issuePaths({ models: [] })).toEqual(['models']);
  });
});
