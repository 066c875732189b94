import { describe, expect, it } from 'vitest';
import { escapeLike, leadFilterCondition, leadFiltersSchema } from './lead-filters.ts';

describe('lead filters', () => {
  it('always confines the condition to the tenant, even with no filter', () => {
    expect(leadFilterCondition({ tenantId: 'acme', filters: {} })).toEqual({
      where: 'tenant_id = $1',
      values: ['acme'],
    });
  });

  it('numbers one parameter per filter, in a fixed order, and never puts a value in the SQL', () => {
    const filters = leadFiltersSchema.parse({ channel: 'ad', minScore: '40', status: 'mql', q: "O'Brien" });
    expect(leadFilterCondition({ tenantId: 'acme', filters })).toEqual({
      where: 'tenant_id = $1 AND status = $2 AND score >= $3 AND channel = $4 AND search_text LIKE $5',
      values: ['acme', 'mql', 40, 'ad', "%o'brien%"],
    });
  });

  it('reads a bare date as midnight UTC', () => {
    expect(leadFiltersSchema.parse({ capturedFrom: '2025-03-10' }).capturedFrom).toBe('2025-03-10T00:00:00Z');
  });

  it('refuses a channel outside the catalogue', () => {
    expect(leadFiltersSchema.safeParse({ channel: 'fax' }).success).toBe(false);
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});
