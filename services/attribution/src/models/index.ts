export { attribute } from './attribute.ts';
export type { Attribution, AttributeInput, TouchCredit } from './attribute.ts';
export {
  attributionConfigSchema,
  defaultAttributionConfig,
  shapleyChannelLimit,
  shapleyValueKinds,
} from './attribution-config.schema.ts';
export type { AttributionConfig, AttributionConfigInput, ShapleyValueKind } from './attribution-config.schema.ts';
export { attributionModels, dataDrivenModels, isDataDriven } from './attribution-model.ts';
export type { AttributionModel, DataDrivenModel, RuleBasedModel } from './attribution-model.ts';
export { channelJourneyOf } from './channel-journey.ts';
export type { ChannelJourney, ChannelWeight } from './channel-journey.ts';
export { dataDrivenWeights } from './data-driven-models.ts';
export { markovModel } from './markov.ts';
export type { MarkovChannel, MarkovResult } from './markov.ts';
export { allocate } from './money.ts';
export {
  firstTouchWeights,
  fullPathWeights,
  lastTouchWeights,
  linearWeights,
  positionBasedWeights,
  ruleBasedWeights,
  timeDecayWeights,
  wShapedWeights,
} from './rule-based-models.ts';
export type { WeightsInput } from './rule-based-models.ts';
export { shapleyModel } from './shapley.ts';
export type { ShapleyChannel, ShapleyResult } from './shapley.ts';
export { milestones, sortJourney } from './touchpoint.ts';
export type { Journey, Milestone, Touchpoint } from './touchpoint.ts';
