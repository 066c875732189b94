import { describe, expect, it } from 'vitest';
import { assignLead, danglingReferences } from '../assignment/index.ts';
import { demoRouting } from './demo-routing.ts';

describe('demoRouting', () => {
  it('names only pools and reps it defines', () => {
    expect(danglingReferences(demoRouting)).toEqual([]);
  });

  it('routes a large German company to the enterprise pool with a 30-minute SLA', () => {
    const now = new Date('2025-03-10T10:00:00Z');
    const result = assignLead({
      ...demoRouting,
      lead: { country: 'DE', employees: 1200 },
      poolStates: {},
      loads: {},
      now,
    });

    expect(result).toMatchObject({ status: 'assigned', poolId: 'enterprise', ruleId: 'enterprise' });
    expect(result.status === 'assigned' && result.responseDueAt.toISOString()).toBe('2025-03-10T10:30:00.000Z');
  });
});
