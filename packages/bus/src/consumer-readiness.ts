import type { BackgroundConsumer } from './background-consumer.ts';

/**
 * What `/ready` reports of a consumer (the shape of service-kit's `ReadinessCheck`): its state, such as
 * `joining` or `consuming`. A consumer still joining its group does not make the service unready: the
 * service serves from its database meanwhile and the consumer catches up behind (its lag is the
 * `l2o_consumer_lag` metric). Only a consumer that stopped for good fails the check.
 */
export function consumerReadiness(consumer: Pick<BackgroundConsumer, 'name' | 'state'>): {
  name: string;
  check: () => Promise<string>;
} {
  return {
    name: consumer.name,
    check: async () => {
      const state = consumer.state();
      if (state === 'failed') throw new Error('stopped for good; the process restarts');
      return state;
    },
  };
}
