// The platform's services as a script starts them on a run's own ports, with consumer groups named
// after the run: a run must never join the groups of the demo or of another run on a shared broker.
import { setTimeout as delay } from 'node:timers/promises';
import type { SupervisedService } from './service-supervisor.ts';

export const platformServiceNames = [
  'relay',
  'ingestion',
  'scoring',
  'routing',
  'pipeline',
  'attribution',
  'projections',
] as const;
export type PlatformServiceName = (typeof platformServiceNames)[number];

export type PlatformServiceSpec = { name: PlatformServiceName; port: number; env: Record<string, string> };

/** The group ingestion reads the intake topic in, whose dead-letter topic the drill reconciles. */
export const intakeGroupOf = (groupPrefix: string): string => `${groupPrefix}-ingestion-intake`;

/** Every service on `ports` (one each, in {@link platformServiceNames} order), its groups prefixed with `groupPrefix-`. */
export function platformServices(options: { groupPrefix: string; ports: readonly number[] }): PlatformServiceSpec[] {
  const group = (name: string) => `${options.groupPrefix}-${name}`;
  const env: Record<PlatformServiceName, Record<string, string>> = {
    relay: {},
    ingestion: { INTAKE_CONSUMER_GROUP: intakeGroupOf(options.groupPrefix) },
    scoring: { LEAD_CONSUMER_GROUP: group('scoring'), OUTCOMES_CONSUMER_GROUP: group('scoring-outcomes') },
    routing: { LEAD_CONSUMER_GROUP: group('routing') },
    pipeline: { OPPORTUNITY_CONSUMER_GROUP: group('pipeline') },
    attribution: { CONSUMER_GROUP: group('attribution') },
    projections: { CONSUMER_GROUP: group('projections') },
  };
  return platformServiceNames.map((name, index) => {
    const port = options.ports[index];
    if (port === undefined) throw new Error(`no port for ${name}: pass one port per service`);
    return { name, port, env: env[name] };
  });
}

/** Waits until every service's `/ready` answers 200; the error names the log to read. */
export async function waitUntilServicesReady(options: {
  services: Iterable<SupervisedService>;
  timeoutMs: number;
  logDir: string;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (const service of options.services) {
    while (!(await service.isReady())) {
      if (Date.now() > deadline) {
        throw new Error(
          `${service.name} was not ready within ${options.timeoutMs / 1000} s; see ${options.logDir}/${service.name}.log`,
        );
      }
      await delay(250);
    }
  }
}
