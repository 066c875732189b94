import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  catalogueEntryOf,
  cloudEventTypeOf,
  leadActivityRecordedV1Example,
  leadCapturedV1Example,
  leadProfileUpdatedV1Example,
  leadTouchRecordedV1Example,
} from '@l2o/contracts';
import { applyEvent } from '../read-model/apply-events.ts';
import type { ApplyOutcome } from '../read-model/apply-events.ts';
import { streamEventFromCloudEvent } from '@l2o/stream-consumer';
import { leadsReadModel } from './leads.projection.ts';
import type {
  CloudEvent,
  EventName,
  LeadActivityRecordedV1,
  LeadCapturedV1,
  LeadMergeRole,
  LeadProfileUpdatedV1,
  LeadsMergedV1,
  LeadTouchRecordedV1,
} from '@l2o/contracts';

/** The lead an event belongs to: its captured event, or any event of its stream. */
type OfLead = { subject: string; tenantid: string };

/** An event of the lead stream, as the relay publishes it, at `streamversion` of the lead's stream. */
function leadStreamEvent<Data>(options: {
  type: string;
  lead: OfLead;
  streamversion: number;
  time: string;
  data: Data;
}): CloudEvent<Data> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: options.type,
    source: '/l2o/ingestion',
    subject: options.lead.subject,
    time: options.time,
    datacontenttype: 'application/json',
    tenantid: options.lead.tenantid,
    streamversion: options.streamversion,
    correlationid: 'req-fixture',
    data: options.data,
  };
}

/** A LeadCaptured v1 CloudEvent as the relay publishes it, for a fresh lead of `tenantId`. */
export function leadCapturedEvent(
  options: { tenantId?: string; leadId?: string; streamversion?: number; data?: Partial<LeadCapturedV1> } = {},
): CloudEvent<LeadCapturedV1> {
  const leadId = options.leadId ?? randomUUID();
  const tenantId = options.tenantId ?? `tenant-${randomUUID()}`;
  return leadStreamEvent({
    type: cloudEventTypeOf('LeadCaptured', 1),
    lead: { subject: leadId, tenantid: tenantId },
    streamversion: options.streamversion ?? 1,
    time: '2025-03-14T09:26:53.120Z',
    data: { ...leadCapturedV1Example, leadId, tenantId, ...options.data },
  });
}

/** A LeadTouchRecorded v1 of `lead` (the example's LinkedIn ad touch unless `data` says otherwise). */
export function leadTouchRecordedEvent(options: {
  lead: OfLead;
  streamversion: number;
  data?: Partial<LeadTouchRecordedV1>;
}): CloudEvent<LeadTouchRecordedV1> {
  const { lead } = options;
  return leadStreamEvent({
    type: cloudEventTypeOf('LeadTouchRecorded', 1),
    lead,
    streamversion: options.streamversion,
    time: '2025-04-02T14:05:12.120Z',
    data: { ...leadTouchRecordedV1Example, leadId: lead.subject, tenantId: lead.tenantid, ...options.data },
  });
}

/** A LeadProfileUpdated v1 of `lead` that sets exactly the fields in `changes`. */
export function leadProfileUpdatedEvent(options: {
  lead: OfLead;
  streamversion: number;
  changes: Pick<LeadProfileUpdatedV1, 'contact' | 'company' | 'consent' | 'externalIds' | 'customFields'>;
}): CloudEvent<LeadProfileUpdatedV1> {
  const { lead } = options;
  return leadStreamEvent({
    type: cloudEventTypeOf('LeadProfileUpdated', 1),
    lead,
    streamversion: options.streamversion,
    time: '2025-04-02T14:05:12.240Z',
    data: {
      leadId: lead.subject,
      tenantId: lead.tenantid,
      updatedAt: leadProfileUpdatedV1Example.updatedAt,
      source: 'capture',
      ...options.changes,
    },
  });
}

/** A LeadActivityRecorded v1 of `lead` (the example's pricing page view unless `occurredAt` says otherwise). */
export function leadActivityRecordedEvent(options: {
  lead: OfLead;
  streamversion: number;
  occurredAt?: string;
}): CloudEvent<LeadActivityRecordedV1> {
  const { lead } = options;
  const example = leadActivityRecordedV1Example;
  return leadStreamEvent({
    type: cloudEventTypeOf('LeadActivityRecorded', 1),
    lead,
    streamversion: options.streamversion,
    time: '2025-04-03T08:15:02.120Z',
    data: {
      ...example,
      leadId: lead.subject,
      tenantId: lead.tenantid,
      activity: { ...example.activity, occurredAt: options.occurredAt ?? example.activity.occurredAt },
      captureId: `web:${randomUUID()}`,
    },
  });
}

/** The LeadsMerged v1 on `lead`'s stream, `role` saying which side of the merge with `other` it is. */
export function leadsMergedEvent(options: {
  lead: OfLead;
  other: OfLead;
  role: LeadMergeRole;
  streamversion: number;
}): CloudEvent<LeadsMergedV1> {
  const { lead, other, role } = options;
  const [survivor, merged] = role === 'survivor' ? [lead, other] : [other, lead];
  return leadStreamEvent({
    type: cloudEventTypeOf('LeadsMerged', 1),
    lead,
    streamversion: options.streamversion,
    time: '2025-04-05T10:00:00.120Z',
    data: {
      leadId: lead.subject,
      tenantId: lead.tenantid,
      survivorLeadId: survivor.subject,
      mergedLeadId: merged.subject,
      role,
      mergedAt: '2025-04-05T10:00:00.000Z',
      reason: 'same person: work and personal email',
    },
  });
}

/** Applies a CloudEvent to the leads read model alone, as the Kafka consumer does; its outcome there. */
export async function applyLeadEvent(options: { pool: pg.Pool; event: CloudEvent }): Promise<ApplyOutcome | undefined> {
  const result = await applyEvent({
    pool: options.pool,
    readModels: [leadsReadModel],
    event: streamEventFromCloudEvent(options.event),
  });
  return result[leadsReadModel.name];
}

/**
 * A lead event of any catalogued type at version 1: the catalogue's example data for `lead`, with
 * `data` on top; recorded at `time` (default: one second after the example's own time).
 */
export function leadEventOf(options: {
  lead: OfLead;
  streamversion: number;
  name: EventName;
  data?: Record<string, unknown>;
  time?: string;
}): CloudEvent<Record<string, unknown>> {
  const entry = catalogueEntryOf(options.name, 1);
  if (entry === undefined || entry.aggregate !== 'lead') throw new Error(`${options.name} v1 is no lead event`);
  const { lead } = options;
  return leadStreamEvent({
    type: entry.cloudEventType,
    lead,
    streamversion: options.streamversion,
    time: options.time ?? '2025-04-03T08:15:04.120Z',
    data: { ...entry.example, leadId: lead.subject, tenantId: lead.tenantid, ...options.data },
  });
}

/** A LeadScored v1 of `lead` with `score` (grade from it) and the example's breakdown. */
export function leadScoredEvent(options: { lead: OfLead; streamversion: number; score: number }) {
  const { score } = options;
  const grade = score >= 80 ? 'A' : score >= 60 ? 'B' : score >= 40 ? 'C' : 'D';
  return leadEventOf({ ...options, name: 'LeadScored', data: { score, grade } });
}
