import type { RoutingSettings } from './routing-config.schema.ts';

export type SlaBreachDecision = { recycleToPoolId: string; escalate: boolean };

/**
 * What a first-response SLA breach leads to: the lead goes back to the shared pool (reassign it with
 * `assignLead`, its `poolId` set to it and the breaching owner excluded), and from the tenant's
 * threshold on the breach is escalated. `breachCount` includes this breach.
 */
export function onResponseSlaBreach(options: {
  breachCount: number;
  settings: Pick<RoutingSettings, 'sharedPoolId' | 'escalateAfterBreaches'>;
}): SlaBreachDecision {
  const { breachCount, settings } = options;
  return { recycleToPoolId: settings.sharedPoolId, escalate: breachCount >= settings.escalateAfterBreaches };
}
