/** Runs work one at a time per key, in arrival order; different keys run concurrently. */
export type KeyedQueue = {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
};

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, work) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      // The map holds only keys with work queued, so it does not grow with every lead ever seen.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
