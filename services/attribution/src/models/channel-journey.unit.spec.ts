import { describe, expect, it } from 'vitest';
import { channelJourneyOf, shareOfTotal } from './channel-journey.ts';
import { touch } from './journey.fixture.ts';

describe('channelJourneyOf', () => {
  it('keeps the channels in journey order with repeats', () => {
    const journey = [touch('a', { channel: 'ads' }), touch('b', { channel: 'email' }), touch('c', { channel: 'ads' })];
    expect(channelJourneyOf(journey, true)).toEqual({ channels: ['ads', 'email', 'ads'], converted: true });
  });
});

describe('shareOfTotal', () => {
  it('scales values to sum to 1, negatives counting as zero', () => {
    expect(shareOfTotal([3, -2, 1])).toEqual([0.75, 0, 0.25]);
  });

  it('gives all zeros when nothing is positive', () => {
    expect(shareOfTotal([0, -1])).toEqual([0, 0]);
  });
});
