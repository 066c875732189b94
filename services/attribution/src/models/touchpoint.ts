/** Lifecycle moments a touch can carry; the position-based models read some of them. */
export const milestones = ['first_touch', 'lead_created', 'mql', 'opportunity_created', 'closed_won'] as const;
export type Milestone = (typeof milestones)[number];

/** One interaction of a person with a channel, as the models read it. */
export type Touchpoint = {
  id: string;
  /** ISO 8601 date-time. */
  occurredAt: string;
  channel: string;
  campaign?: string;
  medium?: string;
  milestones: readonly Milestone[];
};

/** The touches of one deal, in journey order (see {@link sortJourney}). */
export type Journey = readonly Touchpoint[];

/**
 * The touches in journey order: by time, then by id, so that the order (and every credit) does not depend on
 * the order the touches were collected in. Throws on an unreadable time or a repeated id.
 */
export function sortJourney(touches: readonly Touchpoint[]): Touchpoint[] {
  const ids = new Set<string>();
  const timed = touches.map((touch) => {
    if (ids.has(touch.id)) throw new RangeError(`touch ${touch.id} appears twice in the journey`);
    ids.add(touch.id);
    return { touch, at: timeOf(touch.occurredAt, `occurredAt of touch ${touch.id}`) };
  });
  timed.sort((a, b) => a.at - b.at || compareText(a.touch.id, b.touch.id));
  return timed.map(({ touch }) => touch);
}

/** Milliseconds since the epoch of an ISO date-time; throws naming `what` when it is not one. */
export function timeOf(iso: string, what: string): number {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new RangeError(`${what} is not a date-time: ${iso}`);
  return at;
}

/** Orders by UTF-16 code units, the same everywhere (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
