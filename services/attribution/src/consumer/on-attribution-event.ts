import { parseConsumedEvent, PermanentError } from '@l2o/bus';
import type { EventHandler } from '@l2o/bus';
import { currentTraceparent } from '@l2o/service-kit';
import { attributeWonDeal } from '../attribute-deal/attribute-won-deal.ts';
import type { AttributionDeps, EventOrigin } from '../attribution-deps.ts';
import { opportunityEventNames, recordOpportunityEvent } from '../journeys/record-opportunity-event.ts';
import type { AttributionOpportunityEvent } from '../journeys/record-opportunity-event.ts';
import { leadEventNames, recordLeadEvent } from '../touchpoints/record-lead-event.ts';
import type { AttributionLeadEvent } from '../touchpoints/record-lead-event.ts';

/** Every event type the attribution consumer reads, from both topics. */
export const attributionEventNames = [...leadEventNames, ...opportunityEventNames] as const;

/**
 * Records touches, milestones and outcomes; a win, or the conversion of a lead whose deal is already won,
 * then attributes the deal. Retries, dead letters and offsets are the bus's.
 */
export function onAttributionEvent(deps: AttributionDeps): EventHandler {
  return async ({ event }) => {
    const parsed = parseConsumedEvent(event, attributionEventNames);
    const traceparent = currentTraceparent();
    const origin: EventOrigin = {
      correlationId: event.correlationid ?? event.id,
      causationId: event.id,
      ...(traceparent === undefined ? {} : { traceparent }),
    };
    if (isLeadEvent(parsed)) {
      assertSubject(event.subject, parsed.data.leadId, event.id);
      await recordLeadEvent({ pool: deps.pool, event: parsed, eventId: event.id, streamVersion: event.streamversion });
      // Attributed here, not only on the win, when the win was handled before the lead caught up.
      if (parsed.type === 'LeadConverted') {
        await attributeWonDeal(deps, { opportunityId: parsed.data.opportunityId, origin });
      }
      return;
    }
    assertSubject(event.subject, parsed.data.opportunityId, event.id);
    await recordOpportunityEvent({ pool: deps.pool, event: parsed, streamVersion: event.streamversion });
    // Also on a redelivered win: a crash may have come between recording it and appending the attributions.
    if (parsed.type === 'OpportunityWon') {
      await attributeWonDeal(deps, { opportunityId: parsed.data.opportunityId, origin });
    }
  };
}

function isLeadEvent(event: AttributionLeadEvent | AttributionOpportunityEvent): event is AttributionLeadEvent {
  return (leadEventNames as readonly string[]).includes(event.type);
}

/** The stream versions are the subject's, so an event whose data names another aggregate is misrouted. */
function assertSubject(subject: string, ownId: string, eventId: string): void {
  if (subject !== ownId) throw new PermanentError(`event ${eventId}: subject ${subject} but the data is of ${ownId}`);
}
