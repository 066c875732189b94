export { companyDomain, domainFromEmail, isFreeMailDomain, normalizeDomain } from './company-domain.ts';
export { defaultMatchRules, identityKeys } from './identity-keys.ts';
export type { IdentityKey, IdentitySource, MatchRule } from './identity-keys.ts';
export { normalizeCountry } from './normalize-country.ts';
export { normalizeEmail } from './normalize-email.ts';
export { normalizeName } from './normalize-name.ts';
export { normalizePhone } from './normalize-phone.ts';
export type { NormalizePhoneOptions } from './normalize-phone.ts';
export type { NormalizeResult } from './normalize-result.ts';
export { normalizeSubmission } from './normalize-submission.ts';
export type {
  Consent,
  CustomFields,
  ExternalId,
  FieldError,
  LeadSubmission,
  NormalizedCompany,
  NormalizedSubmission,
  NormalizeSubmissionOptions,
  NormalizeSubmissionResult,
  Touchpoint,
} from './normalize-submission.ts';
