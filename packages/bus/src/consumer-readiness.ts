import type { ConsumerRunner } from './consumer-runner.ts';

/**
 * A readiness check (the shape of service-kit's `ReadinessCheck`) that fails until `consumer` has
 * joined its group and fetched, and passes from then on; a consumer that failed before that stays unready.
 */
export function consumerReadiness(
  name: string,
  consumer: Pick<ConsumerRunner, 'ready'>,
): { name: string; check: () => Promise<void> } {
  let ready = false;
  consumer.ready.then(
    () => (ready = true),
    () => undefined,
  );
  return {
    name,
    check: async () => {
      if (!ready) throw new Error('not yet joined its group and fetching');
    },
  };
}
