import { z } from 'zod';
import { leadRefShape, repIdSchema } from './lead-lifecycle-parts.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

/** How a pool picks its rep. */
export const routingStrategies = ['round_robin', 'weighted', 'load_balanced', 'manual'] as const;
export type RoutingStrategy = (typeof routingStrategies)[number];

/** Why the lead was (re)assigned. */
export const leadAssignmentReasons = ['qualified', 'recycled', 'rejected', 'manual'] as const;
export type LeadAssignmentReason = (typeof leadAssignmentReasons)[number];

/** Data of `LeadAssigned` version 1: a rep owns the lead from now on. */
export const leadAssignedV1Schema = z
  .object({
    ...leadRefShape,
    assignedAt: isoDateTime,
    ownerId: repIdSchema,
    poolId: text(64).describe('The pool (team) the rep was chosen from.'),
    ruleId: text(64).describe('The routing rule that matched; absent when the default pool took the lead.').optional(),
    strategy: z.enum(routingStrategies),
    reason: z.enum(leadAssignmentReasons),
    responseDueAt: isoDateTime
      .describe('First-response deadline; the SLA timer fires here unless the rep acts.')
      .optional(),
    previousOwnerId: repIdSchema.optional(),
  })
  .describe('The lead was assigned to a rep.');

export type LeadAssignedV1 = z.output<typeof leadAssignedV1Schema>;

export const leadAssignedV1Example: LeadAssignedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  assignedAt: '2025-04-03T08:15:04.000Z',
  ownerId: 'rep-ines',
  poolId: 'emea-enterprise',
  ruleId: 'emea-large',
  strategy: 'weighted',
  reason: 'qualified',
  responseDueAt: '2025-04-03T10:15:04.000Z',
};
