import { describe, expect, it } from 'vitest';
import { compareInstants, instantKey, laterInstant } from './instant.ts';

describe('instants', () => {
  it('compare across offsets and fraction lengths as the same microsecond', () => {
    expect(compareInstants('2025-03-14T10:26:53.5+01:00', '2025-03-14T09:26:53.500000Z')).toBe(0);
    expect(compareInstants('2025-03-14T09:26:53Z', '2025-03-14T09:26:53.000+00:00')).toBe(0);
    expect(instantKey('2025-03-14T10:26:53.5+01:00')).toBe(instantKey('2025-03-14T09:26:53.500000+00:00'));
  });

  it('order by the microsecond, which a Date drops', () => {
    expect(compareInstants('2025-03-14T09:26:53.123456Z', '2025-03-14T09:26:53.123457Z')).toBeLessThan(0);
    expect(compareInstants('2025-03-14T09:26:54Z', '2025-03-14T09:26:53.999999Z')).toBeGreaterThan(0);
  });

  // Checked against PostgreSQL 15: '…53.1234565Z'::timestamptz = '…53.123456Z'::timestamptz, and so on.
  it('round a fraction beyond the microsecond as PostgreSQL stores it', () => {
    expect(compareInstants('2025-03-14T09:26:53.1234565Z', '2025-03-14T09:26:53.123456Z')).toBe(0);
    expect(compareInstants('2025-03-14T09:26:53.1234575Z', '2025-03-14T09:26:53.123458Z')).toBe(0);
    expect(compareInstants('2025-03-14T09:26:53.9999996Z', '2025-03-14T09:26:54Z')).toBe(0);
  });

  it('take the later of two as GREATEST does, ignoring a null', () => {
    expect(laterInstant(null, '2025-03-14T09:26:53Z')).toBe('2025-03-14T09:26:53Z');
    expect(laterInstant('2025-03-14T09:26:53Z', null)).toBe('2025-03-14T09:26:53Z');
    expect(laterInstant(null, null)).toBeNull();
    expect(laterInstant('2025-03-14T09:26:53.000001Z', '2025-03-14T09:26:53Z')).toBe('2025-03-14T09:26:53.000001Z');
    expect(laterInstant('2025-03-14T09:26:53Z', '2025-03-14T10:26:53+02:00')).toBe('2025-03-14T09:26:53Z');
  });

  it('refuse text that is no ISO 8601 instant', () => {
    expect(() => compareInstants('yesterday', '2025-03-14T09:26:53Z')).toThrow(RangeError);
  });
});
