import { z } from 'zod';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { opportunityStageSchema } from './opportunity-schema-parts.ts';

/** Which way a stage move went in the pipeline's order. */
export const stageDirections = ['forward', 'backward'] as const;
export type StageDirection = (typeof stageDirections)[number];

/** Data of `OpportunityStageChanged` version 1: an open opportunity moved to another stage. */
export const opportunityStageChangedV1Schema = z
  .object({
    opportunityId: z.uuid(),
    tenantId: text(64),
    changedAt: isoDateTime.describe('When the opportunity entered toStage; its stage SLA counts from here.'),
    fromStage: opportunityStageSchema,
    toStage: opportunityStageSchema,
    direction: z.enum(stageDirections),
    by: text(64).describe('The user who moved it.'),
  })
  .refine((change) => change.fromStage.id !== change.toStage.id, {
    message: 'a stage change needs another stage',
    path: ['toStage', 'id'],
  })
  .describe('An open opportunity moved to another stage of its pipeline, forward or back.');

export type OpportunityStageChangedV1 = z.output<typeof opportunityStageChangedV1Schema>;

export const opportunityStageChangedV1Example: OpportunityStageChangedV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  changedAt: '2025-04-24T10:00:00.000Z',
  fromStage: { id: 'discovery', name: 'Discovery', probability: 25, forecastCategory: 'pipeline', position: 1 },
  toStage: { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'best_case', position: 2 },
  direction: 'forward',
  by: 'rep-ines',
};
