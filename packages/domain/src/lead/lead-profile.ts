import type { LeadCapturedV1, LeadConsent, LeadExternalId, LeadProfileUpdatedV1 } from '@l2o/contracts';
import type { LeadProfile } from './lead.state.ts';

/** The changed parts of a profile, as `LeadProfileUpdated` carries them. */
export type ProfileChanges = Pick<
  LeadProfileUpdatedV1,
  'contact' | 'company' | 'consent' | 'externalIds' | 'customFields'
>;

/** A profile as a capture or a merged lead brings it. */
type IncomingProfile = Omit<LeadProfile, 'externalIds' | 'customFields'> & {
  externalIds?: readonly LeadExternalId[] | undefined;
  customFields?: LeadProfile['customFields'] | undefined;
};

/** `null` is how a channel says "no value" (an empty CSV cell), so it neither fills nor keeps a field. */
function isKnown(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * The incoming fields whose value the known object lacks; `undefined` when there are none. Every
 * field of `Fields` is optional (contact, company, custom fields), so a subset is a `Fields` too.
 */
function unknownFields<Fields extends Record<string, unknown>>(known: Fields, incoming: Fields): Fields | undefined {
  // Own properties only: custom field names come from tenants and may be `constructor` or `__proto__`.
  const added = Object.entries(incoming).filter(
    ([key, value]) => isKnown(value) && !(Object.hasOwn(known, key) && isKnown(known[key])),
  );
  return added.length === 0 ? undefined : (Object.fromEntries(added) as Fields);
}

function consentChange(known: LeadConsent | undefined, incoming: LeadConsent | undefined): LeadConsent | undefined {
  if (incoming === undefined) return undefined;
  // An opt-out is never lost: it overrides whatever was known, while other consent only fills a gap.
  if (incoming.optedOut) return known?.optedOut === true ? undefined : incoming;
  return known === undefined ? incoming : undefined;
}

const externalIdKey = (externalId: LeadExternalId) => JSON.stringify([externalId.source, externalId.id]);

function addedExternalIds(
  known: readonly LeadExternalId[],
  incoming: readonly LeadExternalId[] = [],
): LeadExternalId[] | undefined {
  const seen = new Set(known.map(externalIdKey));
  const added = incoming.filter((externalId) => {
    const key = externalIdKey(externalId);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return added.length === 0 ? undefined : added.map((externalId) => ({ ...externalId }));
}

/**
 * What an incoming profile adds to a known one: contact and company fields that were unknown,
 * external ids and custom fields the lead did not have, and consent per {@link consentChange}.
 * Known values are never overwritten. `undefined` when nothing is added.
 */
export function profileChanges(known: LeadProfile, incoming: IncomingProfile): ProfileChanges | undefined {
  const changes: ProfileChanges = {};
  const contact = unknownFields(known.contact, incoming.contact);
  if (contact !== undefined) changes.contact = contact;
  const company = unknownFields(known.company, incoming.company);
  if (company !== undefined) changes.company = company;
  const consent = consentChange(known.consent, incoming.consent);
  if (consent !== undefined) changes.consent = { ...consent };
  const externalIds = addedExternalIds(known.externalIds, incoming.externalIds);
  if (externalIds !== undefined) changes.externalIds = externalIds;
  const customFields = unknownFields(known.customFields, incoming.customFields ?? {});
  if (customFields !== undefined) changes.customFields = customFields;
  return Object.keys(changes).length === 0 ? undefined : changes;
}

/** The profile after a `LeadProfileUpdated`. */
export function applyProfileChanges(profile: LeadProfile, changes: ProfileChanges): LeadProfile {
  const consent = changes.consent ?? profile.consent;
  return {
    contact: { ...profile.contact, ...changes.contact },
    company: { ...profile.company, ...changes.company },
    ...(consent === undefined ? {} : { consent }),
    externalIds: [...profile.externalIds, ...(addedExternalIds(profile.externalIds, changes.externalIds) ?? [])],
    customFields: { ...profile.customFields, ...changes.customFields },
  };
}

/** The fields that have a value; a capture may name fields it has no value for. */
function definedFields<Fields extends Record<string, unknown>>(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Fields;
}

/** The profile a lead starts with. */
export function capturedProfile(data: LeadCapturedV1): LeadProfile {
  return {
    contact: definedFields(data.contact),
    company: definedFields(data.company),
    ...(data.consent === undefined ? {} : { consent: { ...data.consent } }),
    externalIds: data.externalIds ?? [],
    customFields: { ...data.customFields },
  };
}
