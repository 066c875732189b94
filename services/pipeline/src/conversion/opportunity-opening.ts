import { clipText } from '@l2o/contracts';
import type {
  LeadTouchpoint,
  OpportunityCompany,
  OpportunityContact,
  OpportunitySource,
  OpportunityStage,
} from '@l2o/contracts';
import type { ActiveLead, OpenOpportunity } from '@l2o/domain';

/** What the rep gives when converting a lead. */
export type ConversionTerms = {
  by: string;
  name?: string | undefined;
  amount: number;
  currency: string;
  expectedCloseDate: string;
};

const maxNameLength = 300;

/** The company as the opportunity carries it: the lead's, without what the contract does not take. */
function companyOf(lead: ActiveLead): OpportunityCompany {
  const { name, domain, industry, country, size } = lead.profile.company;
  return {
    ...(name === undefined ? {} : { name }),
    ...(domain === undefined ? {} : { domain }),
    ...(industry === undefined ? {} : { industry }),
    ...(country === undefined ? {} : { country }),
    ...(size === undefined ? {} : { employees: size }),
  };
}

function contactOf(lead: ActiveLead): OpportunityContact {
  const { firstName, lastName, email, jobTitle } = lead.profile.contact;
  return {
    ...(firstName === undefined ? {} : { firstName }),
    ...(lastName === undefined ? {} : { lastName }),
    ...(email === undefined ? {} : { email }),
    ...(jobTitle === undefined ? {} : { jobTitle }),
  };
}

function sourceOf(touchpoint: LeadTouchpoint | undefined): OpportunitySource | undefined {
  if (touchpoint === undefined) return undefined;
  const campaign = touchpoint.campaign ?? touchpoint.utm?.campaign;
  return { channel: touchpoint.channel, ...(campaign === undefined ? {} : { campaign }) };
}

/** The name a rep gave, else the company's, else the person's, else the lead id. */
function nameOf(lead: ActiveLead, given: string | undefined): string {
  const { contact, company } = lead.profile;
  const person = [contact.firstName, contact.lastName].filter((part) => part !== undefined).join(' ');
  const name = given ?? company.name ?? (person === '' ? undefined : person) ?? contact.email ?? `Lead ${lead.leadId}`;
  return clipText(name, maxNameLength);
}

/**
 * The opening of the opportunity a lead converts into: the rep's terms, the lead's owner, company and
 * contact, the channel and campaign it was captured through, in the first stage of `pipelineId`.
 */
export function opportunityOpening(options: {
  lead: ActiveLead;
  touchpoint: LeadTouchpoint | undefined;
  terms: ConversionTerms;
  opportunityId: string;
  pipelineId: string;
  firstStage: OpportunityStage;
  now: Date;
}): OpenOpportunity {
  const { lead, terms } = options;
  const source = sourceOf(options.touchpoint);
  return {
    type: 'OpenOpportunity',
    data: {
      opportunityId: options.opportunityId,
      tenantId: lead.tenantId,
      leadId: lead.leadId,
      // Only the owner may convert, so the owner of the lead becomes the owner of the deal.
      ownerId: lead.lifecycle.owner?.ownerId ?? terms.by,
      name: nameOf(lead, terms.name),
      amount: terms.amount,
      currency: terms.currency,
      expectedCloseDate: terms.expectedCloseDate,
      pipelineId: options.pipelineId,
      stage: options.firstStage,
      company: companyOf(lead),
      contact: contactOf(lead),
      ...(source === undefined ? {} : { source }),
      fields: {},
    },
    metadata: { now: options.now },
  };
}
