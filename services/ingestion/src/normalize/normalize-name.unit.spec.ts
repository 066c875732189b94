import { describe, expect, it } from 'vitest';
import { normalizeName } from './normalize-name.ts';

describe('normalizeName', () => {
  it.each([
    { input: 'Ada', expected: 'Ada' },
    { input: '  Ada  ', expected: 'Ada' },
    { input: 'Ada   King', expected: 'Ada King' },
    { input: ' Ada\tKing\nLovelace ', expected: 'Ada King Lovelace' },
    { input: 'Ada\u00a0King', expected: 'Ada King' },
    { input: 'José  María', expected: 'José María' },
    { input: '', expected: undefined },
    { input: ' \t\n ', expected: undefined },
    { input: undefined, expected: undefined },
  ])('$input → $expected', ({ input, expected }) => {
    expect(normalizeName(input)).toBe(expected);
  });
});
