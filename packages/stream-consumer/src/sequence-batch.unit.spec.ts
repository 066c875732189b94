import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missingVersions, sequenceBatch } from './sequence-batch.ts';
import type { SequencedItem, StreamPosition } from './sequence-batch.ts';

const item = (streamId: string, version: number, tenantId = 't1'): SequencedItem => ({ streamId, version, tenantId });

describe('sequencing a batch', () => {
  it('applies each stream’s next versions in order, across interleaved streams', () => {
    const { verdicts, reached } = sequenceBatch(
      [item('a', 1), item('b', 4), item('a', 2), item('b', 5)],
      new Map([['b', { version: 3, tenantId: 't1' }]]),
    );

    expect(verdicts.map((v) => v.kind)).toEqual(['next', 'next', 'next', 'next']);
    expect(reached).toEqual(
      new Map([
        ['a', { version: 2, tenantId: 't1' }],
        ['b', { version: 5, tenantId: 't1' }],
      ]),
    );
  });

  it('skips versions already applied, before or within the batch', () => {
    const { verdicts, reached } = sequenceBatch(
      [item('a', 2), item('a', 3), item('a', 3), item('a', 1)],
      new Map([['a', { version: 2, tenantId: 't1' }]]),
    );

    expect(verdicts.map((v) => v.kind)).toEqual(['duplicate', 'next', 'duplicate', 'duplicate']);
    expect(reached.get('a')?.version).toBe(3);
  });

  it('reports a gap with the version last applied, and a later event of that stream as a gap too', () => {
    const { verdicts, reached } = sequenceBatch(
      [item('a', 3), item('a', 4), item('b', 1)],
      new Map([['a', { version: 1, tenantId: 't1' }]]),
    );

    expect(verdicts).toEqual([{ kind: 'gap', applied: 1 }, { kind: 'gap', applied: 1 }, { kind: 'next' }]);
    expect(reached.has('a')).toBe(false);
    expect(missingVersions([item('a', 3), item('a', 4)], verdicts)).toEqual(
      new Map([['a', { after: 1, before: 3, at: 0 }]]),
    );
  });

  it('refuses an event that names another tenant than its stream’s', () => {
    const { verdicts } = sequenceBatch([item('a', 2, 't2')], new Map([['a', { version: 1, tenantId: 't1' }]]));

    expect(verdicts).toEqual([{ kind: 'foreign-tenant', streamTenant: 't1' }]);
  });

  it('never applies a version twice nor out of order, whatever the redeliveries', () => {
    const deliveries = fc.array(
      fc.record({ stream: fc.constantFrom('a', 'b', 'c'), version: fc.integer({ min: 1, max: 8 }) }),
      {
        maxLength: 60,
      },
    );
    fc.assert(
      fc.property(deliveries, (batch) => {
        const positions = new Map<string, StreamPosition>();
        const { verdicts } = sequenceBatch(
          batch.map((d) => item(d.stream, d.version)),
          positions,
        );
        const applied = new Map<string, number[]>();
        batch.forEach((d, index) => {
          if (verdicts[index]?.kind === 'next') applied.set(d.stream, [...(applied.get(d.stream) ?? []), d.version]);
        });
        for (const versions of applied.values()) {
          expect(versions).toEqual(versions.map((_, index) => index + 1));
        }
      }),
    );
  });
});
