import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The two halves of a key: `keyId` finds the stored row (it is not secret), `secret` proves possession. */
export type ApiKeyParts = { keyId: string; secret: string };

const apiKeyPattern = /^l2o_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A fresh key id (8 random bytes, hex) and secret (32 random bytes, base64url: 43 characters). */
export function generateApiKeyParts(): ApiKeyParts {
  return { keyId: randomBytes(8).toString('hex'), secret: randomBytes(32).toString('base64url') };
}

/** The plaintext key a client presents: `l2o_<keyId>_<secret>`. */
export function formatApiKey(parts: ApiKeyParts): string {
  return `l2o_${parts.keyId}_${parts.secret}`;
}

/**
 * Splits a presented key into its id and secret, or `undefined` when it is not shaped like a key
 * this platform issues, so malformed input is refused without a database lookup.
 */
export function parseApiKey(apiKey: string): ApiKeyParts | undefined {
  const match = apiKeyPattern.exec(apiKey);
  if (match === null) return undefined;
  const [, keyId = '', secret = ''] = match;
  return { keyId, secret };
}

/**
 * The 32-byte digest stored in place of the secret. A plain SHA-256 is enough, unlike for passwords:
 * the secret is 256 random bits, so a leaked hash cannot be reversed by guessing, and a deliberately
 * slow hash (scrypt, bcrypt) would only cost CPU on every request.
 */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Whether `secret` hashes to `storedHash`, compared in constant time. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(storedHash, presented);
}
