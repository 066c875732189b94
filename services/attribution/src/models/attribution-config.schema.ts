import { z } from 'zod';
import { fractionalDaysSchema, percentSchema } from '@l2o/contracts';
import { attributionModels } from './attribution-model.ts';

/** Shares are percentages of the deal and must add up to 100 (a float tolerance allows 33.3 + 33.3 + 33.4). */
function sumsToHundred(shares: Record<string, number>): boolean {
  return Math.abs(Object.values(shares).reduce((a, b) => a + b, 0) - 100) < 1e-6;
}
const sumMessage = { message: 'the shares must add up to 100' };

const positionBasedSchema = z
  .object({
    first: percentSchema.describe('Share of the first touch.'),
    middle: percentSchema.describe('Share split evenly over the touches between the first and the last.'),
    last: percentSchema.describe('Share of the last touch.'),
  })
  .refine(sumsToHundred, sumMessage)
  .describe('U-shaped.');

const wShapedSchema = z
  .object({
    firstTouch: percentSchema,
    leadCreated: percentSchema,
    opportunityCreated: percentSchema,
    rest: percentSchema.describe('Split evenly over the touches that hold none of the three positions.'),
  })
  .refine(sumsToHundred, sumMessage)
  .describe('W-shaped.');

const fullPathSchema = z
  .object({
    firstTouch: percentSchema,
    leadCreated: percentSchema,
    opportunityCreated: percentSchema,
    closedWon: percentSchema,
    rest: percentSchema.describe('Split evenly over the touches that hold none of the four positions.'),
  })
  .refine(sumsToHundred, sumMessage)
  .describe('Full path (Z-shaped).');

const timeDecaySchema = z.object({
  halfLifeDays: fractionalDaysSchema.describe('A touch this many days older than another gets half its weight.'),
});

export const shapleyValueKinds = ['conversion_count', 'conversion_rate'] as const;
export type ShapleyValueKind = (typeof shapleyValueKinds)[number];

/** Above this many players the exact Shapley sum (2^n coalitions) is too slow to run per recalculation. */
export const shapleyChannelLimit = 16;

const shapleySchema = z.object({
  value: z
    .enum(shapleyValueKinds)
    .describe(
      'Worth of a channel set S: conversion_count = conversions of journeys whose channels are all in S; ' +
        'conversion_rate = those conversions divided by those journeys.',
    ),
  maxChannels: z
    .int()
    .min(2)
    .max(shapleyChannelLimit)
    .describe('Players of the game; beyond it the least frequent channels play together as one.'),
});

/**
 * A tenant's attribution settings. Each group is given whole or left out for its default, because a group's
 * shares are checked together.
 */
export const attributionConfigSchema = z.object({
  models: z
    .array(z.enum(attributionModels))
    .min(1)
    .refine((models) => new Set(models).size === models.length, { message: 'a model is listed twice' })
    .default(() => [...attributionModels])
    .describe('The models a won deal is attributed by, one AttributionCalculated each.'),
  positionBased: positionBasedSchema.default(() => ({ first: 40, middle: 20, last: 40 })),
  wShaped: wShapedSchema.default(() => ({ firstTouch: 30, leadCreated: 30, opportunityCreated: 30, rest: 10 })),
  fullPath: fullPathSchema.default(() => ({
    firstTouch: 22.5,
    leadCreated: 22.5,
    opportunityCreated: 22.5,
    closedWon: 22.5,
    rest: 10,
  })),
  timeDecay: timeDecaySchema.default(() => ({ halfLifeDays: 7 })),
  shapley: shapleySchema.default(() => ({ value: 'conversion_count' as const, maxChannels: 12 })),
});

export type AttributionConfig = z.output<typeof attributionConfigSchema>;
export type AttributionConfigInput = z.input<typeof attributionConfigSchema>;

/** The settings of a tenant that never saved any. */
export function defaultAttributionConfig(): AttributionConfig {
  return attributionConfigSchema.parse({});
}
