import { randomUUID } from 'node:crypto';
import { leadCapturedV1Example } from '@l2o/contracts';
import type { CloudEvent, LeadCapturedV1 } from '@l2o/contracts';

/** A LeadCaptured v1 CloudEvent as the relay publishes it, for a fresh lead of `tenantId`. */
export function leadCapturedEvent(
  options: { tenantId?: string; leadId?: string; streamversion?: number; data?: Partial<LeadCapturedV1> } = {},
): CloudEvent<LeadCapturedV1> {
  const leadId = options.leadId ?? randomUUID();
  const tenantId = options.tenantId ?? `tenant-${randomUUID()}`;
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: 'l2o.lead.captured.v1',
    source: '/l2o/ingestion',
    subject: leadId,
    time: '2025-03-14T09:26:53.120Z',
    datacontenttype: 'application/json',
    tenantid: tenantId,
    streamversion: options.streamversion ?? 1,
    correlationid: 'req-fixture',
    data: { ...leadCapturedV1Example, leadId, tenantId, ...options.data },
  };
}
