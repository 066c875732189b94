import { describe, expect, it } from 'vitest';
import { formatApiKey, generateApiKeyParts, hashSecret, parseApiKey, secretMatches } from './api-key-format.ts';

const keyId = '0123456789abcdef';
// 43 base64url characters, with the "_" and "-" that the separator must not be confused with.
const secret = 'Ab_-cdEFghIJklMNopQRstUVwxYZ0123456789_-abc';

describe('API key format', () => {
  describe('parseApiKey', () => {
    it('splits l2o_<keyId>_<secret> at the first separator after the id, keeping "_" in the secret', () => {
      expect(parseApiKey(`l2o_${keyId}_${secret}`)).toEqual({ keyId, secret });
    });

    it('reads back the parts of every generated key', () => {
      for (let round = 0; round < 200; round += 1) {
        const parts = generateApiKeyParts();
        expect(parseApiKey(formatApiKey(parts))).toEqual(parts);
      }
    });

    it.each([
      ['an empty string', ''],
      ['another prefix', `sk_${keyId}_${secret}`],
      ['an upper-case prefix', `L2O_${keyId}_${secret}`],
      ['no secret', `l2o_${keyId}`],
      ['a short key id', `l2o_0123abcd_${secret}`],
      ['a key id that is not lower-case hex', `l2o_0123456789ABCDEF_${secret}`],
      ['a short secret', `l2o_${keyId}_${secret.slice(1)}`],
      ['a long secret', `l2o_${keyId}_${secret}x`],
      ['standard base64 characters', `l2o_${keyId}_${secret.slice(2)}+/`],
      ['surrounding whitespace', ` l2o_${keyId}_${secret} `],
    ])('refuses %s', (_case, apiKey) => {
      expect(parseApiKey(apiKey)).toBeUndefined();
    });
  });

  describe('generateApiKeyParts', () => {
    it('draws a new id and a 256-bit secret each time', () => {
      const first = generateApiKeyParts();
      const second = generateApiKeyParts();
      expect(first.keyId).not.toBe(second.keyId);
      expect(first.secret).not.toBe(second.secret);
      expect(Buffer.from(first.secret, 'base64url')).toHaveLength(32);
    });
  });

  describe('secretMatches', () => {
    it('accepts the secret the stored hash was made from', () => {
      expect(hashSecret(secret)).toHaveLength(32);
      expect(secretMatches(secret, hashSecret(secret))).toBe(true);
    });

    it('refuses another secret and a stored hash of the wrong length', () => {
      expect(secretMatches(`${secret.slice(0, -1)}d`, hashSecret(secret))).toBe(false);
      expect(secretMatches(secret, hashSecret(secret).subarray(0, 16))).toBe(false);
    });
  });
});
