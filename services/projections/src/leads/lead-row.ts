import type { LeadCapturedV1, LeadProfileUpdatedV1 } from '@l2o/contracts';
import type { StreamEvent } from '@l2o/stream-consumer';
import { compareInstants, laterInstant } from '../read-model/instant.ts';
import type { Instant } from '../read-model/instant.ts';

/**
 * A row of `leads` as the projection writes it: every column but the generated ones (status,
 * captured_day, search_text), times as ISO text so they keep their microseconds.
 */
export type LeadRow = {
  tenant_id: string;
  lead_id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  job_title: string | null;
  company_name: string | null;
  company_domain: string | null;
  country: string | null;
  industry: string | null;
  company_size: number | null;
  consent_marketing: boolean | null;
  opted_out: boolean | null;
  channel: string;
  source: string | null;
  campaign: string | null;
  touch_count: number;
  last_touch_at: Instant | null;
  last_channel: string | null;
  last_campaign: string | null;
  activity_count: number;
  last_activity_at: Instant | null;
  merged_into: string | null;
  stage: string;
  score: number | null;
  grade: string | null;
  scored_at: Instant | null;
  qualified_at: Instant | null;
  owner_id: string | null;
  pool_id: string | null;
  assigned_at: Instant | null;
  first_assigned_at: Instant | null;
  response_due_at: Instant | null;
  responded_at: Instant | null;
  last_contacted_at: Instant | null;
  recycle_count: number;
  sla_breaches: number;
  escalated_at: Instant | null;
  sales_qualified_at: Instant | null;
  converted_at: Instant | null;
  opportunity_id: string | null;
  disqualified_at: Instant | null;
  disqualification_reason: string | null;
  captured_at: Instant;
  updated_at: Instant;
  version: number;
};

/** The columns of a {@link LeadRow}, in table order. */
export const leadRowColumns = [
  'tenant_id',
  'lead_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'job_title',
  'company_name',
  'company_domain',
  'channel',
  'source',
  'campaign',
  'captured_at',
  'updated_at',
  'version',
  'touch_count',
  'last_touch_at',
  'last_channel',
  'last_campaign',
  'activity_count',
  'last_activity_at',
  'country',
  'industry',
  'company_size',
  'consent_marketing',
  'opted_out',
  'merged_into',
  'stage',
  'score',
  'grade',
  'scored_at',
  'qualified_at',
  'owner_id',
  'pool_id',
  'assigned_at',
  'first_assigned_at',
  'response_due_at',
  'responded_at',
  'last_contacted_at',
  'recycle_count',
  'sla_breaches',
  'escalated_at',
  'sales_qualified_at',
  'converted_at',
  'opportunity_id',
  'disqualified_at',
  'disqualification_reason',
] as const satisfies ReadonlyArray<keyof LeadRow>;

/** The row a lead's capture creates (stream version 1): the capture is its first touch. */
export function capturedLeadRow(event: Extract<StreamEvent, { type: 'LeadCaptured' }>): LeadRow {
  const { data } = event;
  const { touchpoint } = data;
  const campaign = campaignOf(touchpoint);
  return {
    tenant_id: event.tenantId,
    lead_id: event.aggregateId,
    ...profileOf(data),
    channel: touchpoint.channel,
    source: touchpoint.source ?? touchpoint.utm?.source ?? null,
    campaign,
    touch_count: 1,
    last_touch_at: touchpoint.occurredAt,
    last_channel: touchpoint.channel,
    last_campaign: campaign,
    activity_count: 0,
    last_activity_at: null,
    merged_into: null,
    stage: 'new',
    score: null,
    grade: null,
    scored_at: null,
    qualified_at: null,
    owner_id: null,
    pool_id: null,
    assigned_at: null,
    first_assigned_at: null,
    response_due_at: null,
    responded_at: null,
    last_contacted_at: null,
    recycle_count: 0,
    sla_breaches: 0,
    escalated_at: null,
    sales_qualified_at: null,
    converted_at: null,
    opportunity_id: null,
    disqualified_at: null,
    disqualification_reason: null,
    captured_at: data.capturedAt,
    updated_at: event.recordedAt.toISOString(),
    version: event.streamVersion,
  };
}

/**
 * Changes `row` to what it is after a later event of the lead (not its capture). `updated_at` becomes the commit time of
 * the event when it changes a column (not now(), so a rebuilt read model equals the original); an event
 * with nothing to show here moves the version alone.
 */
export function applyToLeadRow(row: LeadRow, event: StreamEvent): void {
  const changes = changesOf(row, event);
  // In place: a batch folds thousands of events into rows it owns, and a copy per event is garbage to collect.
  if (changes !== undefined) Object.assign(row, changes, { updated_at: event.recordedAt.toISOString() });
  row.version = event.streamVersion;
}

/** What the lead loses when its owner gives it up or has it taken away. */
const ownerCleared = { owner_id: null, assigned_at: null, response_due_at: null, responded_at: null } as const;

function changesOf(row: LeadRow, event: StreamEvent): Partial<LeadRow> | undefined {
  switch (event.type) {
    case 'LeadTouchRecorded': {
      const { touchpoint } = event.data;
      // The last touch is the latest by when it happened: a backfilled older touch does not replace it.
      const isLatest = row.last_touch_at === null || compareInstants(row.last_touch_at, touchpoint.occurredAt) <= 0;
      return {
        touch_count: row.touch_count + 1,
        ...(isLatest ? { last_channel: touchpoint.channel, last_campaign: campaignOf(touchpoint) } : {}),
        last_touch_at: laterInstant(row.last_touch_at, touchpoint.occurredAt),
      };
    }
    case 'LeadProfileUpdated':
      // Absent fields keep their value; external ids and custom fields have no column here.
      return withoutNulls(profileOf(event.data));
    case 'LeadActivityRecorded':
      return {
        activity_count: row.activity_count + 1,
        last_activity_at: laterInstant(row.last_activity_at, event.data.activity.occurredAt),
      };
    case 'LeadsMerged':
      // The survivor's row is unchanged: what it gains from the merged lead arrives as LeadProfileUpdated.
      if (event.data.role === 'survivor') return undefined;
      return { merged_into: event.data.survivorLeadId };
    case 'LeadScored':
      return { score: event.data.score, grade: event.data.grade, scored_at: event.data.scoredAt };
    case 'LeadQualified':
      // The first qualification counts for the funnel; a lead qualified again after a revocation keeps it.
      return {
        stage: row.stage === 'new' ? 'mql' : row.stage,
        qualified_at: row.qualified_at ?? event.data.qualifiedAt,
      };
    case 'LeadQualificationRevoked':
      return { stage: row.stage === 'mql' ? 'new' : row.stage };
    case 'LeadAssigned': {
      const { ownerId, poolId, assignedAt, responseDueAt } = event.data;
      // A new owner owes a response of their own: an earlier owner's does not count.
      return {
        owner_id: ownerId,
        pool_id: poolId,
        assigned_at: assignedAt,
        first_assigned_at: row.first_assigned_at ?? assignedAt,
        response_due_at: responseDueAt ?? null,
        responded_at: null,
      };
    }
    case 'LeadAccepted':
      return { responded_at: firstResponse(row, event.data.acceptedAt) };
    case 'LeadContacted':
      return {
        responded_at: firstResponse(row, event.data.contactedAt),
        last_contacted_at: laterInstant(row.last_contacted_at, event.data.contactedAt),
      };
    case 'LeadRejected':
      return ownerCleared;
    case 'LeadRecycled':
      return { ...ownerCleared, pool_id: event.data.toPoolId, recycle_count: row.recycle_count + 1 };
    case 'LeadResponseSlaBreached':
      return { sla_breaches: Math.max(row.sla_breaches, event.data.breachCount) };
    case 'LeadEscalated':
      return { escalated_at: row.escalated_at ?? event.data.escalatedAt };
    case 'LeadSalesQualified':
      return { stage: 'sql', sales_qualified_at: event.data.qualifiedAt };
    case 'LeadConverted':
      return { stage: 'converted', converted_at: event.data.convertedAt, opportunity_id: event.data.opportunityId };
    case 'LeadDisqualified':
      return {
        stage: 'disqualified',
        disqualified_at: event.data.disqualifiedAt,
        disqualification_reason: event.data.reason,
      };
    default:
      // A lead event this model has no column for (a newer catalogue entry): the version alone moves.
      return undefined;
  }
}

/** The owner's first answer to the current assignment meets the first-response SLA; later ones change nothing. */
function firstResponse(row: LeadRow, at: Instant): Instant | null {
  return row.owner_id !== null ? (row.responded_at ?? at) : row.responded_at;
}

type Profile = Pick<
  LeadRow,
  | 'email'
  | 'phone'
  | 'first_name'
  | 'last_name'
  | 'job_title'
  | 'company_name'
  | 'company_domain'
  | 'country'
  | 'industry'
  | 'company_size'
  | 'consent_marketing'
  | 'opted_out'
>;

/** Contact, company and consent columns; an absent field is null. */
function profileOf(data: Pick<LeadProfileUpdatedV1, 'contact' | 'company' | 'consent'>): Profile {
  const { contact = {}, company = {}, consent } = data;
  return {
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    first_name: contact.firstName ?? null,
    last_name: contact.lastName ?? null,
    job_title: contact.jobTitle ?? null,
    company_name: company.name ?? null,
    company_domain: company.domain ?? null,
    country: company.country ?? null,
    industry: company.industry ?? null,
    company_size: company.size ?? null,
    consent_marketing: consent?.marketing ?? null,
    opted_out: consent?.optedOut ?? null,
  };
}

function withoutNulls(profile: Profile): Partial<Profile> {
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== null));
}

function campaignOf(touchpoint: LeadCapturedV1['touchpoint']): string | null {
  return touchpoint.campaign ?? touchpoint.utm?.campaign ?? null;
}
