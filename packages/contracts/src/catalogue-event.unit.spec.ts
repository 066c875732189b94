import { describe, expect, it } from 'vitest';
import { cloudEventTypesOf, readCatalogueEvent } from './catalogue-event.ts';
import type { CloudEvent } from './envelope.ts';
import { leadCapturedV1Example } from './lead/lead-captured.v1.ts';

function leadCaptured(fields: Partial<CloudEvent> = {}): CloudEvent {
  return {
    specversion: '1.0',
    id: 'event-1',
    type: 'l2o.lead.captured.v1',
    source: '/l2o/ingestion',
    subject: leadCapturedV1Example.leadId,
    time: '2025-03-14T09:26:53.000Z',
    datacontenttype: 'application/json',
    tenantid: leadCapturedV1Example.tenantId,
    streamversion: 1,
    data: leadCapturedV1Example,
    ...fields,
  };
}

describe('cloudEventTypesOf', () => {
  it('gives the ce_type of version 1 of each name, in order', () => {
    expect(cloudEventTypesOf(['LeadQualified', 'OpportunityWon'])).toEqual([
      'l2o.lead.qualified.v1',
      'l2o.opportunity.won.v1',
    ]);
  });
});

describe('readCatalogueEvent', () => {
  it('gives the name and the validated data of a type asked for', () => {
    expect(readCatalogueEvent(leadCaptured(), ['LeadCaptured', 'LeadScored'])).toEqual({
      ok: true,
      event: { type: 'LeadCaptured', data: leadCapturedV1Example },
    });
  });

  it('turns down a known type that was not asked for', () => {
    expect(readCatalogueEvent(leadCaptured(), ['LeadScored'])).toEqual({
      ok: false,
      reason: 'event event-1: unexpected type l2o.lead.captured.v1',
    });
  });

  it('turns down a type the catalogue does not know', () => {
    expect(readCatalogueEvent(leadCaptured({ type: 'l2o.lead.captured.v9' }), ['LeadCaptured'])).toEqual({
      ok: false,
      reason: 'event event-1: unexpected type l2o.lead.captured.v9',
    });
  });

  it('names the field of data that breaks the schema', () => {
    const reading = readCatalogueEvent(leadCaptured({ data: { ...leadCapturedV1Example, leadId: 7 } }), [
      'LeadCaptured',
    ]);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.reason).toMatch(/^event event-1: invalid LeadCaptured data: .*leadId/s);
  });

  it('turns down data of another tenant than the envelope names', () => {
    expect(readCatalogueEvent(leadCaptured({ tenantid: 'globex' }), ['LeadCaptured'])).toEqual({
      ok: false,
      reason: `event event-1: data of tenant ${leadCapturedV1Example.tenantId} under tenant globex`,
    });
  });
});
