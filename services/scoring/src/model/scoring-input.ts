import type {
  LeadActivityType,
  LeadCompany,
  LeadContactFields,
  LeadCustomFields,
  LeadScalar,
  LeadTouchpoint,
} from '@l2o/contracts';
import { seniorityOf } from './seniority.ts';

/** One behaviour of a lead, as engagement scoring reads it. */
export type ScoringActivity = { type: LeadActivityType; occurredAt: string };

/** The profile of a lead, as fit and predictive scoring read it. */
export type ScoringProfile = {
  contact: LeadContactFields;
  company: LeadCompany;
  customFields: LeadCustomFields;
};

/** Everything a lead is scored on: its profile, the touch that brought it and its activities. */
export type ScoringInput = {
  profile: ScoringProfile;
  firstTouch?: LeadTouchpoint | undefined;
  activities: readonly ScoringActivity[];
};

type FieldGetter = (input: Pick<ScoringInput, 'profile' | 'firstTouch'>) => LeadScalar | undefined;

const emailDomain: FieldGetter = ({ profile }) => {
  const email = profile.contact.email;
  const at = email?.lastIndexOf('@') ?? -1;
  return email === undefined || at < 0 ? undefined : email.slice(at + 1).toLowerCase();
};

const fieldGetters = {
  'contact.email': ({ profile }) => profile.contact.email,
  'contact.emailDomain': emailDomain,
  'contact.phone': ({ profile }) => profile.contact.phone,
  'contact.firstName': ({ profile }) => profile.contact.firstName,
  'contact.lastName': ({ profile }) => profile.contact.lastName,
  'contact.jobTitle': ({ profile }) => profile.contact.jobTitle,
  'contact.seniority': ({ profile }) => seniorityOf(profile.contact.jobTitle),
  'company.name': ({ profile }) => profile.company.name,
  'company.domain': ({ profile }) => profile.company.domain,
  'company.website': ({ profile }) => profile.company.website,
  'company.industry': ({ profile }) => profile.company.industry,
  'company.size': ({ profile }) => profile.company.size,
  'company.country': ({ profile }) => profile.company.country,
  'firstTouch.channel': ({ firstTouch }) => firstTouch?.channel,
  'firstTouch.source': ({ firstTouch }) => firstTouch?.source,
  'firstTouch.medium': ({ firstTouch }) => firstTouch?.medium,
  'firstTouch.campaign': ({ firstTouch }) => firstTouch?.campaign,
  'firstTouch.referrer': ({ firstTouch }) => firstTouch?.referrer,
  'firstTouch.utm.source': ({ firstTouch }) => firstTouch?.utm?.source,
  'firstTouch.utm.medium': ({ firstTouch }) => firstTouch?.utm?.medium,
  'firstTouch.utm.campaign': ({ firstTouch }) => firstTouch?.utm?.campaign,
  'firstTouch.utm.term': ({ firstTouch }) => firstTouch?.utm?.term,
  'firstTouch.utm.content': ({ firstTouch }) => firstTouch?.utm?.content,
} satisfies Record<string, FieldGetter>;

/** A field of the lead a rule or a feature can read, other than a custom field. */
export type KnownFieldPath = keyof typeof fieldGetters;

/**
 * A field of the lead a rule or a feature can read. `contact.seniority` is derived from the job
 * title and `contact.emailDomain` from the email; `customFields.<name>` reads a tenant's field.
 */
export type FieldPath = KnownFieldPath | `customFields.${string}`;

/** Every {@link KnownFieldPath}, for validation. */
export const knownFieldPaths = Object.keys(fieldGetters) as [KnownFieldPath, ...KnownFieldPath[]];

const customFieldPrefix = 'customFields.';

/** The value of one field of a lead; `undefined` when the lead has none. */
export function fieldValue(
  input: Pick<ScoringInput, 'profile' | 'firstTouch'>,
  path: FieldPath,
): LeadScalar | undefined {
  if (path.startsWith(customFieldPrefix)) {
    const name = path.slice(customFieldPrefix.length);
    // Own properties only: custom field names come from tenants and may be `constructor` or `__proto__`.
    return Object.hasOwn(input.profile.customFields, name) ? input.profile.customFields[name] : undefined;
  }
  return Object.hasOwn(fieldGetters, path) ? fieldGetters[path as KnownFieldPath](input) : undefined;
}
