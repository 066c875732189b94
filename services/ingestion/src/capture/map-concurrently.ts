/** Maps `items` with at most `concurrency` calls of `work` in flight; results keep the items' order. */
export async function mapConcurrently<T, R>(options: {
  items: readonly T[];
  concurrency: number;
  work: (item: T, index: number) => Promise<R>;
}): Promise<R[]> {
  const { items, work } = options;
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, items.length) }, worker));
  return results;
}
