import type { AttributionConfig } from './attribution-config.schema.ts';
import type { DataDrivenModel } from './attribution-model.ts';
import type { ChannelJourney, ChannelWeight } from './channel-journey.ts';
import { markovModel } from './markov.ts';
import { shapleyModel } from './shapley.ts';

/** The channel weights a data-driven model learns from all journeys, converting and not. */
export function dataDrivenWeights(options: {
  model: DataDrivenModel;
  journeys: readonly ChannelJourney[];
  config: AttributionConfig;
}): ChannelWeight[] {
  const { model, journeys, config } = options;
  const channels =
    model === 'markov'
      ? markovModel(journeys).channels
      : shapleyModel({ journeys, value: config.shapley.value, maxChannels: config.shapley.maxChannels }).channels;
  return channels.map(({ channel, weight }) => ({ channel, weight }));
}
