import { z } from 'zod';
import { countSchema, wholePercentSchema } from '../bounded-numbers.ts';
import { leadScalarSchema } from '../lead/lead-captured.v1.ts';
import { text } from '../lead/lead-schema-parts.ts';

/** Forecast categories a stage reports under. A new value is a breaking change: it needs a new event version. */
export const forecastCategories = ['pipeline', 'best_case', 'commit', 'closed', 'omitted'] as const;
export type ForecastCategory = (typeof forecastCategories)[number];

/** One stage of a tenant's pipeline as it stood when the event happened. */
export const opportunityStageSchema = z
  .object({
    id: text(64),
    name: text(200),
    probability: wholePercentSchema.describe('Default win probability of the stage, in percent.'),
    forecastCategory: z.enum(forecastCategories),
    position: countSchema.describe(
      '0-based place of the stage in its pipeline; a move to a higher position is forward.',
    ),
  })
  .describe('A pipeline stage as defined when the event happened.');
export type OpportunityStage = z.output<typeof opportunityStageSchema>;

/** An ISO 4217 currency code. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .describe('ISO 4217 code, upper case, e.g. EUR.');

/** A calendar date without time or zone. */
export const calendarDateSchema = z.iso.date().describe('A calendar date, YYYY-MM-DD.');

/** Flat tenant-defined fields of an opportunity, which exit criteria read (e.g. `budgetConfirmed: true`). */
export const opportunityFieldsSchema = z
  .record(text(64), leadScalarSchema)
  .describe('Flat tenant-defined fields; values are scalars.');
export type OpportunityFields = z.output<typeof opportunityFieldsSchema>;
