import { z } from 'zod';
import {
  calendarDateSchema,
  currencySchema,
  opportunityCompanySchema,
  opportunityContactSchema,
  opportunityFieldsSchema,
  opportunitySourceSchema,
  opportunityStageSchema,
} from '@l2o/contracts';
import type { OpenedRecord } from '../aggregates/opportunity-record.ts';

/** An opportunity as the API returns it, read from its stream (never behind the events). */
export const opportunityViewSchema = z
  .object({
    opportunityId: z.uuid(),
    leadId: z.uuid(),
    name: z.string(),
    ownerId: z.string(),
    status: z.enum(['open', 'won', 'lost']),
    pipelineId: z.string(),
    stage: opportunityStageSchema,
    enteredStageAt: z.string().describe('When it entered its stage; the stage SLA counts from here.'),
    stalled: z.boolean().describe('It outstayed the SLA of its current stage entry.'),
    amount: z.number().describe('Expected amount while open, the final amount once won.'),
    currency: currencySchema,
    expectedCloseDate: calendarDateSchema,
    fields: opportunityFieldsSchema,
    company: opportunityCompanySchema,
    contact: opportunityContactSchema,
    source: opportunitySourceSchema.optional(),
    openedAt: z.string(),
    closedAt: z.string().optional(),
    lostReason: z.string().optional(),
    competitor: z.string().optional(),
    version: z.int().positive().describe('The version of the opportunity stream this view is at.'),
  })
  .describe('Opportunity');
export type OpportunityView = z.output<typeof opportunityViewSchema>;

/** The API view of an opened opportunity at stream version `version`. */
export function opportunityView(record: OpenedRecord, version: number): OpportunityView {
  const { opportunity, opened } = record;
  const closed =
    opportunity.status === 'open'
      ? {}
      : {
          closedAt: opportunity.closedAt,
          ...(opportunity.status === 'lost' ? { lostReason: opportunity.lostReason } : {}),
          ...(opportunity.status === 'lost' && opportunity.competitor !== undefined
            ? { competitor: opportunity.competitor }
            : {}),
        };
  return {
    opportunityId: opportunity.opportunityId,
    leadId: opportunity.leadId,
    name: opened.name,
    ownerId: opened.ownerId,
    status: opportunity.status,
    pipelineId: opportunity.pipelineId,
    stage: opportunity.stage,
    enteredStageAt: opportunity.enteredStageAt,
    stalled: opportunity.status === 'open' && opportunity.stalledForStageEntry === opportunity.enteredStageAt,
    amount: opportunity.amount,
    currency: opportunity.currency,
    expectedCloseDate: opportunity.closeDate,
    fields: opportunity.fields,
    company: opened.company,
    contact: opened.contact,
    ...(opened.source === undefined ? {} : { source: opened.source }),
    openedAt: opened.openedAt,
    ...closed,
    version,
  };
}
