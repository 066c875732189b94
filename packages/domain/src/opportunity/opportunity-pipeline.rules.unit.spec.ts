import { describe, expect, it } from 'vitest';
import { stageDirection, stallDueAt, unmetExitCriteria } from './opportunity-pipeline.rules.ts';
import { stages } from './opportunity.fixture.ts';

describe('pipeline rules', () => {
  it('tells a forward move from a backward one by stage position', () => {
    expect(stageDirection(stages.discovery, stages.negotiation)).toBe('forward');
    expect(stageDirection(stages.negotiation, stages.qualification)).toBe('backward');
  });

  it('lists each unmet exit criterion once, in the order given', () => {
    expect(unmetExitCriteria({ a: true, c: 0 }, ['d', 'a', 'b', 'c', 'd'])).toEqual(['d', 'b']);
  });

  it('needs nothing of a stage without exit criteria', () => {
    expect(unmetExitCriteria({}, [])).toEqual([]);
  });

  it('puts the stall due time slaDays whole days after the stage entry', () => {
    expect(stallDueAt('2025-03-28T12:00:00.000Z', 3).toISOString()).toBe('2025-03-31T12:00:00.000Z');
  });
});
