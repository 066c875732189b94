import { z } from 'zod';
import { leadChannels, leadGrades, storableString } from '@l2o/contracts';

/** Where a lead is: the funnel stage, refined by ownership while it is marketing-qualified. */
export const leadStatuses = [
  'captured',
  'mql',
  'assigned',
  'working',
  'sql',
  'converted',
  'disqualified',
  'merged',
] as const;
export type LeadStatus = (typeof leadStatuses)[number];

const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date().transform((date) => `${date}T00:00:00Z`)])
  .describe('An ISO 8601 date-time with offset, or a date (midnight UTC).');

/** The filters the lead list, its CSV export and the lead reports share; all optional, all combined with AND. */
export const leadFiltersSchema = z.object({
  status: z.enum(leadStatuses).optional(),
  minScore: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Score at least this (unscored leads never match).'),
  maxScore: z.coerce.number().int().min(0).max(100).optional().describe('Score at most this.'),
  grade: z.enum(leadGrades).optional(),
  ownerId: storableString().min(1).max(64).optional().describe('The rep who owns the lead now.'),
  poolId: storableString().min(1).max(64).optional().describe('The pool (team) the lead was routed to.'),
  channel: z.enum(leadChannels).optional().describe('Channel of the first touch.'),
  campaign: storableString().min(1).max(200).optional().describe('Campaign of the first touch.'),
  capturedFrom: instant.optional().describe('Captured at or after this.'),
  capturedTo: instant.optional().describe('Captured before this.'),
  q: storableString()
    .min(1)
    .max(200)
    .optional()
    .describe('Text in the email, first or last name, or company name (case-insensitive).'),
});
export type LeadFilters = z.output<typeof leadFiltersSchema>;

/** A SQL condition and its parameter values, numbered after the ones already taken. */
export type SqlCondition = { where: string; values: unknown[] };

/**
 * The `WHERE` condition of `filters` on the `leads` table for one tenant. The tenant is always `$1`
 * and always part of it, so no filter can reach another tenant's rows.
 */
export function leadFilterCondition(options: { tenantId: string; filters: LeadFilters }): SqlCondition {
  const { filters } = options;
  const values: unknown[] = [options.tenantId];
  const conditions = ['tenant_id = $1'];
  const parameter = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filters.status !== undefined) conditions.push(`status = ${parameter(filters.status)}`);
  if (filters.minScore !== undefined) conditions.push(`score >= ${parameter(filters.minScore)}`);
  if (filters.maxScore !== undefined) conditions.push(`score <= ${parameter(filters.maxScore)}`);
  if (filters.grade !== undefined) conditions.push(`grade = ${parameter(filters.grade)}`);
  if (filters.ownerId !== undefined) conditions.push(`owner_id = ${parameter(filters.ownerId)}`);
  if (filters.poolId !== undefined) conditions.push(`pool_id = ${parameter(filters.poolId)}`);
  if (filters.channel !== undefined) conditions.push(`channel = ${parameter(filters.channel)}`);
  if (filters.campaign !== undefined) conditions.push(`campaign = ${parameter(filters.campaign)}`);
  if (filters.capturedFrom !== undefined) {
    conditions.push(`captured_at >= ${parameter(filters.capturedFrom)}::timestamptz`);
  }
  if (filters.capturedTo !== undefined) conditions.push(`captured_at < ${parameter(filters.capturedTo)}::timestamptz`);
  // search_text is the lower-cased email, names and company, with a trigram index (migration 008).
  if (filters.q !== undefined)
    conditions.push(`search_text LIKE ${parameter(`%${escapeLike(filters.q.toLowerCase())}%`)}`);
  return { where: conditions.join(' AND '), values };
}

/** `text` matched literally inside a LIKE pattern (the default escape character is the backslash). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
