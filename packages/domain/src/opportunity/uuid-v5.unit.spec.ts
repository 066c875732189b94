import { describe, expect, it } from 'vitest';
import { uuidV5 } from './uuid-v5.ts';

const dnsNamespace = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5', () => {
  it('matches the reference value of python.org in the DNS namespace', () => {
    expect(uuidV5('python.org', dnsNamespace)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('sets version 5 and the RFC variant', () => {
    expect(uuidV5('anything', dnsNamespace)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('reads an upper-case namespace like the lower-case one', () => {
    expect(uuidV5('python.org', dnsNamespace.toUpperCase())).toBe(uuidV5('python.org', dnsNamespace));
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('python.org', 'dns')).toThrow(/not a UUID/);
  });
});
