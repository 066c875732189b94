import { describe, expect, it } from 'vitest';
import { eventMetadata } from './event-metadata.ts';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('eventMetadata', () => {
  it('carries the tenant, the producer and every id it is given', () => {
    expect(
      eventMetadata({
        tenantId: 'acme',
        producer: 'pipeline',
        correlationId: 'req-1',
        causationId: 'event-7',
        traceparent,
      }),
    ).toEqual({ tenantId: 'acme', producer: 'pipeline', correlationId: 'req-1', causationId: 'event-7', traceparent });
  });

  it('leaves out the ids that are not known', () => {
    const metadata = eventMetadata({ tenantId: 'acme', producer: 'routing', correlationId: undefined });
    expect(Object.keys(metadata)).toEqual(['tenantId', 'producer']);
  });
});
