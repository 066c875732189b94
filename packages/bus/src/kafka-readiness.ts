import { Admin } from '@platformatic/kafka';
import { clientOptions } from './client-options.ts';

/**
 * A readiness check (the shape of service-kit's `ReadinessCheck`) that passes while a broker of
 * `brokers` accepts a connection and answers a metadata request. Each check connects afresh and
 * does not retry, so it answers within the probe's timeout and holds nothing between probes.
 */
export function kafkaReadiness(options: { brokers: string[] }): {
  name: string;
  check: (options: { signal: AbortSignal }) => Promise<void>;
} {
  return {
    name: 'kafka',
    check: async ({ signal }) => {
      // The failure's reason goes into the /ready answer; logging it too would repeat it on every probe.
      const admin = new Admin(clientOptions({ brokers: options.brokers, clientId: 'l2o-readiness', retries: 0 }));
      const giveUp = (): void => void admin.close().catch(() => undefined);
      signal.addEventListener('abort', giveUp, { once: true });
      try {
        // No topics: the brokers alone, whatever the cluster holds.
        await admin.metadata({ topics: [], forceUpdate: true });
      } finally {
        signal.removeEventListener('abort', giveUp);
        await admin.close().catch(() => undefined);
      }
    },
  };
}
