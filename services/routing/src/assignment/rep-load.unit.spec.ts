import { describe, expect, it } from 'vitest';
import { withAssignedTodayChange } from './rep-load.ts';

const load = { openLeads: 3, assignedToday: 2, day: '2025-03-10' };

describe('withAssignedTodayChange', () => {
  it('moves the count of the day it holds, never below zero', () => {
    expect(withAssignedTodayChange(load, { day: '2025-03-10', delta: 1 })).toEqual({ ...load, assignedToday: 3 });
    expect(withAssignedTodayChange({ ...load, assignedToday: 0 }, { day: '2025-03-10', delta: -1 })).toEqual({
      ...load,
      assignedToday: 0,
    });
  });

  it('starts a later day, where giving back counts nothing', () => {
    expect(withAssignedTodayChange(load, { day: '2025-03-11', delta: 1 })).toEqual({
      ...load,
      assignedToday: 1,
      day: '2025-03-11',
    });
    expect(withAssignedTodayChange(load, { day: '2025-03-11', delta: -1 })).toEqual({
      ...load,
      assignedToday: 0,
      day: '2025-03-11',
    });
  });

  it('leaves the count alone for an earlier day, and starts a rep without any', () => {
    expect(withAssignedTodayChange(load, { day: '2025-03-09', delta: -1 })).toBe(load);
    expect(withAssignedTodayChange(undefined, { day: '2025-03-10', delta: 1 })).toEqual({
      openLeads: 0,
      assignedToday: 1,
      day: '2025-03-10',
    });
  });
});
