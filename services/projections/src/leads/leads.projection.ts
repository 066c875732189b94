import type pg from 'pg';
import { PermanentError } from '@l2o/bus';
import { catalogue } from '@l2o/contracts';
import type { LeadCapturedV1, LeadProfileUpdatedV1 } from '@l2o/contracts';
import type { ProjectedEvent, ReadModel } from '../read-model/read-model.ts';

// Every lead event of the catalogue, the ones with no column here too: each advances the row's version,
// the stream version the row reflects, which the query API shows.
const leadEventNames = new Set<string>(
  catalogue.filter((entry) => entry.aggregate === 'lead').map((entry) => entry.name),
);

/** The `leads` read model: one row per lead with its current state, for lists, filters and reports. */
export const leadsReadModel: ReadModel = {
  name: 'leads',
  tables: ['leads'],
  handles: (eventType) => leadEventNames.has(eventType),
  apply: applyToLeads,
};

async function applyToLeads(options: { client: pg.PoolClient; event: ProjectedEvent }): Promise<void> {
  const { client, event } = options;
  if (event.type === 'LeadCaptured') {
    if (event.streamVersion !== 1) {
      throw new PermanentError(
        `event ${event.id}: lead ${event.aggregateId} was captured before, at stream version 1, ` +
          `not at ${event.streamVersion}`,
      );
    }
    await insertCapturedLead(client, { event, data: event.data });
    return;
  }
  if (event.streamVersion === 1) {
    throw new PermanentError(`event ${event.id}: lead ${event.aggregateId}'s stream starts with ${event.type}`);
  }
  const update = rowUpdate(event);
  // `updated_at` is the commit time of the last event that changed a column, not now(), so a rebuilt
  // read model equals the original; an event with nothing to show here moves the version alone.
  const keys = [event.tenantId, event.aggregateId, event.streamVersion];
  const result = await client.query(
    update.set === ''
      ? 'UPDATE leads SET version = $3 WHERE tenant_id = $1 AND lead_id = $2'
      : `UPDATE leads SET ${update.set}, updated_at = $4, version = $3 WHERE tenant_id = $1 AND lead_id = $2`,
    update.set === '' ? keys : [...keys, event.recordedAt, ...update.values],
  );
  if (result.rowCount !== 1) {
    throw new Error(`lead ${event.aggregateId}: no row at stream version ${event.streamVersion - 1} to update`);
  }
}

/** The `SET` assignments of an event on an existing row, besides `updated_at` and `version`; parameters from $5. */
type RowUpdate = { set: string; values: unknown[] };

const unchanged: RowUpdate = { set: '', values: [] };

/** What the lead loses when its owner gives it up or has it taken away. */
const ownerCleared = 'owner_id = NULL, assigned_at = NULL, response_due_at = NULL, responded_at = NULL';

function rowUpdate(event: ProjectedEvent): RowUpdate {
  switch (event.type) {
    case 'LeadTouchRecorded': {
      const { touchpoint } = event.data;
      // The last touch is the latest by when it happened: a backfilled older touch does not replace it.
      const isLatest = '(last_touch_at IS NULL OR last_touch_at <= $5::timestamptz)';
      return {
        set: `touch_count = touch_count + 1,
          last_channel = CASE WHEN ${isLatest} THEN $6 ELSE last_channel END,
          last_campaign = CASE WHEN ${isLatest} THEN $7 ELSE last_campaign END,
          last_touch_at = GREATEST(last_touch_at, $5::timestamptz)`,
        values: [touchpoint.occurredAt, touchpoint.channel, campaignOf(touchpoint)],
      };
    }
    case 'LeadProfileUpdated':
      // Absent fields keep their value; external ids and custom fields have no column here.
      return {
        set: `email = COALESCE($5, email), phone = COALESCE($6, phone), first_name = COALESCE($7, first_name),
          last_name = COALESCE($8, last_name), job_title = COALESCE($9, job_title),
          company_name = COALESCE($10, company_name), company_domain = COALESCE($11, company_domain),
          country = COALESCE($12, country), industry = COALESCE($13, industry),
          company_size = COALESCE($14::int, company_size),
          consent_marketing = COALESCE($15::boolean, consent_marketing), opted_out = COALESCE($16::boolean, opted_out)`,
        values: profileValues(event.data),
      };
    case 'LeadActivityRecorded':
      return {
        set: 'activity_count = activity_count + 1, last_activity_at = GREATEST(last_activity_at, $5::timestamptz)',
        values: [event.data.activity.occurredAt],
      };
    case 'LeadsMerged':
      // The survivor's row is unchanged: what it gains from the merged lead arrives as LeadProfileUpdated.
      if (event.data.role === 'survivor') return unchanged;
      return { set: 'merged_into = $5', values: [event.data.survivorLeadId] };
    case 'LeadScored':
      return {
        set: 'score = $5, grade = $6, scored_at = $7',
        values: [event.data.score, event.data.grade, event.data.scoredAt],
      };
    case 'LeadQualified':
      // The first qualification counts for the funnel; a lead qualified again after a revocation keeps it.
      return {
        set: `stage = CASE WHEN stage = 'new' THEN 'mql' ELSE stage END, qualified_at = COALESCE(qualified_at, $5)`,
        values: [event.data.qualifiedAt],
      };
    case 'LeadQualificationRevoked':
      return { set: `stage = CASE WHEN stage = 'mql' THEN 'new' ELSE stage END`, values: [] };
    case 'LeadAssigned': {
      const { ownerId, poolId, assignedAt, responseDueAt } = event.data;
      // A new owner owes a response of their own: an earlier owner's does not count.
      return {
        set: `owner_id = $5, pool_id = $6, assigned_at = $7, first_assigned_at = COALESCE(first_assigned_at, $7),
          response_due_at = $8, responded_at = NULL`,
        values: [ownerId, poolId, assignedAt, responseDueAt ?? null],
      };
    }
    case 'LeadAccepted':
      return respondedUpdate(event.data.acceptedAt, '');
    case 'LeadContacted':
      return respondedUpdate(event.data.contactedAt, ', last_contacted_at = GREATEST(last_contacted_at, $5)');
    case 'LeadRejected':
      return { set: ownerCleared, values: [] };
    case 'LeadRecycled':
      return {
        set: `${ownerCleared}, pool_id = $5, recycle_count = recycle_count + 1`,
        values: [event.data.toPoolId],
      };
    case 'LeadResponseSlaBreached':
      return { set: 'sla_breaches = GREATEST(sla_breaches, $5)', values: [event.data.breachCount] };
    case 'LeadEscalated':
      return { set: 'escalated_at = COALESCE(escalated_at, $5)', values: [event.data.escalatedAt] };
    case 'LeadSalesQualified':
      return { set: `stage = 'sql', sales_qualified_at = $5`, values: [event.data.qualifiedAt] };
    case 'LeadConverted':
      return {
        set: `stage = 'converted', converted_at = $5, opportunity_id = $6`,
        values: [event.data.convertedAt, event.data.opportunityId],
      };
    case 'LeadDisqualified':
      return {
        set: `stage = 'disqualified', disqualified_at = $5, disqualification_reason = $6`,
        values: [event.data.disqualifiedAt, event.data.reason],
      };
    default:
      // A lead event this model has no column for (a newer catalogue entry): the version alone moves.
      return unchanged;
  }
}

/** The owner's first answer to the current assignment meets the first-response SLA; later ones change nothing. */
function respondedUpdate(at: string, extra: string): RowUpdate {
  return {
    set: `responded_at = CASE WHEN owner_id IS NOT NULL THEN COALESCE(responded_at, $5::timestamptz) ELSE responded_at END${extra}`,
    values: [at],
  };
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
  options: { event: ProjectedEvent; data: LeadCapturedV1 },
): Promise<void> {
  const { event, data } = options;
  const { touchpoint } = data;
  await client.query(
    `INSERT INTO leads (tenant_id, lead_id, email, phone, first_name, last_name, job_title,
       company_name, company_domain, country, industry, company_size, consent_marketing, opted_out,
       channel, source, campaign, touch_count, last_touch_at, last_channel, last_campaign,
       captured_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
       $15, $16, $17, 1, $18, $15, $17, $19, $20, $21)`,
    [
      event.tenantId,
      event.aggregateId,
      ...profileValues(data),
      touchpoint.channel,
      touchpoint.source ?? touchpoint.utm?.source ?? null,
      campaignOf(touchpoint),
      touchpoint.occurredAt,
      data.capturedAt,
      event.recordedAt,
      event.streamVersion,
    ],
  );
}
