import { streamIdFor } from '@l2o/contracts';
import { leadDecider, opportunityDecider, opportunityIdForLead, RuleViolation } from '@l2o/domain';
import type { ConvertLead, LeadEvent, OpportunityEvent } from '@l2o/domain';
import { retryOnConflict, toNewEvents } from '@l2o/event-store';
import type { EventMetadata, EventStore, RecordedEvent, StreamAppend } from '@l2o/event-store';
import { capturedTouchpoint, foldLead, tenantLead } from '../aggregates/lead-history.ts';
import { foldOpportunity } from '../aggregates/opportunity-record.ts';
import type { PipelineSettings } from '../settings/pipeline-settings.schema.ts';
import { findPipeline, firstStage } from '../settings/pipeline-stages.ts';
import { opportunityOpening } from './opportunity-opening.ts';
import type { ConversionTerms } from './opportunity-opening.ts';

/** `converted`: the opportunity was opened now; `already_converted`: an earlier conversion opened it. */
export type ConversionOutcome = { opportunityId: string; status: 'converted' | 'already_converted' };

// Two streams that reps and routing write to; a few collisions in a row are possible, more are not.
const maxConflictRetries = 8;

/**
 * Converts the caller's sales-qualified lead: `LeadConverted` on the lead and `OpportunityOpened` on
 * `opportunity-<opportunityIdForLead(leadId)>`, appended in one transaction, so neither exists without
 * the other. The id is derived from the lead, so a repeated conversion finds its opportunity and
 * appends nothing. A version conflict on either stream reruns the whole load-decide-append.
 * @throws HttpError 404 for a lead the tenant does not have; RuleViolation when the lead cannot be
 * converted (not SQL, not the owner, merged) or `pipelineId` is not one of the tenant's pipelines.
 */
export async function convertLead(options: {
  store: Pick<EventStore, 'readStream' | 'appendToStreams'>;
  tenantId: string;
  leadId: string;
  terms: ConversionTerms;
  pipelineId?: string | undefined;
  settings: PipelineSettings;
  now: Date;
  metadata: EventMetadata;
}): Promise<ConversionOutcome> {
  const { store, tenantId, leadId, terms, settings, now, metadata } = options;
  const pipelineId = options.pipelineId ?? settings.defaultPipelineId;
  const pipeline = findPipeline(settings, pipelineId);
  if (pipeline === undefined) {
    throw new RuleViolation(`the tenant has no pipeline ${pipelineId}`, { field: 'pipelineId' });
  }
  const opportunityId = opportunityIdForLead(leadId);
  const leadStream = streamIdFor('lead', leadId);
  const opportunityStream = streamIdFor('opportunity', opportunityId);
  const convert: ConvertLead = {
    type: 'ConvertLead',
    data: { leadId, tenantId, by: terms.by, opportunityId },
    metadata: { now },
  };

  return retryOnConflict(
    async (): Promise<ConversionOutcome> => {
      const [leadPast, opportunityPast] = await Promise.all([
        store.readStream(leadStream),
        store.readStream(opportunityStream),
      ]);
      const lead = tenantLead(foldLead(leadPast), tenantId);
      const leadEvents: LeadEvent[] = leadDecider.decide(convert, lead);
      // The Lead decider refuses a merged lead, so this one is active.
      if (lead.status !== 'active') throw new Error(`lead ${leadId} is ${lead.status} but took a conversion`);
      const opening = opportunityOpening({
        lead,
        touchpoint: capturedTouchpoint(leadPast),
        terms,
        opportunityId,
        pipelineId: pipeline.id,
        firstStage: firstStage(pipeline),
        now,
      });
      const opportunityEvents: OpportunityEvent[] = opportunityDecider.decide(
        opening,
        foldOpportunity(opportunityPast).opportunity,
      );
      const appends: StreamAppend[] = [
        appendOf({ streamId: leadStream, past: leadPast, events: leadEvents, metadata }),
        appendOf({ streamId: opportunityStream, past: opportunityPast, events: opportunityEvents, metadata }),
      ].filter((append) => append.events.length > 0);
      if (appends.length === 0) return { opportunityId, status: 'already_converted' };
      await store.appendToStreams(appends);
      return { opportunityId, status: opportunityEvents.length > 0 ? 'converted' : 'already_converted' };
    },
    { maxRetries: maxConflictRetries },
  );
}

function appendOf(options: {
  streamId: string;
  past: readonly RecordedEvent[];
  events: ReadonlyArray<LeadEvent | OpportunityEvent>;
  metadata: EventMetadata;
}): StreamAppend {
  return {
    streamId: options.streamId,
    events: toNewEvents({ events: options.events, metadata: options.metadata }),
    expectedVersion: options.past.at(-1)?.streamVersion ?? 'no_stream',
  };
}
