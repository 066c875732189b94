import { describe, expect, it } from 'vitest';
import { requestHash } from './idempotency-keys.ts';

describe('requestHash', () => {
  it('is the same for one body whatever the order of its keys', () => {
    expect(requestHash({ email: 'a@example.com', company: { name: 'A', size: 3 } })).toBe(
      requestHash({ company: { size: 3, name: 'A' }, email: 'a@example.com' }),
    );
  });

  it('differs for another value, and ignores undefined fields', () => {
    expect(requestHash({ email: 'a@example.com' })).not.toBe(requestHash({ email: 'b@example.com' }));
    expect(requestHash({ email: 'a@example.com', phone: undefined })).toBe(requestHash({ email: 'a@example.com' }));
    expect(requestHash(['a', 'b'])).not.toBe(requestHash(['b', 'a']));
  });
});
