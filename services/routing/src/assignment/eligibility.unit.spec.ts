import { describe, expect, it } from 'vitest';
import { monday, rep } from './assignment.fixture.ts';
import { eligibleReps } from './eligibility.ts';
import type { RepLoad } from './rep-load.ts';
import type { Rep } from './routing-config.schema.ts';

const officeHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

function check(options: { rep: Rep; now?: Date; load?: RepLoad; exclude?: string[] }) {
  const { rep: subject, now = monday, load, exclude } = options;
  return eligibleReps({
    members: [{ repId: subject.id, weight: 1 }],
    reps: [subject],
    loads: load === undefined ? {} : { [subject.id]: load },
    now,
    exclude,
  });
}

function reasonFor(options: Parameters<typeof check>[0]) {
  return check(options).skipped[0]?.reason;
}

describe('eligibleReps', () => {
  it('keeps member order and carries each member’s weight and load', () => {
    const result = eligibleReps({
      members: [
        { repId: 'b', weight: 3 },
        { repId: 'a', weight: 1 },
      ],
      reps: [rep('a'), rep('b')],
      loads: { b: { openLeads: 4, assignedToday: 2, day: '2025-03-10' } },
      now: monday,
    });
    expect(result).toEqual({
      eligible: [
        { repId: 'b', weight: 3, openLeads: 4, assignedToday: 2, localDay: '2025-03-10' },
        { repId: 'a', weight: 1, openLeads: 0, assignedToday: 0, localDay: '2025-03-10' },
      ],
      skipped: [],
    });
  });

  it('skips an inactive rep', () => {
    expect(reasonFor({ rep: rep('a', { active: false }) })).toBe('inactive');
  });

  it('skips an excluded rep, such as the owner a lead is recycled from', () => {
    expect(reasonFor({ rep: rep('a'), exclude: ['a'] })).toBe('excluded');
  });

  it('skips a member whose rep does not exist', () => {
    const result = eligibleReps({ members: [{ repId: 'gone', weight: 1 }], reps: [], loads: {}, now: monday });
    expect(result.skipped).toEqual([{ repId: 'gone', reason: 'unknown_rep' }]);
  });

  it('gives only the first reason of a rep failing several checks', () => {
    expect(check({ rep: rep('a', { active: false, maxOpenLeads: 0 }) }).skipped).toEqual([
      { repId: 'a', reason: 'inactive' },
    ]);
  });

  describe('working hours', () => {
    it('takes a rep inside their hours in their time zone', () => {
      // 11:00 in Berlin
      expect(check({ rep: rep('a', { timezone: 'Europe/Berlin', workingHours: officeHours }) }).eligible).toHaveLength(
        1,
      );
    });

    it('skips a rep outside their hours at the same instant in another time zone', () => {
      // 06:00 in New York
      expect(reasonFor({ rep: rep('a', { timezone: 'America/New_York', workingHours: officeHours }) })).toBe(
        'outside_working_hours',
      );
    });

    it('skips a rep on a day they do not work', () => {
      const saturday = new Date('2025-03-15T12:00:00Z');
      expect(reasonFor({ rep: rep('a', { workingHours: officeHours }), now: saturday })).toBe('outside_working_hours');
    });

    it('reads the weekday in the rep’s zone, not in UTC', () => {
      // Sunday 23:30 UTC is Monday 08:30 in Tokyo
      const sundayNight = new Date('2025-03-09T23:30:00Z');
      const early = { days: [1], start: '08:00', end: '12:00' };
      expect(
        check({ rep: rep('a', { timezone: 'Asia/Tokyo', workingHours: early }), now: sundayNight }).eligible,
      ).toHaveLength(1);
    });

    it('includes the start minute', () => {
      const hours = { days: [1], start: '10:00', end: '10:30' };
      expect(check({ rep: rep('a', { workingHours: hours }), now: monday }).eligible).toHaveLength(1);
    });

    it('excludes the end minute', () => {
      const hours = { days: [1], start: '10:00', end: '10:30' };
      const atEnd = new Date('2025-03-10T10:30:00Z');
      expect(reasonFor({ rep: rep('a', { workingHours: hours }), now: atEnd })).toBe('outside_working_hours');
    });

    it('takes an end of 24:00 as midnight', () => {
      const late = new Date('2025-03-10T23:59:00Z');
      expect(
        check({ rep: rep('a', { workingHours: { days: [1], start: '18:00', end: '24:00' } }), now: late }).eligible,
      ).toHaveLength(1);
    });
  });

  describe('leave', () => {
    it('skips a rep on every local day of a leave given in dates, the last day included', () => {
      const leave = [{ from: '2025-03-08', to: '2025-03-10' }];
      expect(reasonFor({ rep: rep('a', { leave }), now: new Date('2025-03-10T23:00:00Z') })).toBe('on_leave');
    });

    it('takes the rep back on the day after the leave in their zone', () => {
      // 23:30 UTC on the 10th is already the 11th in Berlin
      const leave = [{ from: '2025-03-08', to: '2025-03-10' }];
      const subject = rep('a', { timezone: 'Europe/Berlin', leave });
      expect(check({ rep: subject, now: new Date('2025-03-10T23:30:00Z') }).eligible).toHaveLength(1);
    });

    it('skips a rep within a leave given as date-times', () => {
      const leave = [{ from: '2025-03-10T08:00:00+01:00', to: '2025-03-10T10:00:00Z' }];
      expect(reasonFor({ rep: rep('a', { leave }), now: new Date('2025-03-10T09:59:00Z') })).toBe('on_leave');
    });

    it('ends a leave given as date-times at its end instant', () => {
      const leave = [{ from: '2025-03-10T08:00:00Z', to: '2025-03-10T10:00:00Z' }];
      expect(check({ rep: rep('a', { leave }), now: monday }).eligible).toHaveLength(1);
    });

    it('takes a rep whose leave starts later', () => {
      expect(check({ rep: rep('a', { leave: [{ from: '2025-03-11', to: '2025-03-12' }] }) }).eligible).toHaveLength(1);
    });
  });

  describe('caps', () => {
    it('skips a rep holding their maximum of open leads', () => {
      const load = { openLeads: 5, assignedToday: 0, day: '2025-03-10' };
      expect(reasonFor({ rep: rep('a', { maxOpenLeads: 5 }), load })).toBe('at_open_cap');
    });

    it('takes a rep below their maximum of open leads', () => {
      const load = { openLeads: 4, assignedToday: 0, day: '2025-03-10' };
      expect(check({ rep: rep('a', { maxOpenLeads: 5 }), load }).eligible).toHaveLength(1);
    });

    it('skips a rep who reached their daily quota today', () => {
      const load = { openLeads: 0, assignedToday: 3, day: '2025-03-10' };
      expect(reasonFor({ rep: rep('a', { dailyQuota: 3 }), load })).toBe('at_daily_quota');
    });

    it('resets the quota on the next local day', () => {
      const load = { openLeads: 0, assignedToday: 3, day: '2025-03-09' };
      expect(check({ rep: rep('a', { dailyQuota: 3 }), load }).eligible).toEqual([
        { repId: 'a', weight: 1, openLeads: 0, assignedToday: 0, localDay: '2025-03-10' },
      ]);
    });

    it('resets the quota at the rep’s midnight, before UTC’s', () => {
      // 22:00 UTC on the 10th is 07:00 on the 11th in Tokyo
      const load = { openLeads: 0, assignedToday: 3, day: '2025-03-10' };
      const subject = rep('a', { timezone: 'Asia/Tokyo', dailyQuota: 3 });
      expect(check({ rep: subject, load, now: new Date('2025-03-10T22:00:00Z') }).eligible).toHaveLength(1);
    });

    it('keeps counting open leads across days', () => {
      const load = { openLeads: 5, assignedToday: 5, day: '2025-03-09' };
      expect(reasonFor({ rep: rep('a', { maxOpenLeads: 5 }), load })).toBe('at_open_cap');
    });
  });
});
