import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadCapturedV1Example, opportunityOpenedV1Example } from '@l2o/contracts';
import { opportunityIdForLead } from './opportunity-id.ts';

describe('opportunityIdForLead', () => {
  it('gives the same id for the same lead every time', () => {
    const leadId = randomUUID();
    expect(opportunityIdForLead(leadId)).toBe(opportunityIdForLead(leadId));
  });

  it('is pinned, so ids stay stable across releases', () => {
    expect(opportunityIdForLead('0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b')).toBe('b5aa9e68-2b92-5c34-ab3d-6bae41a072f8');
  });

  it('ignores the case of the lead id', () => {
    const leadId = randomUUID();
    expect(opportunityIdForLead(leadId.toUpperCase())).toBe(opportunityIdForLead(leadId));
  });

  it('gives different leads different ids, none equal to its lead id', () => {
    const leadIds = Array.from({ length: 200 }, () => randomUUID());
    const ids = leadIds.map(opportunityIdForLead);
    expect(new Set(ids).size).toBe(leadIds.length);
    expect(ids.some((id, index) => id === leadIds[index])).toBe(false);
  });

  it('is the id the catalogue example opens for the example lead', () => {
    expect(opportunityIdForLead(leadCapturedV1Example.leadId)).toBe(opportunityOpenedV1Example.opportunityId);
    expect(opportunityOpenedV1Example.leadId).toBe(leadCapturedV1Example.leadId);
  });
});
