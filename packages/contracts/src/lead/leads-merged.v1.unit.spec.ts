import { describe, expect, it } from 'vitest';
import { issuesOf } from '../schema-test-support.ts';
import { leadsMergedV1Example, leadsMergedV1Schema } from './leads-merged.v1.ts';

const survivorLeadId = '3f1e2d4c-8b7a-4c6d-9e5f-1a2b3c4d5e6f';
const mergedLeadId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const onMergedStream = {
  leadId: mergedLeadId,
  tenantId: 't1',
  survivorLeadId,
  mergedLeadId,
  role: 'merged',
  mergedAt: '2025-01-01T00:00:00Z',
};

describe('LeadsMerged v1', () => {
  it('accepts the catalogue example', () => {
    expect(leadsMergedV1Schema.parse(leadsMergedV1Example)).toEqual(leadsMergedV1Example);
  });

  it('accepts the event on the merged lead’s stream', () => {
    expect(issuesOf(leadsMergedV1Schema, onMergedStream)).toEqual([]);
  });

  it('refuses a lead merged into itself', () => {
    expect(
      issuesOf(leadsMergedV1Schema, { ...onMergedStream, survivorLeadId: mergedLeadId }).map((issue) => issue.field),
    ).toEqual(['mergedLeadId']);
  });

  it('refuses a leadId that is not the lead of its role', () => {
    expect(issuesOf(leadsMergedV1Schema, { ...onMergedStream, role: 'survivor' })).toEqual([
      { field: 'leadId', message: expect.stringContaining('survivor') },
    ]);
  });

  it.each([
    ['role', { ...onMergedStream, role: 'absorbed' }],
    ['mergedAt', { ...onMergedStream, mergedAt: '' }],
    ['absorbedCaptureIds.0', { ...onMergedStream, absorbedCaptureIds: [''] }],
  ])('rejects a bad %s with its path', (field, data) => {
    expect(issuesOf(leadsMergedV1Schema, data).map((issue) => issue.field)).toEqual([field]);
  });
});
