import { z } from 'zod';
import { storableString } from '@l2o/contracts';
import { defaultMatchRules, normalizeCountry } from '../normalize/index.ts';
import type { MatchRule } from '../normalize/index.ts';

export const leadMatchRuleSchema = z
  .enum(defaultMatchRules as [MatchRule, ...MatchRule[]])
  .describe(
    'email: normalized email; phone: E.164 phone; external_id: source plus external id; domain_and_name: company domain plus first and last name.',
  );

const example = { defaultCountry: 'GB', matchRules: ['email', 'phone', 'external_id', 'domain_and_name'] };

/** A tenant's ingestion settings as `PUT /v1/settings/ingestion` takes them and `GET` returns them. */
export const ingestionSettingsSchema = z
  .object({
    defaultCountry: storableString()
      .trim()
      .min(2)
      .max(100)
      .optional()
      .describe('ISO 3166-1 alpha-2 code (or English name); phone numbers without a +country code are read in it.'),
    matchRules: z
      .array(leadMatchRuleSchema)
      .max(defaultMatchRules.length)
      .refine((rules) => new Set(rules).size === rules.length, { message: 'a rule is listed twice' })
      .describe('The rules a capture is matched to an existing lead by, strongest first; [] turns matching off.'),
  })
  .meta({ examples: [example] });

export const ingestionSettingsResponseSchema = z
  .object({
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    matchRules: z.array(leadMatchRuleSchema),
  })
  .meta({ examples: [example] });

/** The country as stored (alpha-2), or why it is not one. */
export function settingsCountry(
  input: string | undefined,
): { ok: true; value?: string } | { ok: false; reason: string } {
  if (input === undefined) return { ok: true };
  const result = normalizeCountry(input);
  return result.ok ? { ok: true, value: result.value } : result;
}
