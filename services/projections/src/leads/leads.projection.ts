import type pg from 'pg';
import { z } from 'zod';
import { PermanentError } from '@l2o/bus';
import { cloudEventTypeOf, parseEventData } from '@l2o/contracts';
import type { CloudEvent, LeadCapturedV1 } from '@l2o/contracts';
import { withTransaction } from '@l2o/pg';

const leadCapturedType = cloudEventTypeOf('LeadCaptured', 1);

/**
 * The CloudEvents types the leads projection applies; the consumer skips the rest from the headers.
 * Every type of the lead stream must be listed once it exists, even one that changes no column:
 * a skipped type would leave a hole in `version` that the next event reports as a gap.
 */
export const leadsProjectionTypes: readonly string[] = [leadCapturedType];

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

/**
 * Applies one lead event to the `leads` table. The version check and the update share one
 * transaction, so an event is applied exactly once however often Kafka delivers it.
 * @throws PermanentError when the event is invalid (the consumer dead-letters it).
 * @throws {@link StreamGapError} when earlier events of the lead were not applied.
 */
export async function applyLeadEvent(options: { pool: pg.Pool; event: CloudEvent }): Promise<ApplyOutcome> {
  const { event } = options;
  const data = leadCapturedData(event);
  return withTransaction(options.pool, async (client) => {
    const current = await client.query<{ version: number }>(
      'SELECT version FROM leads WHERE tenant_id = $1 AND lead_id = $2 FOR UPDATE',
      [event.tenantid, event.subject],
    );
    const appliedVersion = current.rows[0]?.version ?? 0;
    if (event.streamversion <= appliedVersion) return 'duplicate';
    if (event.streamversion > appliedVersion + 1) {
      throw new StreamGapError({ leadId: event.subject, appliedVersion, receivedVersion: event.streamversion });
    }
    await insertCapturedLead(client, { event, data });
    return 'applied';
  });
}

function leadCapturedData(event: CloudEvent): LeadCapturedV1 {
  if (event.type !== leadCapturedType) {
    throw new PermanentError(`the leads projection does not apply ${event.type}`);
  }
  let data: LeadCapturedV1;
  try {
    data = parseEventData('LeadCaptured', 1, event.data);
  } catch (error) {
    const detail = error instanceof z.ZodError ? z.prettifyError(error) : String(error);
    throw new PermanentError(`invalid ${event.type} data (event ${event.id}): ${detail}`, { cause: error });
  }
  if (data.leadId !== event.subject || data.tenantId !== event.tenantid) {
    throw new PermanentError(
      `event ${event.id}: subject ${event.subject} and tenant ${event.tenantid} do not match ` +
        `the data's lead ${data.leadId} and tenant ${data.tenantId}`,
    );
  }
  return data;
}

async function insertCapturedLead(
  client: pg.PoolClient,
  options: { event: CloudEvent; data: LeadCapturedV1 },
): Promise<void> {
  const { event, data } = options;
  const { contact, company, touchpoint } = data;
  // `updated_at` is the event's time, not now(), so a rebuilt read model equals the original.
  await client.query(
    `INSERT INTO leads (tenant_id, lead_id, status, email, phone, first_name, last_name, job_title,
       company_name, company_domain, channel, source, campaign, captured_at, updated_at, version)
     VALUES ($1, $2, 'captured', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      data.tenantId,
      data.leadId,
      contact.email ?? null,
      contact.phone ?? null,
      contact.firstName ?? null,
      contact.lastName ?? null,
      contact.jobTitle ?? null,
      company.name ?? null,
      company.domain ?? null,
      touchpoint.channel,
      touchpoint.source ?? touchpoint.utm?.source ?? null,
      touchpoint.campaign ?? touchpoint.utm?.campaign ?? null,
      data.capturedAt,
      event.time,
      event.streamversion,
    ],
  );
}
