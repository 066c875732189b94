import { describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import { leadCapturedV1Example, toCloudEvent } from '@l2o/contracts';
import { START } from '@l2o/event-store';
import type { RecordedEvent } from '@l2o/event-store';
import { streamEventFromCloudEvent, streamEventFromRecorded } from './stream-event.ts';

const leadId = leadCapturedV1Example.leadId;

function recorded(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    id: '7d3f1a9e-2c4b-4e6d-8f0a-1b2c3d4e5f60',
    streamId: `lead-${leadId}`,
    streamVersion: 1,
    type: 'LeadCaptured',
    schemaVersion: 1,
    data: { ...leadCapturedV1Example, unknownField: 'stripped' },
    metadata: { tenantId: 'acme', producer: 'ingestion' },
    recordedAt: new Date('2025-03-14T09:26:53.120Z'),
    cursor: START,
    ...overrides,
  };
}

describe('stream events as consumers receive them', () => {
  it('are the same whether read from the store or received from Kafka as the relay publishes them', () => {
    const fromStore = streamEventFromRecorded(recorded());
    expect(streamEventFromCloudEvent(toCloudEvent(recorded()))).toEqual(fromStore);
    expect(fromStore).toMatchObject({
      type: 'LeadCaptured',
      schemaVersion: 1,
      streamId: `lead-${leadId}`,
      aggregate: 'lead',
      aggregateId: leadId,
      tenantId: 'acme',
      recordedAt: new Date('2025-03-14T09:26:53.120Z'),
    });
    expect(fromStore?.data).not.toHaveProperty('unknownField');
  });

  it('leave out streams of no aggregate', () => {
    expect(streamEventFromRecorded(recorded({ streamId: 'import-42' }))).toBeUndefined();
  });

  it('refuse as permanent a stored type and version this build does not know', () => {
    expect(() => streamEventFromRecorded(recorded({ schemaVersion: 9 }))).toThrow(PermanentError);
  });

  it('refuse as permanent a CloudEvent whose tenant is not the one in its data', () => {
    const event = { ...toCloudEvent(recorded()), tenantid: 'globex' };
    expect(() => streamEventFromCloudEvent(event)).toThrow(PermanentError);
  });
});
