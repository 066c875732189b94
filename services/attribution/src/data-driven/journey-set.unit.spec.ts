import { describe, expect, it } from 'vitest';
import { journeySet } from './journey-set.ts';

function touch(touchId: string, leadId: string, day: number, channel: string) {
  return { touchId, leadId, occurredAt: `2025-01-${String(day).padStart(2, '0')}T00:00:00.000Z`, channel };
}

describe('journeySet', () => {
  it('gives one journey per lead, in time order, converted when its deal is won', () => {
    const journeys = journeySet({
      leads: [{ leadId: 'a' }, { leadId: 'b' }],
      touches: [touch('1', 'a', 2, 'ad'), touch('2', 'a', 1, 'web_form'), touch('3', 'b', 1, 'event')],
      wins: [{ leadId: 'a', wonAt: '2025-01-05T00:00:00.000Z' }],
    });
    expect(journeys).toEqual([
      { channels: ['web_form', 'ad'], converted: true },
      { channels: ['event'], converted: false },
    ]);
  });

  it('ends a converted journey at the win', () => {
    const [journey] = journeySet({
      leads: [{ leadId: 'a' }],
      touches: [touch('1', 'a', 1, 'web_form'), touch('2', 'a', 9, 'ad')],
      wins: [{ leadId: 'a', wonAt: '2025-01-05T00:00:00.000Z' }],
    });
    expect(journey?.channels).toEqual(['web_form']);
  });

  it('joins the touches of merged leads to the survivor, at any depth', () => {
    const journeys = journeySet({
      leads: [{ leadId: 'a' }, { leadId: 'b', mergedInto: 'a' }, { leadId: 'c', mergedInto: 'b' }],
      touches: [touch('1', 'c', 1, 'event'), touch('2', 'b', 2, 'ad'), touch('3', 'a', 3, 'web_form')],
      wins: [],
    });
    expect(journeys).toEqual([{ channels: ['event', 'ad', 'web_form'], converted: false }]);
  });

  it('counts a win of a merged lead for the person', () => {
    const journeys = journeySet({
      leads: [{ leadId: 'a' }, { leadId: 'b', mergedInto: 'a' }],
      touches: [touch('1', 'a', 1, 'web_form')],
      wins: [{ leadId: 'b', wonAt: '2025-01-05T00:00:00.000Z' }],
    });
    expect(journeys).toEqual([{ channels: ['web_form'], converted: true }]);
  });

  it('survives a merge cycle in corrupt data', () => {
    const journeys = journeySet({
      leads: [
        { leadId: 'a', mergedInto: 'b' },
        { leadId: 'b', mergedInto: 'a' },
      ],
      touches: [touch('1', 'a', 1, 'web_form')],
      wins: [],
    });
    expect(journeys).toHaveLength(1);
  });
});
