import { describe, expect, it } from 'vitest';
import type { TouchRow } from '../touchpoints/touchpoints.repository.ts';
import { dealJourney } from './deal-journey.ts';

function touch(id: string, occurredAt: string, milestones: string[] = []): TouchRow {
  return { touchId: id, leadId: 'lead-1', occurredAt, channel: 'web_form', milestones };
}

describe('dealJourney', () => {
  it('orders the touches by time and tags the earliest first_touch', () => {
    const journey = dealJourney(
      [touch('b', '2025-01-02T00:00:00.000Z'), touch('a', '2025-01-01T00:00:00.000Z', ['lead_created'])],
      { wonAt: '2025-02-01T00:00:00.000Z' },
    );
    expect(journey.map((t) => [t.id, t.milestones])).toEqual([
      ['a', ['first_touch', 'lead_created']],
      ['b', []],
    ]);
  });

  it('leaves out touches after the win', () => {
    const journey = dealJourney([touch('a', '2025-01-01T00:00:00.000Z'), touch('late', '2025-03-01T00:00:00.000Z')], {
      wonAt: '2025-02-01T00:00:00.000Z',
    });
    expect(journey.map((t) => t.id)).toEqual(['a']);
  });

  it('keeps every touch when all of them are after the win', () => {
    const journey = dealJourney([touch('late', '2025-03-01T00:00:00.000Z')], { wonAt: '2025-02-01T00:00:00.000Z' });
    expect(journey.map((t) => t.id)).toEqual(['late']);
  });

  it('drops stored milestones the models do not know', () => {
    const [only] = dealJourney([touch('a', '2025-01-01T00:00:00.000Z', ['first_touch', 'unknown'])], {
      wonAt: '2025-02-01T00:00:00.000Z',
    });
    expect(only?.milestones).toEqual(['first_touch']);
  });
});
