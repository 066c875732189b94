import { describe, expect, it } from 'vitest';
import { decodeLeadCursor, encodeLeadCursor } from './lead-cursor.ts';

describe('lead cursor', () => {
  const position = { capturedAt: '2025-03-14T09:26:53.123456Z', leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b' };

  it('decodes to the position it was made from, to the microsecond', () => {
    expect(decodeLeadCursor(encodeLeadCursor(position))).toEqual(position);
  });

  it('is opaque: URL-safe text that does not show the position', () => {
    const cursor = encodeLeadCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('2025');
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['a JSON value of another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a lead id that is no uuid', Buffer.from('["2025-03-14T09:26:53.123456Z","x"]').toString('base64url')],
  ])('refuses %s', (_, cursor) => {
    expect(decodeLeadCursor(cursor)).toBeUndefined();
  });
});
