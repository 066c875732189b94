import { createKafkaClient } from './kafka-client.ts';
import { silentLogger } from './logger.ts';

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
      const kafka = createKafkaClient({
        brokers: options.brokers,
        clientId: 'l2o-readiness',
        logger: silentLogger,
        retries: 0,
      });
      const admin = kafka.admin();
      const giveUp = (): void => void admin.disconnect().catch(() => undefined);
      signal.addEventListener('abort', giveUp, { once: true });
      try {
        await admin.connect();
        await admin.describeCluster();
      } finally {
        signal.removeEventListener('abort', giveUp);
        await admin.disconnect().catch(() => undefined);
      }
    },
  };
}
