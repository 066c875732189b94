import { describe, expect, it } from 'vitest';
import { catalogue, catalogueEntryByCloudEventType } from '../catalogue.ts';

describe('event catalogue: opportunity events', () => {
  it.each([
    ['OpportunityOpened', 'l2o.opportunity.opened.v1'],
    ['OpportunityStageChanged', 'l2o.opportunity.stage_changed.v1'],
    ['OpportunityDetailsUpdated', 'l2o.opportunity.details_updated.v1'],
    ['OpportunityAmountChanged', 'l2o.opportunity.amount_changed.v1'],
    ['OpportunityCloseDateChanged', 'l2o.opportunity.close_date_changed.v1'],
    ['OpportunityWon', 'l2o.opportunity.won.v1'],
    ['OpportunityLost', 'l2o.opportunity.lost.v1'],
    ['OpportunityReopened', 'l2o.opportunity.reopened.v1'],
    ['OpportunityStalled', 'l2o.opportunity.stalled.v1'],
  ])('describes %s v1 as %s on the opportunity topic', (name, type) => {
    expect(catalogueEntryByCloudEventType(type)).toMatchObject({
      name,
      schemaVersion: 1,
      aggregate: 'opportunity',
      topic: 'l2o.opportunity.v1',
    });
  });

  it('gives every opportunity event the opportunityId and tenantId of its stream', () => {
    const entries = catalogue.filter((candidate) => candidate.aggregate === 'opportunity');
    expect(entries.length).toBeGreaterThanOrEqual(9);
    for (const entry of entries) {
      expect(entry.example, entry.name).toMatchObject({
        opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
        tenantId: 'acme',
      });
    }
  });
});
