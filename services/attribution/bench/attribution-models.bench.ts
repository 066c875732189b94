// Attribution models benchmark, pure (no database): N random journeys over C channels from a fixed
// seed, so every run sees the same data. Times the data-driven recompute (`dataDrivenWeights` for
// markov and shapley over all journeys, converting and not) and `attribute` by all nine models for
// every won deal (the converting journeys). Prints ms per recompute, deals/s with the latency of one
// deal's nine attributions, the time per model, and peak memory.
//   node services/attribution/bench/attribution-models.bench.ts [--journeys 10000] [--channels 8] [--recomputes 5]
//   scripts/benchmark attribution-models [--journeys 10000] [--channels 8]
import { parseArgs } from 'node:util';
import { latencySummary, perSecond, progress, trackPeakMemory } from '../../../scripts/bench/lib/measure.ts';
import {
  attribute,
  attributionModels,
  dataDrivenModels,
  dataDrivenWeights,
  defaultAttributionConfig,
} from '../src/models/index.ts';
import type {
  AttributionModel,
  ChannelJourney,
  ChannelWeight,
  DataDrivenModel,
  Milestone,
  Touchpoint,
} from '../src/models/index.ts';

const { values } = parseArgs({
  options: {
    journeys: { type: 'string', default: '10000' },
    channels: { type: 'string', default: '8' },
    recomputes: { type: 'string', default: '5' },
  },
});
const journeyCount = Number(values.journeys);
const channelCount = Number(values.channels);
const recomputes = Number(values.recomputes);
if (
  !Number.isInteger(journeyCount) ||
  journeyCount < 100 ||
  !Number.isInteger(channelCount) ||
  channelCount < 2 ||
  channelCount > 64 ||
  !Number.isInteger(recomputes) ||
  recomputes < 1
) {
  console.error(
    'usage: scripts/benchmark attribution-models [--journeys N ≥ 100] [--channels 2..64] [--recomputes N ≥ 1]',
  );
  process.exit(2);
}

/** A xorshift32 generator: the same seed gives the same journeys on every run and machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state ^ (state << 13)) >>> 0;
    state = (state ^ (state >>> 17)) >>> 0;
    state = (state ^ (state << 5)) >>> 0;
    return state / 2 ** 32;
  };
}

const random = seededRandom(20250601);
const namedChannels = ['paid_search', 'organic_search', 'email', 'social', 'display', 'referral', 'events', 'partner'];
const channels = Array.from({ length: channelCount }, (_, index) => namedChannels[index] ?? `channel_${index + 1}`);
// Channel k is chosen with weight 1/(k+1), and each adds its own lift to the odds of converting.
const popularity = channels.map((_, index) => 1 / (index + 1));
const popularityTotal = popularity.reduce((a, b) => a + b, 0);
const lift = channels.map(() => random() * 0.08);
const wonAt = Date.UTC(2025, 5, 1);
const minimumDeals = 10_000;
const dayMs = 86_400_000;

function randomChannel(): number {
  let left = random() * popularityTotal;
  for (const [index, share] of popularity.entries()) {
    left -= share;
    if (left <= 0) return index;
  }
  return channels.length - 1;
}

type GeneratedJourney = { channelIndexes: number[]; converted: boolean };

function randomJourney(): GeneratedJourney {
  const length = 1 + Math.floor(random() ** 2 * 8);
  const channelIndexes = Array.from({ length }, randomChannel);
  const odds = 0.02 + [...new Set(channelIndexes)].reduce((sum, index) => sum + (lift[index] ?? 0), 0);
  return { channelIndexes, converted: random() < Math.min(0.9, odds) };
}

/** A won deal's touches over the 60 days before it was won, with the milestones the position models read. */
function dealOf(journey: GeneratedJourney, dealIndex: number): Touchpoint[] {
  const last = journey.channelIndexes.length - 1;
  const leadCreated = Math.floor(last / 3);
  const opportunityCreated = Math.floor((2 * last) / 3);
  return journey.channelIndexes.map((channelIndex, position) => {
    const milestones: Milestone[] = [];
    if (position === 0) milestones.push('first_touch');
    if (position === leadCreated) milestones.push('lead_created');
    if (position === opportunityCreated) milestones.push('opportunity_created');
    if (position === last) milestones.push('closed_won');
    const channel = channels[channelIndex] ?? 'unknown';
    const campaignNumber = Math.floor(random() * 4);
    return {
      id: `d${dealIndex}-t${position}`,
      occurredAt: new Date(wonAt - ((last - position) * 60 * dayMs) / Math.max(1, last) - dayMs).toISOString(),
      channel,
      ...(campaignNumber === 0 ? {} : { campaign: `${channel}-${campaignNumber}` }),
      milestones,
    };
  });
}

const memory = trackPeakMemory();
try {
  const generated = Array.from({ length: journeyCount }, randomJourney);
  const journeys: ChannelJourney[] = generated.map(({ channelIndexes, converted }) => ({
    channels: channelIndexes.map((index) => channels[index] ?? 'unknown'),
    converted,
  }));
  const deals = generated
    .filter((journey) => journey.converted)
    .map((journey, index) => ({
      journey: dealOf(journey, index),
      amountCents: 100_000 + Math.floor(random() * 9_900_000),
    }));
  if (deals.length === 0) throw new Error('no journey converted: try more --journeys');
  const touches = journeys.reduce((sum, journey) => sum + journey.channels.length, 0);
  const config = defaultAttributionConfig();
  console.log(
    `attribution models benchmark: ${journeyCount.toLocaleString('en')} journeys ` +
      `(${touches.toLocaleString('en')} touches) over ${channelCount} channels, ` +
      `${deals.length.toLocaleString('en')} won deals; shapley ${config.shapley.value}, ` +
      `at most ${config.shapley.maxChannels} players`,
  );

  // The recompute runs per tenant now and then; the first (cold) run is shown apart from the rest.
  const learned = new Map<DataDrivenModel, ChannelWeight[]>();
  for (const model of dataDrivenModels) {
    const coldStarted = performance.now();
    learned.set(model, dataDrivenWeights({ model, journeys, config }));
    const coldMs = performance.now() - coldStarted;
    const samples: number[] = [];
    for (let run = 0; run < recomputes; run++) {
      const before = performance.now();
      dataDrivenWeights({ model, journeys, config });
      samples.push(performance.now() - before);
    }
    console.log(
      `  ${model} recompute: first ${coldMs.toFixed(1)} ms, then ${latencySummary(samples)} (${recomputes} runs)`,
    );
  }

  const attributeDeal = (deal: (typeof deals)[number], perModelMs?: Map<AttributionModel, number>) => {
    for (const model of attributionModels) {
      const before = perModelMs === undefined ? 0 : performance.now();
      attribute({
        model,
        journey: deal.journey,
        amountCents: deal.amountCents,
        currency: 'EUR',
        convertedAt: new Date(wonAt).toISOString(),
        config,
        dataDriven: model === 'markov' || model === 'shapley' ? learned.get(model) : undefined,
      });
      if (perModelMs !== undefined) perModelMs.set(model, (perModelMs.get(model) ?? 0) + performance.now() - before);
    }
  };

  for (const deal of deals.slice(0, 500)) attributeDeal(deal);
  // Few journeys convert, so the deals are attributed over again until the sample is large enough.
  const attributions = Math.max(deals.length, minimumDeals);
  const latencies: number[] = [];
  const show = progress('attributing deals', attributions);
  const started = performance.now();
  for (let index = 0; index < attributions; index++) {
    const before = performance.now();
    attributeDeal(deals[index % deals.length] as (typeof deals)[number]);
    latencies.push(performance.now() - before);
    show(index + 1);
  }
  const elapsedMs = performance.now() - started;
  console.log(
    `  attribute, nine models per deal (${attributions.toLocaleString('en')} deals): ` +
      `${perSecond(attributions, elapsedMs)} deals (${perSecond(attributions * attributionModels.length, elapsedMs)} attributions)`,
  );
  console.log(`  per deal: ${latencySummary(latencies)}`);

  // Timed apart, so the timer calls around each model do not weigh on the figures above.
  const perModelMs = new Map<AttributionModel, number>();
  for (const deal of deals) attributeDeal(deal, perModelMs);
  console.log(
    `  per model and deal: ${attributionModels
      .map((model) => `${model} ${(((perModelMs.get(model) ?? 0) / deals.length) * 1000).toFixed(1)} µs`)
      .join(', ')}`,
  );
  console.log(`  peak memory (RSS): ${memory.peakMiB()} MiB`);
} finally {
  memory.stop();
}
