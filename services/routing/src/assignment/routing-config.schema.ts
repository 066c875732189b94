import { z } from 'zod';
import { boundedInt, durationMinutesSchema, maxSettingCount, maxWeight, storableString } from '@l2o/contracts';

const ianaTimeZonePattern = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** Whether Intl knows the zone; offsets such as `+01:00` are refused because they ignore daylight saving. */
export function isIanaTimeZone(value: string): boolean {
  if (!ianaTimeZonePattern.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// 64 characters: the lead events carry rep, pool and rule ids within that limit.
const id = storableString().trim().min(1).max(64);
const settingCount = boundedInt({ min: 0, max: maxSettingCount });
const clockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const endClockTime = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM (24:00 for midnight)');
const leaveBound = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .describe('A date (a whole day in the rep’s time zone) or a date-time with an offset.');

function leaveInOrder(leave: { from: string; to: string }): boolean {
  const { from, to } = leave;
  if (from.length > 10 && to.length > 10) return Date.parse(from) <= Date.parse(to);
  return from.slice(0, 10) <= to.slice(0, 10);
}

/** A sales rep as the routing admin API takes it. */
export const repSchema = z.object({
  id,
  name: storableString().trim().min(1).max(200),
  email: z.email().optional(),
  managerId: id.optional(),
  active: z.boolean(),
  timezone: z
    .string()
    .refine(isIanaTimeZone, { message: 'expected an IANA time zone such as Europe/Berlin' })
    .describe('IANA time zone; working hours, leave dates and the daily quota are read in it.'),
  workingHours: z
    .object({
      days: z
        .array(z.number().int().min(1).max(7))
        .min(1)
        .refine((days) => new Set(days).size === days.length, { message: 'a day is listed twice' })
        .describe('ISO weekdays: 1 is Monday, 7 is Sunday.'),
      start: clockTime,
      end: endClockTime,
    })
    .refine((hours) => hours.start < hours.end, { message: 'start must be before end', path: ['end'] })
    .optional()
    .describe('When the rep takes leads, in their time zone; without it, at any time.'),
  leave: z
    .array(
      z
        .object({ from: leaveBound, to: leaveBound })
        .refine(leaveInOrder, { message: 'from must not be after to', path: ['to'] })
        .describe('From and to are inclusive as dates; a date-time `to` ends the leave at that instant.'),
    )
    .optional(),
  maxOpenLeads: settingCount.optional().describe('Open leads the rep may own at once.'),
  dailyQuota: settingCount.optional().describe('Leads the rep may be assigned per local calendar day.'),
});

export const poolMemberSchema = z.object({
  repId: id,
  weight: boundedInt({ min: 1, max: maxWeight }).default(1).describe('Share of leads under the weighted strategy.'),
});

/** A team that leads are assigned within, by its strategy. */
export const poolSchema = z.object({
  id,
  name: storableString().trim().min(1).max(200),
  strategy: z.enum(['round_robin', 'weighted', 'load_balanced']),
  members: z
    .array(poolMemberSchema)
    .refine((members) => new Set(members.map((member) => member.repId)).size === members.length, {
      message: 'a rep is listed twice',
    })
    .describe('In order: the order is the rotation and the last tie-break.'),
  managerId: id.optional(),
});

const values = z.array(storableString().trim().min(1).max(200)).min(1);
const range = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: 'min must not exceed max',
    path: ['max'],
  })
  .describe('Inclusive bounds.');

/** Every condition given must hold; strings compare case-insensitively. */
export const ruleConditionsSchema = z.object({
  countries: values.optional(),
  states: values.optional(),
  industries: values.optional(),
  productLines: values.optional(),
  sources: values.optional(),
  channels: values.optional(),
  companySize: range.optional().describe('Employees, inclusive bounds.'),
  score: range.optional(),
});

export const routingRuleSchema = z.object({
  id,
  name: storableString().trim().min(1).max(200),
  poolId: id,
  conditions: ruleConditionsSchema.describe('No conditions match every lead.'),
  responseSlaMinutes: durationMinutesSchema.optional().describe('First-response SLA of the leads it routes.'),
});

/** A tenant's routing: ordered rules (first match wins) and where leads go otherwise. */
export const routingSettingsSchema = z.object({
  rules: z.array(routingRuleSchema).refine((rules) => new Set(rules.map((rule) => rule.id)).size === rules.length, {
    message: 'a rule id is used twice',
  }),
  defaultPoolId: id.describe('Takes leads no rule matches and leads whose pool has nobody eligible.'),
  sharedPoolId: id.describe('Where leads go after a first-response SLA breach; may be the default pool.'),
  defaultResponseSlaMinutes: durationMinutesSchema.default(120),
  escalateAfterBreaches: boundedInt({ min: 1, max: maxSettingCount }).default(2),
});

export type Rep = z.output<typeof repSchema>;
export type PoolMember = z.output<typeof poolMemberSchema>;
export type Pool = z.output<typeof poolSchema>;
export type PoolStrategy = Pool['strategy'];
export type RuleConditions = z.output<typeof ruleConditionsSchema>;
export type RoutingRule = z.output<typeof routingRuleSchema>;
export type RoutingSettings = z.output<typeof routingSettingsSchema>;
