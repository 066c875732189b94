import type pg from 'pg';
import { z } from 'zod';
import { PermanentError } from '@l2o/bus';
import { catalogue, catalogueEntryByCloudEventType, cloudEventTypeOf, parseEventData } from '@l2o/contracts';
import type {
  CloudEvent,
  LeadActivityRecordedV1,
  LeadCapturedV1,
  LeadProfileUpdatedV1,
  LeadsMergedV1,
  LeadTouchRecordedV1,
} from '@l2o/contracts';
import { withTransaction } from '@l2o/pg';

const leadTypes = {
  captured: cloudEventTypeOf('LeadCaptured', 1),
  touchRecorded: cloudEventTypeOf('LeadTouchRecorded', 1),
  profileUpdated: cloudEventTypeOf('LeadProfileUpdated', 1),
  activityRecorded: cloudEventTypeOf('LeadActivityRecorded', 1),
  merged: cloudEventTypeOf('LeadsMerged', 1),
} as const;

/**
 * The CloudEvents types the leads projection consumes: every lead event type of the catalogue, the
 * ones with no column here too, since a skipped type would leave a hole in `version` that the next
 * event reports as a gap. A type this build's catalogue lacks (a newer event or version) is skipped
 * from the headers, and the lead's next event then stops as a gap: deploy a contracts update to the
 * consumers before a producer emits it.
 */
export const leadsProjectionTypes: readonly string[] = catalogue
  .filter((entry) => entry.aggregate === 'lead')
  .map((entry) => entry.cloudEventType);

/** An event arrived whose predecessor in the lead's stream was never applied; applying it would hide the loss. */
export class StreamGapError extends Error {
  readonly leadId: string;
  readonly appliedVersion: number;
  readonly receivedVersion: number;

  constructor(options: { leadId: string; appliedVersion: number; receivedVersion: number }) {
    super(
      `lead ${options.leadId}: received stream version ${options.receivedVersion} ` +
        `but the last applied is ${options.appliedVersion}; events ${options.appliedVersion + 1}..` +
        `${options.receivedVersion - 1} are missing`,
    );
    this.name = 'StreamGapError';
    this.leadId = options.leadId;
    this.appliedVersion = options.appliedVersion;
    this.receivedVersion = options.receivedVersion;
  }
}

/** `applied`: the row changed; `duplicate`: the event was applied before (a redelivery), nothing changed. */
export type ApplyOutcome = 'applied' | 'duplicate';

/** A validated lead event, by what it does to the row. */
type LeadChange =
  | { type: 'LeadCaptured'; data: LeadCapturedV1 }
  | { type: 'LeadTouchRecorded'; data: LeadTouchRecordedV1 }
  | { type: 'LeadProfileUpdated'; data: LeadProfileUpdatedV1 }
  | { type: 'LeadActivityRecorded'; data: LeadActivityRecordedV1 }
  | { type: 'LeadsMerged'; data: LeadsMergedV1 }
  /** A catalogued lead event this projection has no column for: it only advances `version`. */
  | { type: 'VersionOnly'; data: { leadId?: string; tenantId?: string } };

/**
 * Applies one lead event to the `leads` table. The version check and the update share one
 * transaction, so an event is applied exactly once however often Kafka delivers it.
 * @throws PermanentError when the event is invalid or out of place in a lead stream (the consumer dead-letters it).
 * @throws {@link StreamGapError} when earlier events of the lead were not applied.
 */
export async function applyLeadEvent(options: { pool: pg.Pool; event: CloudEvent }): Promise<ApplyOutcome> {
  const { event } = options;
  const change = leadChangeOf(event);
  return withTransaction(options.pool, async (client) => {
    const current = await client.query<{ version: number }>(
      'SELECT version FROM leads WHERE tenant_id = $1 AND lead_id = $2 FOR UPDATE',
      [event.tenantid, event.subject],
    );
    const row = current.rows[0];
    const appliedVersion = row?.version ?? 0;
    if (event.streamversion <= appliedVersion) return 'duplicate';
    if (event.streamversion > appliedVersion + 1) {
      throw new StreamGapError({ leadId: event.subject, appliedVersion, receivedVersion: event.streamversion });
    }
    if (row === undefined) {
      if (change.type !== 'LeadCaptured') {
        throw new PermanentError(`event ${event.id}: lead ${event.subject}'s stream starts with ${event.type}`);
      }
      await insertCapturedLead(client, { event, data: change.data });
    } else {
      if (change.type === 'LeadCaptured') {
        throw new PermanentError(
          `event ${event.id}: lead ${event.subject} was captured before, at stream version 1, ` +
            `not at ${event.streamversion}`,
        );
      }
      const update = rowUpdate(event, change);
      await client.query(
        `UPDATE leads SET ${update.set === '' ? '' : `${update.set}, `}version = $3
         WHERE tenant_id = $1 AND lead_id = $2`,
        [event.tenantid, event.subject, event.streamversion, ...update.values],
      );
    }
    return 'applied';
  });
}

function leadChangeOf(event: CloudEvent): LeadChange {
  let change: LeadChange;
  try {
    change = parseLeadChange(event);
  } catch (error) {
    if (error instanceof PermanentError) throw error;
    const detail = error instanceof z.ZodError ? z.prettifyError(error) : String(error);
    throw new PermanentError(`invalid ${event.type} data (event ${event.id}): ${detail}`, { cause: error });
  }
  const { leadId = event.subject, tenantId = event.tenantid } = change.data;
  if (leadId !== event.subject || tenantId !== event.tenantid) {
    throw new PermanentError(
      `event ${event.id}: subject ${event.subject} and tenant ${event.tenantid} do not match ` +
        `the data's lead ${leadId} and tenant ${tenantId}`,
    );
  }
  return change;
}

const streamIdsSchema = z.object({ leadId: z.string().optional(), tenantId: z.string().optional() });

function parseLeadChange(event: CloudEvent): LeadChange {
  switch (event.type) {
    case leadTypes.captured:
      return { type: 'LeadCaptured', data: parseEventData('LeadCaptured', 1, event.data) };
    case leadTypes.touchRecorded:
      return { type: 'LeadTouchRecorded', data: parseEventData('LeadTouchRecorded', 1, event.data) };
    case leadTypes.profileUpdated:
      return { type: 'LeadProfileUpdated', data: parseEventData('LeadProfileUpdated', 1, event.data) };
    case leadTypes.activityRecorded:
      return { type: 'LeadActivityRecorded', data: parseEventData('LeadActivityRecorded', 1, event.data) };
    case leadTypes.merged:
      return { type: 'LeadsMerged', data: parseEventData('LeadsMerged', 1, event.data) };
  }
  const entry = catalogueEntryByCloudEventType(event.type);
  if (entry?.aggregate !== 'lead') {
    throw new PermanentError(`the leads projection does not apply ${event.type}: not a lead event of the catalogue`);
  }
  return { type: 'VersionOnly', data: streamIdsSchema.parse(entry.schema.parse(event.data)) };
}

/** The `SET` assignments of an event on an existing row; parameters are numbered from $4. */
type RowUpdate = { set: string; values: unknown[] };

function rowUpdate(event: CloudEvent, change: Exclude<LeadChange, { type: 'LeadCaptured' }>): RowUpdate {
  // `updated_at` is the event's time, not now(), so a rebuilt read model equals the original.
  switch (change.type) {
    case 'LeadTouchRecorded': {
      const { touchpoint } = change.data;
      // The last touch is the latest by when it happened: a backfilled older touch does not replace it.
      const isLatest = '(last_touch_at IS NULL OR last_touch_at <= $4::timestamptz)';
      return {
        set: `touch_count = touch_count + 1,
          last_channel = CASE WHEN ${isLatest} THEN $5 ELSE last_channel END,
          last_campaign = CASE WHEN ${isLatest} THEN $6 ELSE last_campaign END,
          last_touch_at = GREATEST(last_touch_at, $4::timestamptz),
          updated_at = $7`,
        values: [touchpoint.occurredAt, touchpoint.channel, campaignOf(touchpoint), event.time],
      };
    }
    case 'LeadProfileUpdated': {
      // Absent fields keep their value; external ids and custom fields have no column here.
      return {
        set: `email = COALESCE($4, email), phone = COALESCE($5, phone), first_name = COALESCE($6, first_name),
          last_name = COALESCE($7, last_name), job_title = COALESCE($8, job_title),
          company_name = COALESCE($9, company_name), company_domain = COALESCE($10, company_domain),
          country = COALESCE($11, country), industry = COALESCE($12, industry),
          company_size = COALESCE($13::int, company_size),
          consent_marketing = COALESCE($14::boolean, consent_marketing), opted_out = COALESCE($15::boolean, opted_out),
          updated_at = $16`,
        values: [...profileValues(change.data), event.time],
      };
    }
    case 'LeadActivityRecorded':
      return {
        set: `activity_count = activity_count + 1,
          last_activity_at = GREATEST(last_activity_at, $4::timestamptz), updated_at = $5`,
        values: [change.data.activity.occurredAt, event.time],
      };
    case 'LeadsMerged':
      // The survivor's row is unchanged: what it gains from the merged lead arrives as LeadProfileUpdated.
      if (change.data.role === 'survivor') return { set: '', values: [] };
      return {
        set: `status = 'merged', merged_into = $4, updated_at = $5`,
        values: [change.data.survivorLeadId, event.time],
      };
    case 'VersionOnly':
      return { set: '', values: [] };
  }
}

/** Contact, company and consent in column order email … opted_out; an absent field is null. */
function profileValues(data: Pick<LeadProfileUpdatedV1, 'contact' | 'company' | 'consent'>): unknown[] {
  const { contact = {}, company = {}, consent } = data;
  return [
    contact.email ?? null,
    contact.phone ?? null,
    contact.firstName ?? null,
    contact.lastName ?? null,
    contact.jobTitle ?? null,
    company.name ?? null,
    company.domain ?? null,
    company.country ?? null,
    company.industry ?? null,
    company.size ?? null,
    consent?.marketing ?? null,
    consent?.optedOut ?? null,
  ];
}

function campaignOf(touchpoint: LeadCapturedV1['touchpoint']): string | null {
  return touchpoint.campaign ?? touchpoint.utm?.campaign ?? null;
}

async function insertCapturedLead(
  client: pg.PoolClient,
  options: { event: CloudEvent; data: LeadCapturedV1 },
): Promise<void> {
  const { event, data } = options;
  const { touchpoint } = data;
  await client.query(
    `INSERT INTO leads (tenant_id, lead_id, status, email, phone, first_name, last_name, job_title,
       company_name, company_domain, country, industry, company_size, consent_marketing, opted_out,
       channel, source, campaign, touch_count, last_touch_at, last_channel, last_campaign,
       captured_at, updated_at, version)
     VALUES ($1, $2, 'captured', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
       $15, $16, $17, 1, $18, $15, $17, $19, $20, $21)`,
    [
      data.tenantId,
      data.leadId,
      ...profileValues(data),
      touchpoint.channel,
      touchpoint.source ?? touchpoint.utm?.source ?? null,
      campaignOf(touchpoint),
      touchpoint.occurredAt,
      data.capturedAt,
      event.time,
      event.streamversion,
    ],
  );
}
