import { describe, expect, it } from 'vitest';
import { clockMinutes, localTime } from './local-time.ts';

describe('localTime', () => {
  it('reads the day, ISO weekday and minutes in the zone', () => {
    expect(localTime(new Date('2025-03-10T10:30:00Z'), 'Europe/Berlin')).toEqual({
      day: '2025-03-10',
      isoWeekday: 1,
      minutes: 11 * 60 + 30,
    });
  });

  it('moves to the next local day ahead of UTC', () => {
    expect(localTime(new Date('2025-03-09T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      day: '2025-03-10',
      isoWeekday: 1,
      minutes: 8 * 60 + 30,
    });
  });

  it('stays on the previous local day behind UTC', () => {
    expect(localTime(new Date('2025-03-10T03:00:00Z'), 'America/Los_Angeles')).toEqual({
      day: '2025-03-09',
      isoWeekday: 7,
      minutes: 20 * 60,
    });
  });

  it('follows daylight saving', () => {
    expect(localTime(new Date('2025-07-01T12:00:00Z'), 'Europe/London').minutes).toBe(13 * 60);
  });

  it('reads midnight as minute 0', () => {
    expect(localTime(new Date('2025-03-10T00:00:00Z'), 'UTC').minutes).toBe(0);
  });
});

describe('clockMinutes', () => {
  it.each([
    { clock: '00:00', minutes: 0 },
    { clock: '09:30', minutes: 570 },
    { clock: '24:00', minutes: 1440 },
  ])('$clock → $minutes', ({ clock, minutes }) => {
    expect(clockMinutes(clock)).toBe(minutes);
  });
});
