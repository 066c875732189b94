import type { LeadCapturedV1, LeadCompany, LeadCustomFields, LeadProfileUpdatedV1, LeadScoredV1 } from '@l2o/contracts';
import type { RoutableLead } from '../assignment/index.ts';

/** The lead events that change what routing rules look at. */
export type AttributeEvent =
  | { type: 'LeadCaptured'; data: LeadCapturedV1 }
  | { type: 'LeadProfileUpdated'; data: LeadProfileUpdatedV1 }
  | { type: 'LeadScored'; data: LeadScoredV1 };

/**
 * The routable attributes after an event. Country, industry and employees come from the company;
 * product line and state from the custom fields `productLine` and `state` (the profile has no such
 * fields); source and channel from the first touchpoint only, so a later touch never reroutes a lead.
 */
export function routableLeadAfter(lead: RoutableLead, event: AttributeEvent): RoutableLead {
  switch (event.type) {
    case 'LeadCaptured': {
      const { touchpoint } = event.data;
      return {
        ...fromProfile({ company: event.data.company, customFields: event.data.customFields }),
        channel: touchpoint.channel,
        ...(touchpoint.source === undefined ? {} : { source: touchpoint.source }),
        ...(lead.score === undefined ? {} : { score: lead.score }),
      };
    }
    case 'LeadProfileUpdated':
      return { ...lead, ...fromProfile({ company: event.data.company, customFields: event.data.customFields }) };
    case 'LeadScored':
      return { ...lead, score: event.data.score };
    default: {
      const missed: never = event;
      throw new Error(`unhandled event ${String(missed)}`);
    }
  }
}

// Only the fields present: an update carries just what changed, and what it leaves out stays.
function fromProfile(profile: { company?: LeadCompany; customFields?: LeadCustomFields }): RoutableLead {
  const { company = {}, customFields = {} } = profile;
  const productLine = textField(customFields, 'productLine');
  const state = textField(customFields, 'state');
  return {
    ...(company.country === undefined ? {} : { country: company.country }),
    ...(company.industry === undefined ? {} : { industry: company.industry }),
    ...(company.size === undefined ? {} : { employees: company.size }),
    ...(productLine === undefined ? {} : { productLine }),
    ...(state === undefined ? {} : { state }),
  };
}

function textField(fields: LeadCustomFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
