import { describe, expect, it } from 'vitest';
import { retryDelayMs, toNewEvents } from './handle-command.ts';

const metadata = { tenantId: 'acme', producer: 'test', correlationId: 'req-1' };
const decided = [
  { type: 'Incremented', data: { n: 1 } },
  { type: 'Incremented', data: { n: 2 }, schemaVersion: 2 },
];

describe('toNewEvents', () => {
  it('gives each decided event a fresh UUID and the shared metadata', () => {
    const events = toNewEvents({ events: decided, metadata });
    expect(events).toEqual([
      { id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'Incremented', data: { n: 1 }, metadata },
      { id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'Incremented', schemaVersion: 2, data: { n: 2 }, metadata },
    ]);
    expect(events[0]?.id).not.toBe(events[1]?.id);
  });

  it('takes the ids the command derives, so a redelivered command yields the same events', () => {
    const eventId = (_event: unknown, index: number) => `00000000-0000-4000-8000-00000000000${index}`;
    const first = toNewEvents({ events: decided, metadata, eventId });
    const again = toNewEvents({ events: decided, metadata, eventId });
    expect(first.map((event) => event.id)).toEqual([
      '00000000-0000-4000-8000-000000000000',
      '00000000-0000-4000-8000-000000000001',
    ]);
    expect(again).toEqual(first);
  });

  it('copies the metadata, so one event changing it cannot change another', () => {
    const [first, second] = toNewEvents({ events: decided, metadata });
    expect(first?.metadata).not.toBe(second?.metadata);
  });
});

describe('retryDelayMs', () => {
  it('grows with the attempt and stays under 200 ms', () => {
    const highest = () => 1;
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, highest))).toEqual([10, 20, 40, 80, 160, 200]);
  });

  it('jitters between zero and the ceiling', () => {
    expect(retryDelayMs(3, () => 0)).toBe(0);
    expect(retryDelayMs(3, () => 0.5)).toBe(20);
  });
});
