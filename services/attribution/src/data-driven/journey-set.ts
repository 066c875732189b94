import { channelJourneyOf, sortJourney } from '../models/index.ts';
import type { ChannelJourney, Touchpoint } from '../models/index.ts';

/** What the data-driven models learn from, as stored for one tenant. */
export type JourneySetInput = {
  leads: ReadonlyArray<{ leadId: string; mergedInto?: string }>;
  touches: ReadonlyArray<{ touchId: string; leadId: string; occurredAt: string; channel: string }>;
  /** The leads whose deal is won, and when. */
  wins: ReadonlyArray<{ leadId: string; wonAt: string }>;
};

/**
 * One channel journey per person: a lead together with the leads merged into it. It converted when a deal
 * of any of them is won, and then ends at the (earliest) win, as the deal's own attribution does; a lead
 * without touches is left out. Journeys come in lead id order, so the same data gives the same weights.
 */
export function journeySet(input: JourneySetInput): ChannelJourney[] {
  const mergedInto = new Map<string, string>();
  for (const lead of input.leads) if (lead.mergedInto !== undefined) mergedInto.set(lead.leadId, lead.mergedInto);
  const rootOf = (leadId: string): string => {
    let current = leadId;
    // A merge chain is at most as long as there are merges; the bound also stops a corrupt cycle.
    for (let step = 0; step <= mergedInto.size; step += 1) {
      const next = mergedInto.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  };

  const touchesOf = new Map<string, Touchpoint[]>();
  for (const touch of input.touches) {
    const root = rootOf(touch.leadId);
    const touchpoint = { id: touch.touchId, occurredAt: touch.occurredAt, channel: touch.channel, milestones: [] };
    touchesOf.set(root, [...(touchesOf.get(root) ?? []), touchpoint]);
  }
  const wonAtOf = new Map<string, number>();
  for (const win of input.wins) {
    const root = rootOf(win.leadId);
    const at = Date.parse(win.wonAt);
    wonAtOf.set(root, Math.min(at, wonAtOf.get(root) ?? at));
  }

  return [...touchesOf.keys()].sort().map((root) => {
    const touches = touchesOf.get(root) ?? [];
    const wonAt = wonAtOf.get(root);
    if (wonAt === undefined) return channelJourneyOf(sortJourney(touches), false);
    const beforeWin = touches.filter((touch) => Date.parse(touch.occurredAt) <= wonAt);
    return channelJourneyOf(sortJourney(beforeWin.length > 0 ? beforeWin : touches), true);
  });
}
