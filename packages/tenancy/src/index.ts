/**
 * Tenants and their API keys: keys are per tenant, carry scopes, are stored hashed, and resolve
 * to the {@link ApiKeyPrincipal} that service-kit's auth puts on every request.
 * @packageDocumentation
 */
export { migrateTenancy } from './migrate-tenancy.ts';
export { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
export type { ApiKeyInfo, CreatedApiKey, RevokeOutcome } from './api-keys.ts';
export { createApiKeyVerifier } from './api-key-verifier.ts';
export type { ApiKeyPrincipal, ApiKeyVerifierOptions } from './api-key-verifier.ts';
export { apiScopeDescriptions, apiScopes, isApiScope } from './api-scopes.ts';
export type { ApiScope } from '@l2o/service-kit';
