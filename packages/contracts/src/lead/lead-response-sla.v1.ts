import { z } from 'zod';
import { positiveCountSchema } from '../bounded-numbers.ts';
import { leadRefShape, repIdSchema } from './lead-lifecycle-parts.ts';
import { isoDateTime, text } from './lead-schema-parts.ts';

/** Data of `LeadResponseSlaBreached` version 1: the owner did not respond in time. */
export const leadResponseSlaBreachedV1Schema = z
  .object({
    ...leadRefShape,
    ownerId: repIdSchema,
    poolId: text(64),
    assignedAt: isoDateTime,
    dueAt: isoDateTime,
    breachedAt: isoDateTime,
    breachCount: positiveCountSchema.describe('Breaches on this lead so far, this one included.'),
    managerId: repIdSchema.describe('The manager of the pool or rep, to be told.').optional(),
  })
  .describe('The owner neither accepted nor contacted the lead before the first-response deadline; it is recycled.');
export type LeadResponseSlaBreachedV1 = z.output<typeof leadResponseSlaBreachedV1Schema>;
export const leadResponseSlaBreachedV1Example: LeadResponseSlaBreachedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  ownerId: 'rep-ines',
  poolId: 'emea-enterprise',
  assignedAt: '2025-04-03T08:15:04.000Z',
  dueAt: '2025-04-03T10:15:04.000Z',
  breachedAt: '2025-04-03T10:15:05.000Z',
  breachCount: 1,
  managerId: 'mgr-sofia',
};

/** Why a lead went back to a pool. */
export const leadRecycleReasons = ['response_sla_breached', 'rejected'] as const;

/** Data of `LeadRecycled` version 1: the lead lost its owner and waits in a pool for another. */
export const leadRecycledV1Schema = z
  .object({
    ...leadRefShape,
    recycledAt: isoDateTime,
    fromOwnerId: repIdSchema,
    toPoolId: text(64).describe('The shared pool the lead returns to.'),
    reason: z.enum(leadRecycleReasons),
  })
  .describe('The lead was taken from its owner and returned to the shared pool for reassignment to another rep.');
export type LeadRecycledV1 = z.output<typeof leadRecycledV1Schema>;
export const leadRecycledV1Example: LeadRecycledV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  recycledAt: '2025-04-03T10:15:05.000Z',
  fromOwnerId: 'rep-ines',
  toPoolId: 'shared',
  reason: 'response_sla_breached',
};

/** Data of `LeadEscalated` version 1: the lead breached its response SLA repeatedly. */
export const leadEscalatedV1Schema = z
  .object({
    ...leadRefShape,
    escalatedAt: isoDateTime,
    breachCount: positiveCountSchema,
    managerId: repIdSchema.optional(),
    reason: text(500),
  })
  .describe('The lead breached its first-response SLA as often as the tenant allows; its manager must step in.');
export type LeadEscalatedV1 = z.output<typeof leadEscalatedV1Schema>;
export const leadEscalatedV1Example: LeadEscalatedV1 = {
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  tenantId: 'acme',
  escalatedAt: '2025-04-03T12:15:05.000Z',
  breachCount: 2,
  managerId: 'mgr-sofia',
  reason: 'first-response SLA breached 2 times',
};
