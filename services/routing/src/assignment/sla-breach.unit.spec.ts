import { describe, expect, it } from 'vitest';
import { settings } from './assignment.fixture.ts';
import { onResponseSlaBreach } from './sla-breach.ts';

describe('onResponseSlaBreach', () => {
  const tenant = settings({ sharedPoolId: 'shared', escalateAfterBreaches: 2 });

  it('recycles the lead to the shared pool without escalating on the first breach', () => {
    expect(onResponseSlaBreach({ breachCount: 1, settings: tenant })).toEqual({
      recycleToPoolId: 'shared',
      escalate: false,
    });
  });

  it('escalates once the breaches reach the threshold', () => {
    expect(onResponseSlaBreach({ breachCount: 2, settings: tenant })).toEqual({
      recycleToPoolId: 'shared',
      escalate: true,
    });
  });

  it('keeps escalating on later breaches', () => {
    expect(onResponseSlaBreach({ breachCount: 5, settings: tenant }).escalate).toBe(true);
  });
});
