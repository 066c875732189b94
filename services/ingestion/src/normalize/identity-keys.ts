import { isFreeMailDomain } from './company-domain.ts';
import type { NormalizedSubmission } from './normalize-submission.ts';

export type MatchRule = 'email' | 'phone' | 'external_id' | 'domain_and_name';

/** One row of `lead_identities`: a lead is found again by any of its keys. */
export type IdentityKey = { kind: MatchRule; value: string };

export const defaultMatchRules: readonly MatchRule[] = ['email', 'phone', 'external_id', 'domain_and_name'];

/** The normalized fields keys are made of. */
export type IdentitySource = Pick<NormalizedSubmission, 'email' | 'phone' | 'firstName' | 'lastName' | 'externalId'> & {
  company?: { domain?: string | undefined } | undefined;
};

// A Record, not a switch, so a new rule without a key is a compile error.
const keyValue: Record<MatchRule, (source: IdentitySource) => string | undefined> = {
  email: (source) => source.email,
  phone: (source) => source.phone,
  external_id: ({ externalId }) => (externalId === undefined ? undefined : `${externalId.source}:${externalId.id}`),
  domain_and_name: ({ company, firstName, lastName }) => {
    const domain = company?.domain;
    // Two John Smiths at gmail.com are not one person; at acme.com they most likely are.
    if (domain === undefined || firstName === undefined || lastName === undefined || isFreeMailDomain(domain)) {
      return undefined;
    }
    return `${domain}:${`${firstName} ${lastName}`.toLowerCase()}`;
  },
};

/** The keys of a normalized submission in the order of the tenant's match rules, the first the strongest. */
export function identityKeys(
  normalized: IdentitySource,
  matchRules: readonly MatchRule[] = defaultMatchRules,
): IdentityKey[] {
  const keys: IdentityKey[] = [];
  for (const kind of matchRules) {
    const value = keyValue[kind](normalized);
    if (value !== undefined) keys.push({ kind, value });
  }
  return keys;
}
