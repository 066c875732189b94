import type {
  LeadActivityRecordedV1,
  LeadCapturedV1,
  LeadContactFields,
  LeadProfileUpdatedV1,
  LeadScoringTrigger,
  LeadsMergedV1,
  LeadTouchRecordedV1,
} from '@l2o/contracts';
import type { ScoringActivity, ScoringInput, ScoringProfile } from '../model/index.ts';

/** A lead as scoring keeps it: what it is scored on. How far its stream was applied is the consumer kit's position. */
export type ScoringLead = {
  leadId: string;
  tenantId: string;
  input: ScoringInput;
  /** When the lead was captured; unknown when scoring never saw its LeadCaptured. */
  capturedAt?: string;
  /** Set once the lead was merged into another: it is no longer scored. */
  mergedInto?: string;
};

/** The lead events scoring folds into its leads. */
export type ScoringLeadEvent =
  | { type: 'LeadCaptured'; data: LeadCapturedV1 }
  | { type: 'LeadProfileUpdated'; data: LeadProfileUpdatedV1 }
  | { type: 'LeadActivityRecorded'; data: LeadActivityRecordedV1 }
  | { type: 'LeadTouchRecorded'; data: LeadTouchRecordedV1 }
  | { type: 'LeadsMerged'; data: LeadsMergedV1 };

const redacted = '*';

/**
 * The contact fields scoring keeps. Rules read the job title, the email's domain and whether a name
 * or phone is known, never the person: keeping less means less to erase on request.
 */
export function minimizedContact(contact: LeadContactFields): LeadContactFields {
  const { email, phone, firstName, lastName, jobTitle } = contact;
  const at = email?.lastIndexOf('@') ?? -1;
  return {
    ...(email === undefined ? {} : { email: at < 0 ? redacted : `${redacted}${email.slice(at)}` }),
    ...(phone === undefined ? {} : { phone: redacted }),
    ...(firstName === undefined ? {} : { firstName: redacted }),
    ...(lastName === undefined ? {} : { lastName: redacted }),
    ...(jobTitle === undefined ? {} : { jobTitle }),
  };
}

function emptyLead(event: ScoringLeadEvent): ScoringLead {
  return {
    leadId: event.data.leadId,
    tenantId: event.data.tenantId,
    input: { profile: { contact: {}, company: {}, customFields: {} }, activities: [] },
  };
}

function updatedProfile(profile: ScoringProfile, update: LeadProfileUpdatedV1): ScoringProfile {
  return {
    contact: { ...profile.contact, ...minimizedContact(update.contact ?? {}) },
    company: { ...profile.company, ...update.company },
    customFields: { ...profile.customFields, ...update.customFields },
  };
}

function activityOf(event: LeadActivityRecordedV1): ScoringActivity {
  return { type: event.activity.type, occurredAt: event.activity.occurredAt };
}

/**
 * The lead after one event of its stream, and what the change gives as a reason to score it again
 * (`undefined`: nothing the score reads changed). The survivor of a merge takes over
 * `absorbedActivities`, the activities of the lead merged into it.
 */
export function applyLeadEvent(options: {
  lead: ScoringLead | undefined;
  event: ScoringLeadEvent;
  absorbedActivities?: readonly ScoringActivity[];
}): { lead: ScoringLead; trigger: LeadScoringTrigger | undefined } {
  const { event } = options;
  const lead = options.lead ?? emptyLead(event);
  const { input } = lead;
  switch (event.type) {
    case 'LeadCaptured': {
      const { contact, company, customFields, touchpoint, capturedAt } = event.data;
      const profile = { contact: minimizedContact(contact), company, customFields: customFields ?? {} };
      return {
        lead: { ...lead, capturedAt, input: { ...input, profile, firstTouch: touchpoint } },
        trigger: 'captured',
      };
    }
    case 'LeadProfileUpdated':
      return {
        lead: { ...lead, input: { ...input, profile: updatedProfile(input.profile, event.data) } },
        trigger: 'profile_updated',
      };
    case 'LeadActivityRecorded':
      return {
        lead: { ...lead, input: { ...input, activities: [...input.activities, activityOf(event.data)] } },
        trigger: 'activity',
      };
    case 'LeadTouchRecorded':
      // Only the first touch is scored; a later one matters when the capture was never seen.
      return {
        lead:
          input.firstTouch === undefined ? { ...lead, input: { ...input, firstTouch: event.data.touchpoint } } : lead,
        trigger: undefined,
      };
    case 'LeadsMerged': {
      if (event.data.role === 'merged')
        return { lead: { ...lead, mergedInto: event.data.survivorLeadId }, trigger: undefined };
      const activities = [...input.activities, ...(options.absorbedActivities ?? [])];
      return { lead: { ...lead, input: { ...input, activities } }, trigger: 'merged' };
    }
  }
}

/** What a batch of lead events did to scoring's leads. */
export type AppliedLeadEvents = {
  /** Each lead the batch changed, as it stands after the batch; merged leads the batch ended included. */
  changed: Map<string, ScoringLead>;
  /**
   * The leads to score once the batch is applied, each with the reason of its last change that asked
   * for a score: one score per lead and batch, of its last state, not one per event.
   */
  triggers: Map<string, LeadScoringTrigger>;
};

/**
 * Applies a batch of lead events, in order, to `leads` (what scoring had stored of the leads the
 * events name, and of the leads merged into them). A survivor takes over the activities the merged
 * lead has at that point of the batch, and the merged lead's scoring ends there, as its own
 * `LeadsMerged` may come later on another partition. Pure: `leads` is not changed.
 */
export function applyLeadEvents(options: {
  leads: ReadonlyMap<string, ScoringLead>;
  events: readonly ScoringLeadEvent[];
}): AppliedLeadEvents {
  const changed = new Map<string, ScoringLead>();
  const triggers = new Map<string, LeadScoringTrigger>();
  const current = (leadId: string) => changed.get(leadId) ?? options.leads.get(leadId);
  for (const event of options.events) {
    const { leadId, tenantId } = event.data;
    const survivorOf = event.type === 'LeadsMerged' && event.data.role === 'survivor' ? event.data : undefined;
    const merged = survivorOf === undefined ? undefined : current(survivorOf.mergedLeadId);
    const absorbed = merged?.tenantId === tenantId ? merged : undefined;
    const { lead, trigger } = applyLeadEvent({
      lead: current(leadId),
      event,
      ...(absorbed === undefined ? {} : { absorbedActivities: absorbed.input.activities }),
    });
    changed.set(leadId, lead);
    if (trigger !== undefined) {
      // Re-inserted, so the leads are scored in the order of their last change.
      triggers.delete(leadId);
      triggers.set(leadId, trigger);
    }
    if (absorbed !== undefined) {
      changed.set(absorbed.leadId, { ...absorbed, mergedInto: leadId });
      triggers.delete(absorbed.leadId);
    }
  }
  return { changed, triggers };
}
