import type { Milestone, Touchpoint } from './touchpoint.ts';

/** Midnight UTC of a day in March 2025. */
export function march(day: number): string {
  return new Date(Date.UTC(2025, 2, day)).toISOString();
}

/** The deals of the tests are won on 31 March 2025. */
export const wonAt = march(31);

/** A touch on `day` of March 2025, through `channel` (default `email`). */
export function touch(
  id: string,
  options: { day?: number; channel?: string; campaign?: string; milestones?: Milestone[] } = {},
): Touchpoint {
  return {
    id,
    occurredAt: march(options.day ?? 1),
    channel: options.channel ?? 'email',
    ...(options.campaign === undefined ? {} : { campaign: options.campaign }),
    milestones: options.milestones ?? [],
  };
}

/** Touches `t1`…`tn` on days 1…n, without milestones. */
export function plainJourney(length: number): Touchpoint[] {
  return Array.from({ length }, (_, index) => touch(`t${index + 1}`, { day: index + 1 }));
}
