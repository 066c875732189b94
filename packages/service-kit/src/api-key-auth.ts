import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-error.ts';

/** What an API key may do (see architecture: ingest, read reports, administer rules). */
export type ApiScope = 'ingest' | 'read_reports' | 'administer_rules' | 'work_leads';

/** The tenant and scopes an API key stands for; every tenant-scoped query filters on `tenantId`. */
export type Principal = { tenantId: string; scopes: readonly ApiScope[]; keyId?: string };

export type AuthOptions = {
  /**
   * Resolves a presented key to its principal, or `undefined` when the key is unknown or revoked.
   * Keys are stored hashed; comparing hashes is the implementation's concern.
   */
  verifyApiKey: (apiKey: string) => Promise<Principal | undefined>;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope an API key needs for this route. */
    scope?: ApiScope;
    /** Served without an API key (health, readiness, documentation). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** Set on every authenticated request when the server has `auth`. */
    principal?: Principal;
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

/** An `onRequest` hook: every route but public ones needs a valid key, and the route's scope when it names one. */
export function apiKeyAuthHook(auth: AuthOptions, isPublic: (request: FastifyRequest) => boolean) {
  return async (request: FastifyRequest): Promise<void> => {
    if (isPublic(request)) return;
    const apiKey = presentedKey(request);
    if (apiKey === undefined) {
      throw new HttpError({
        status: 401,
        code: 'unauthorized',
        reason: 'an API key is required (Authorization: Bearer <key>)',
      });
    }
    const principal = await auth.verifyApiKey(apiKey);
    if (principal === undefined) throw new HttpError({ status: 401, code: 'unauthorized', reason: 'unknown API key' });
    const scope = request.routeOptions.config.scope;
    if (scope !== undefined && !principal.scopes.includes(scope)) {
      throw new HttpError({ status: 403, code: 'forbidden', reason: `the API key lacks the ${scope} scope` });
    }
    request.principal = principal;
  };
}

/**
 * The tenant of an authenticated request. The auth hook sets the principal before any non-public
 * route runs, so its absence means the app was built without `auth`: a wiring bug, not a client error.
 */
export function tenantOf(request: FastifyRequest): string {
  if (request.principal === undefined) {
    throw new Error(
      `${request.method} ${request.routeOptions.url ?? request.url} ran without an authenticated principal`,
    );
  }
  return request.principal.tenantId;
}
