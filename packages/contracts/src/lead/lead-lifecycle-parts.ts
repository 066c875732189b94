import { z } from 'zod';
import { text } from './lead-schema-parts.ts';

/** The lead a lifecycle event belongs to and its tenant. */
export const leadRefShape = {
  leadId: z.uuid(),
  tenantId: text(64),
};

/** A sales rep, as the tenant's routing configuration names them. */
export const repIdSchema = text(64).describe('A sales rep of the tenant, by the id routing knows them by.');

/** A score on the platform's 0–100 scale. */
export const scoreSchema = z.number().int().min(0).max(100);

/** Letter grades, best first. */
export const leadGrades = ['A', 'B', 'C', 'D'] as const;
export type LeadGrade = (typeof leadGrades)[number];
