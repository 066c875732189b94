import { z } from 'zod';

/** Where a page of the lead list ends: the last row's capture time (to the microsecond) and id. */
export type LeadCursor = { capturedAt: string; leadId: string };

const cursorSchema = z.tuple([z.iso.datetime({ offset: true, precision: 6 }), z.uuid()]);

/** The opaque cursor a client sends back for the next page. */
export function encodeLeadCursor(cursor: LeadCursor): string {
  return Buffer.from(JSON.stringify([cursor.capturedAt, cursor.leadId])).toString('base64url');
}

/** The position in an opaque cursor, or `undefined` when it is not one this API issued. */
export function decodeLeadCursor(text: string): LeadCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? { capturedAt: parsed.data[0], leadId: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}
