import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  aggregateOfCloudEventType,
  catalogue,
  catalogueEntryByCloudEventType,
  cloudEventTypeOf,
  latestCatalogueEntry,
  parseEventData,
  parseStreamId,
  streamIdFor,
  topicForStream,
  UnknownEventError,
} from './catalogue.ts';
import { leadCapturedV1Example } from './lead/lead-captured.v1.ts';

function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('event catalogue', () => {
  it('describes LeadCaptured v1 on the lead topic', () => {
    const entry = catalogueEntryByCloudEventType('l2o.lead.captured.v1');
    expect(entry).toMatchObject({ name: 'LeadCaptured', schemaVersion: 1, aggregate: 'lead', topic: 'l2o.lead.v1' });
  });

  it.each([
    ['LeadTouchRecorded', 'l2o.lead.touch_recorded.v1'],
    ['LeadProfileUpdated', 'l2o.lead.profile_updated.v1'],
    ['LeadActivityRecorded', 'l2o.lead.activity_recorded.v1'],
    ['LeadsMerged', 'l2o.lead.leads_merged.v1'],
  ])('describes %s v1 as %s on the lead topic', (name, type) => {
    expect(catalogueEntryByCloudEventType(type)).toMatchObject({ name, schemaVersion: 1, topic: 'l2o.lead.v1' });
  });

  it('gives every lead event the leadId and tenantId of its stream', () => {
    for (const entry of catalogue.filter((candidate) => candidate.aggregate === 'lead')) {
      expect(entry.example, entry.name).toMatchObject({ leadId: expect.any(String), tenantId: expect.any(String) });
    }
  });

  it('gives every entry a unique CloudEvents type that follows the naming rule', () => {
    const types = catalogue.map((entry) => entry.cloudEventType);
    expect(new Set(types).size).toBe(types.length);
    for (const entry of catalogue) {
      expect(entry.cloudEventType).toMatch(
        new RegExp(`^l2o\\.${entry.aggregate}\\.[a-z_]+\\.v${entry.schemaVersion}$`),
      );
    }
  });

  it('holds examples that its own schemas accept', () => {
    for (const entry of catalogue) expect(entry.schema.safeParse(entry.example).success).toBe(true);
  });

  it('maps a name and version to its CloudEvents type', () => {
    expect(cloudEventTypeOf('LeadCaptured', 1)).toBe('l2o.lead.captured.v1');
    expect(() => cloudEventTypeOf('LeadCaptured', 99)).toThrow(UnknownEventError);
  });

  it('finds the latest version of a name', () => {
    expect(latestCatalogueEntry('LeadCaptured')?.schemaVersion).toBe(1);
    expect(latestCatalogueEntry('LeadVanished')).toBeUndefined();
  });

  it('does not know CloudEvents types outside the catalogue', () => {
    expect(catalogueEntryByCloudEventType('l2o.lead.captured.v9')).toBeUndefined();
  });

  it('parses event data into its typed form', () => {
    const data = parseEventData('LeadCaptured', 1, { ...leadCapturedV1Example, addedLater: true });
    expect(data).toEqual(leadCapturedV1Example);
    expect(data.contact.email).toBe('ada@example.com');
  });

  it('rejects invalid event data with the field path', () => {
    const error = thrownBy(() => parseEventData('LeadCaptured', 1, { ...leadCapturedV1Example, leadId: 'x' }));
    expect(error).toBeInstanceOf(z.ZodError);
    expect((error as z.ZodError).issues.map((issue) => issue.path)).toEqual([['leadId']]);
  });

  it('names streams after the aggregate and id, and routes them to its topic', () => {
    const id = '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b';
    expect(streamIdFor('lead', id)).toBe(`lead-${id}`);
    expect(parseStreamId(`lead-${id}`)).toEqual({ aggregate: 'lead', id });
    expect(topicForStream(`lead-${id}`)).toBe('l2o.lead.v1');
    expect(topicForStream(`opportunity-${id}`)).toBe('l2o.opportunity.v1');
  });

  it('publishes no topic for streams outside the aggregates', () => {
    for (const streamId of ['checkpoint-projections', 'lead-', 'lead']) {
      expect(parseStreamId(streamId)).toBeUndefined();
      expect(() => topicForStream(streamId)).toThrow(/no published aggregate/);
    }
  });

  it('names the aggregate of a known type, of a type from a newer producer, and of no aggregate', () => {
    expect(aggregateOfCloudEventType('l2o.lead.captured.v1')).toBe('lead');
    expect(aggregateOfCloudEventType('l2o.opportunity.renamed.v9')).toBe('opportunity');
    expect(aggregateOfCloudEventType('l2o.lead-intake.submitted.v1')).toBeUndefined();
    expect(aggregateOfCloudEventType('l2o.invoice.paid.v1')).toBeUndefined();
  });
});
