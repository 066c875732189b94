import type { ApiScope } from '@l2o/service-kit';

/**
 * What each scope lets a key do. A `Record` over service-kit's `ApiScope`, so a scope added
 * there does not compile here until it is described (and becomes grantable).
 */
export const apiScopeDescriptions: Readonly<Record<ApiScope, string>> = {
  ingest: 'capture leads (POST /v1/leads)',
  read_reports: 'read leads and reports from the query API',
  administer_rules: 'change scoring, routing and pipeline settings, reps and pools, and merge leads',
  work_leads: 'act on leads and opportunities as a rep: accept, contact, reject, qualify, convert, move stages',
};

/** Every scope a key can be granted. */
export const apiScopes = Object.keys(apiScopeDescriptions) as readonly ApiScope[];

export function isApiScope(value: string): value is ApiScope {
  return Object.hasOwn(apiScopeDescriptions, value);
}
