import { z } from 'zod';
import { leadChannels } from '../lead/lead-captured.v1.ts';
import { isoDateTime, text } from '../lead/lead-schema-parts.ts';
import { companySizeSchema, moneyAmountSchema } from '../bounded-numbers.ts';
import {
  calendarDateSchema,
  currencySchema,
  opportunityFieldsSchema,
  opportunityStageSchema,
} from './opportunity-schema-parts.ts';

/** The organisation buying, as the converted lead knew it; every field optional. */
export const opportunityCompanySchema = z
  .object({
    name: text(300).optional(),
    domain: z.hostname().max(253).describe('Bare host name, e.g. acme.com.').optional(),
    industry: text(200).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .describe('ISO 3166-1 alpha-2 code, upper case.')
      .optional(),
    employees: companySizeSchema.describe('Number of employees.').optional(),
  })
  .describe('The organisation buying, from the converted lead.');
export type OpportunityCompany = z.output<typeof opportunityCompanySchema>;

/** The person the deal is worked with, from the converted lead; every field optional. */
export const opportunityContactSchema = z
  .object({
    firstName: text(200).optional(),
    lastName: text(200).optional(),
    email: z.email().max(254).optional(),
    jobTitle: text(200).optional(),
  })
  .describe('The person the deal is worked with, from the converted lead.');
export type OpportunityContact = z.output<typeof opportunityContactSchema>;

/** Where the converted lead came from, for attribution of revenue. */
export const opportunitySourceSchema = z
  .object({
    channel: z.enum(leadChannels).optional(),
    campaign: text(200).optional(),
  })
  .describe('The channel and campaign of the converted lead.');
export type OpportunitySource = z.output<typeof opportunitySourceSchema>;

/** Data of `OpportunityOpened` version 1: a sales-qualified lead was converted into an opportunity. */
export const opportunityOpenedV1Schema = z
  .object({
    opportunityId: z.uuid().describe('Derived from leadId (UUID v5), so one lead opens at most one opportunity.'),
    tenantId: text(64),
    leadId: z.uuid().describe('The converted lead.'),
    openedAt: isoDateTime,
    ownerId: text(64).describe('The sales rep who owns the opportunity.'),
    name: text(300),
    amount: moneyAmountSchema,
    currency: currencySchema,
    expectedCloseDate: calendarDateSchema,
    pipelineId: text(64),
    stage: opportunityStageSchema.describe('The first stage of the pipeline, where every opportunity starts.'),
    company: opportunityCompanySchema,
    contact: opportunityContactSchema,
    source: opportunitySourceSchema.optional(),
    fields: opportunityFieldsSchema,
  })
  .describe('A sales-qualified lead was converted into an opportunity.');

export type OpportunityOpenedV1 = z.output<typeof opportunityOpenedV1Schema>;

export const opportunityOpenedV1Example: OpportunityOpenedV1 = {
  opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
  tenantId: 'acme',
  leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
  openedAt: '2025-04-07T14:05:00.000Z',
  ownerId: 'rep-ines',
  name: 'Analytical Engines Ltd: analytics platform',
  amount: 48_000,
  currency: 'EUR',
  expectedCloseDate: '2025-06-30',
  pipelineId: 'new-business',
  stage: { id: 'qualification', name: 'Qualification', probability: 10, forecastCategory: 'pipeline', position: 0 },
  company: {
    name: 'Analytical Engines Ltd',
    domain: 'example.com',
    industry: 'Software',
    country: 'GB',
    employees: 120,
  },
  contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', jobTitle: 'Head of Analytics' },
  source: { channel: 'web_form', campaign: 'spring-webinar' },
  fields: { seats: 40, budgetConfirmed: false },
};
