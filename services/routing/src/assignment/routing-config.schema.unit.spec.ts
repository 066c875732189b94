import { describe, expect, it } from 'vitest';
import { poolSchema, repSchema, routingRuleSchema, routingSettingsSchema } from './routing-config.schema.ts';

const validRep = { id: 'r1', name: 'Ada', active: true, timezone: 'Europe/Berlin' };

describe('repSchema', () => {
  it('accepts a rep with hours, leave and caps', () => {
    const full = {
      ...validRep,
      email: 'ada@example.com',
      workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:30' },
      leave: [
        { from: '2025-08-01', to: '2025-08-14' },
        { from: '2025-09-01T12:00:00+02:00', to: '2025-09-02' },
      ],
      maxOpenLeads: 40,
      dailyQuota: 10,
    };
    expect(repSchema.safeParse(full).success).toBe(true);
  });

  it.each(['Mars/Olympus', '+01:00', 'GMT+1', ''])('refuses the time zone %j', (timezone) => {
    expect(repSchema.safeParse({ ...validRep, timezone }).success).toBe(false);
  });

  it.each([
    { case: 'a weekday of 0', workingHours: { days: [0], start: '09:00', end: '17:00' } },
    { case: 'a day listed twice', workingHours: { days: [1, 1], start: '09:00', end: '17:00' } },
    { case: 'an end before the start', workingHours: { days: [1], start: '17:00', end: '09:00' } },
    { case: 'a start of 24:00', workingHours: { days: [1], start: '24:00', end: '24:00' } },
    { case: 'a time without minutes', workingHours: { days: [1], start: '9', end: '17:00' } },
  ])('refuses working hours with $case', ({ workingHours }) => {
    expect(repSchema.safeParse({ ...validRep, workingHours }).success).toBe(false);
  });

  it.each([
    { case: 'ending before it starts', leave: [{ from: '2025-08-14', to: '2025-08-01' }] },
    { case: 'a date-time without offset', leave: [{ from: '2025-08-01T09:00:00', to: '2025-08-02' }] },
  ])('refuses leave $case', ({ leave }) => {
    expect(repSchema.safeParse({ ...validRep, leave }).success).toBe(false);
  });
});

describe('poolSchema', () => {
  const members = [{ repId: 'r1' }, { repId: 'r2', weight: 3 }];

  it('gives a member a weight of 1 by default', () => {
    expect(poolSchema.parse({ id: 'p', name: 'P', strategy: 'weighted', members }).members).toEqual([
      { repId: 'r1', weight: 1 },
      { repId: 'r2', weight: 3 },
    ]);
  });

  it('refuses a rep listed twice', () => {
    const twice = [{ repId: 'r1' }, { repId: 'r1' }];
    expect(poolSchema.safeParse({ id: 'p', name: 'P', strategy: 'round_robin', members: twice }).success).toBe(false);
  });

  it('refuses an unknown strategy', () => {
    expect(poolSchema.safeParse({ id: 'p', name: 'P', strategy: 'random', members }).success).toBe(false);
  });
});

describe('routingRuleSchema', () => {
  it('refuses an empty list of values', () => {
    const rule = { id: 'r', name: 'R', poolId: 'p', conditions: { countries: [] } };
    expect(routingRuleSchema.safeParse(rule).success).toBe(false);
  });

  it('refuses a range whose minimum exceeds its maximum', () => {
    const rule = { id: 'r', name: 'R', poolId: 'p', conditions: { score: { min: 80, max: 20 } } };
    expect(routingRuleSchema.safeParse(rule).success).toBe(false);
  });
});

describe('routingSettingsSchema', () => {
  it('defaults the SLA to 120 minutes and escalation to the second breach', () => {
    expect(routingSettingsSchema.parse({ rules: [], defaultPoolId: 'd', sharedPoolId: 'd' })).toEqual({
      rules: [],
      defaultPoolId: 'd',
      sharedPoolId: 'd',
      defaultResponseSlaMinutes: 120,
      escalateAfterBreaches: 2,
    });
  });

  it('refuses two rules with one id', () => {
    const rule = { id: 'r', name: 'R', poolId: 'p', conditions: {} };
    expect(
      routingSettingsSchema.safeParse({ rules: [rule, rule], defaultPoolId: 'd', sharedPoolId: 'd' }).success,
    ).toBe(false);
  });
});
