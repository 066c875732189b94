import { describe, expect, it } from 'vitest';
import { apiScopes, isApiScope } from './api-scopes.ts';

describe('API scopes', () => {
  it('grants the three scopes of the architecture', () => {
    expect(apiScopes).toEqual(['ingest', 'read_reports', 'administer_rules', 'work_leads']);
  });

  it('recognises only those, not names inherited from Object', () => {
    expect(apiScopes.every(isApiScope)).toBe(true);
    expect(['read', 'admin', 'toString', '__proto__', ''].some(isApiScope)).toBe(false);
  });
});
