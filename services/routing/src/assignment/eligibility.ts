import { clockMinutes, localTime } from './local-time.ts';
import type { LocalTime } from './local-time.ts';
import { loadOn } from './rep-load.ts';
import type { RepLoad } from './rep-load.ts';
import type { PoolMember, Rep } from './routing-config.schema.ts';

/** Why a pool member cannot take a lead now; `unknown_rep` is a member whose rep no longer exists. */
export type SkipReason =
  'excluded' | 'unknown_rep' | 'inactive' | 'on_leave' | 'outside_working_hours' | 'at_open_cap' | 'at_daily_quota';

export type SkippedRep = { repId: string; reason: SkipReason };

/** A member who can take a lead now, with its load counted on the rep's local day. */
export type EligibleRep = { repId: string; weight: number; openLeads: number; assignedToday: number; localDay: string };

export type EligibilityInput = {
  members: readonly PoolMember[];
  reps: readonly Rep[];
  /** Per rep id; a rep without an entry has no load. */
  loads: Readonly<Record<string, RepLoad>>;
  now: Date;
  /** Reps that must not get this lead, such as the owner it is recycled from. */
  exclude?: readonly string[];
};

/** Splits a pool's members, in member order, into those who can take a lead now and those skipped (first reason only). */
export function eligibleReps(input: EligibilityInput): { eligible: EligibleRep[]; skipped: SkippedRep[] } {
  const reps = new Map(input.reps.map((rep) => [rep.id, rep]));
  const excluded = new Set(input.exclude ?? []);
  const eligible: EligibleRep[] = [];
  const skipped: SkippedRep[] = [];
  for (const member of input.members) {
    const rep = reps.get(member.repId);
    if (excluded.has(member.repId)) {
      skipped.push({ repId: member.repId, reason: 'excluded' });
      continue;
    }
    if (rep === undefined) {
      skipped.push({ repId: member.repId, reason: 'unknown_rep' });
      continue;
    }
    const local = localTime(input.now, rep.timezone);
    const load = loadOn(input.loads[rep.id], local.day);
    const reason = skipReason({ rep, local, load, now: input.now });
    if (reason === undefined) {
      eligible.push({
        repId: rep.id,
        weight: member.weight,
        openLeads: load.openLeads,
        assignedToday: load.assignedToday,
        localDay: local.day,
      });
    } else {
      skipped.push({ repId: rep.id, reason });
    }
  }
  return { eligible, skipped };
}

function skipReason(options: { rep: Rep; local: LocalTime; load: RepLoad; now: Date }): SkipReason | undefined {
  const { rep, local, load, now } = options;
  if (!rep.active) return 'inactive';
  if (onLeave({ rep, local, now })) return 'on_leave';
  if (!withinWorkingHours(rep, local)) return 'outside_working_hours';
  if (rep.maxOpenLeads !== undefined && load.openLeads >= rep.maxOpenLeads) return 'at_open_cap';
  if (rep.dailyQuota !== undefined && load.assignedToday >= rep.dailyQuota) return 'at_daily_quota';
  return undefined;
}

// A date bound covers the whole local day; a date-time bound is an instant and `to` is exclusive.
function onLeave(options: { rep: Rep; local: LocalTime; now: Date }): boolean {
  const { rep, local, now } = options;
  return (rep.leave ?? []).some(({ from, to }) => {
    const started = isDate(from) ? local.day >= from : now.getTime() >= Date.parse(from);
    const ended = isDate(to) ? local.day > to : now.getTime() >= Date.parse(to);
    return started && !ended;
  });
}

function withinWorkingHours(rep: Rep, local: LocalTime): boolean {
  const hours = rep.workingHours;
  if (hours === undefined) return true;
  return (
    hours.days.includes(local.isoWeekday) &&
    local.minutes >= clockMinutes(hours.start) &&
    local.minutes < clockMinutes(hours.end)
  );
}

function isDate(bound: string): boolean {
  return bound.length === 10;
}
