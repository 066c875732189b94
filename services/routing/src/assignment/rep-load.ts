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
