/** Where a consumer stands in one stream: the last version it applied, and the stream's tenant. */
export type StreamPosition = { version: number; tenantId: string };

/** What the sequencer needs of a message: its stream, version and tenant. */
export type SequencedItem = { streamId: string; version: number; tenantId: string };

/** What to do with one item of a batch. */
export type Verdict =
  | { kind: 'next' }
  | { kind: 'duplicate' }
  | { kind: 'gap'; applied: number }
  | { kind: 'foreign-tenant'; streamTenant: string };

/**
 * Decides, in partition order, which items of a batch are the next event of their stream (apply),
 * which were applied already (a redelivery: skip), which come after a version never applied (a gap),
 * and which claim a stream of another tenant. Returns the verdicts in item order and the positions the
 * batch reaches when every `next` item is applied. Pure: positions go in, nothing is written.
 */
export function sequenceBatch(
  items: readonly SequencedItem[],
  positions: ReadonlyMap<string, StreamPosition>,
): { verdicts: Verdict[]; reached: Map<string, StreamPosition> } {
  const reached = new Map<string, StreamPosition>();
  const verdicts = items.map((item): Verdict => {
    const position = reached.get(item.streamId) ?? positions.get(item.streamId);
    if (position !== undefined && position.tenantId !== item.tenantId) {
      return { kind: 'foreign-tenant', streamTenant: position.tenantId };
    }
    const applied = position?.version ?? 0;
    if (item.version <= applied) return { kind: 'duplicate' };
    if (item.version > applied + 1) return { kind: 'gap', applied };
    reached.set(item.streamId, { version: item.version, tenantId: item.tenantId });
    return { kind: 'next' };
  });
  return { verdicts, reached };
}

/**
 * The versions missing before each gap of a batch, per stream: after the applied one, before the first
 * received; `at` is the index of the item where the stream's first gap shows.
 */
export function missingVersions(
  items: readonly SequencedItem[],
  verdicts: readonly Verdict[],
): Map<string, { after: number; before: number; at: number }> {
  const missing = new Map<string, { after: number; before: number; at: number }>();
  items.forEach((item, index) => {
    const verdict = verdicts[index];
    if (verdict?.kind !== 'gap' || missing.has(item.streamId)) return;
    missing.set(item.streamId, { after: verdict.applied, before: item.version, at: index });
  });
  return missing;
}
