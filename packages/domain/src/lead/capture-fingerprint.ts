import type { CaptureLead } from './lead.commands.ts';

/** JSON with object keys sorted and `undefined` dropped, so equal data gives equal text whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Identifies the captured data of a lead; the capture time is left out because a redelivery carries a new one. */
export function captureFingerprint({
  capturedAt: _capturedAt,
  ...data
}: CaptureLead['data'] & { capturedAt?: string }): string {
  return canonicalJson(data);
}
