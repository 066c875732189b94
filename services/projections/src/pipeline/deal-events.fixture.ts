import { planLeadHistory, streamEventsOf } from '../read-model/lead-history.fixture.ts';
import { planDealHistory, streamEventsOfStreams } from '../read-model/deal-history.fixture.ts';
import type { StreamEvent } from '@l2o/stream-consumer';

/**
 * A seeded history of `leads` leads of one tenant with the deals of the converted ones, their
 * attributions and campaign costs, as read models receive it: the lead events first, then the others.
 */
export function dealEvents(options: { seed: number; leads: number; tenantId: string }): {
  leadEvents: StreamEvent[];
  dealEvents: StreamEvent[];
} {
  const from = new Date('2025-03-01T00:00:00Z');
  const leads = planLeadHistory({
    leads: options.leads,
    tenants: [options.tenantId],
    seed: options.seed,
    from,
    days: 10,
  });
  const deals = planDealHistory({ leads, seed: options.seed, from, days: 5 });
  return { leadEvents: streamEventsOf(leads), dealEvents: streamEventsOfStreams(deals) };
}
