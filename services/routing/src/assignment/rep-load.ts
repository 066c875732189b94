/** A rep's counters, kept durably by the service. */
export type RepLoad = {
  openLeads: number;
  assignedToday: number;
  /** The rep's local calendar day (`YYYY-MM-DD`) that `assignedToday` counts. */
  day: string;
};

/** The rep's load on `day`: a counter kept for an earlier day no longer counts. */
export function loadOn(load: RepLoad | undefined, day: string): RepLoad {
  if (load === undefined) return { openLeads: 0, assignedToday: 0, day };
  return load.day === day ? load : { openLeads: load.openLeads, assignedToday: 0, day };
}

/** The load after one more lead was assigned on `day`. */
export function withAssignment(load: RepLoad | undefined, day: string): RepLoad {
  const current = loadOn(load, day);
  return { openLeads: current.openLeads + 1, assignedToday: current.assignedToday + 1, day };
}

/**
 * The load after `delta` assignments on `day` (-1 gives one back): a change on the day the counter
 * holds moves it, never below zero; one on a later day starts that day; one on an earlier day no longer counts.
 */
export function withAssignedTodayChange(load: RepLoad | undefined, options: { day: string; delta: number }): RepLoad {
  const { day, delta } = options;
  const current = load ?? { openLeads: 0, assignedToday: 0, day: '' };
  if (day < current.day) return current;
  const counted = day === current.day ? current.assignedToday : 0;
  return { ...current, assignedToday: Math.max(0, counted + delta), day };
}
