import { describe, expect, it } from 'vitest';
import { UnknownEventError } from './catalogue.ts';
import { leadQualifiedV1Example } from './lead/lead-qualified.v1.ts';
import { toCloudEvent } from './stored-event.ts';
import type { StoredEventFields } from './stored-event.ts';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const qualified: StoredEventFields = {
  id: '7d1b3c2e-5a4f-4e8b-9c61-0f2d3e4a5b6c',
  streamId: `lead-${leadQualifiedV1Example.leadId}`,
  streamVersion: 3,
  type: 'LeadQualified',
  schemaVersion: 1,
  data: leadQualifiedV1Example,
  recordedAt: new Date('2025-03-14T09:27:01.000Z'),
  metadata: { tenantId: leadQualifiedV1Example.tenantId, producer: 'scoring' },
};

describe('toCloudEvent', () => {
  it('publishes a stored event under its id, type, aggregate id, producer and stream version', () => {
    expect(toCloudEvent(qualified)).toEqual({
      specversion: '1.0',
      id: qualified.id,
      type: 'l2o.lead.qualified.v1',
      source: '/l2o/scoring',
      subject: leadQualifiedV1Example.leadId,
      time: '2025-03-14T09:27:01.000Z',
      datacontenttype: 'application/json',
      tenantid: leadQualifiedV1Example.tenantId,
      streamversion: 3,
      data: leadQualifiedV1Example,
    });
  });

  it('carries the correlation, causation and trace context the event was stored with', () => {
    const event = toCloudEvent({
      ...qualified,
      metadata: { ...qualified.metadata, correlationId: 'req-1', causationId: 'event-2', traceparent },
    });
    expect(event).toMatchObject({ correlationid: 'req-1', causationid: 'event-2', traceparent });
  });

  it('names an unknown producer as such', () => {
    expect(toCloudEvent({ ...qualified, metadata: { tenantId: 'acme' } }).source).toBe('/l2o/unknown');
  });

  it('refuses an event type the catalogue does not know', () => {
    expect(() => toCloudEvent({ ...qualified, type: 'LeadTeleported' })).toThrow(UnknownEventError);
  });
});
