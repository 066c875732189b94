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

/** A lead as scoring keeps it: what it is scored on, and how far its stream was applied. */
export type ScoringLead = {
  leadId: string;
  tenantId: string;
  input: ScoringInput;
  /** When the lead was captured; unknown when scoring never saw its LeadCaptured. */
  capturedAt?: string;
  /** The version of the lead's stream last applied; a redelivered event at or below it is skipped. */
  lastVersion: number;
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
    lastVersion: 0,
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
 * The lead after one event of its stream at `version`, and what the change gives as a reason to score
 * it again (`undefined`: nothing the score reads changed). The survivor of a merge takes over
 * `absorbedActivities`, the activities of the lead merged into it.
 */
export function applyLeadEvent(options: {
  lead: ScoringLead | undefined;
  event: ScoringLeadEvent;
  version: number;
  absorbedActivities?: readonly ScoringActivity[];
}): { lead: ScoringLead; trigger: LeadScoringTrigger | undefined } {
  const { event, version } = options;
  const lead = { ...(options.lead ?? emptyLead(event)), lastVersion: version };
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
