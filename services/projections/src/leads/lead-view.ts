import { z } from 'zod';
import { leadGrades } from '@l2o/contracts';
import type { LeadGrade } from '@l2o/contracts';
import type { CsvValue } from '../csv.ts';
import { leadStatuses } from './lead-filters.ts';
import type { LeadStatus } from './lead-filters.ts';

const nullableText = z.string().nullable();
const nullableTime = z.iso.datetime().nullable();

export const leadView = z
  .object({
    leadId: z.uuid(),
    status: z
      .enum(leadStatuses)
      .describe(
        'captured, mql (qualified, not yet owned), assigned (owned, no response yet), working (the owner responded), ' +
          'sql, converted, disqualified, or merged (the lead lives on as mergedInto).',
      ),
    mergedInto: z
      .uuid()
      .nullable()
      .describe('The lead this one was merged into (status merged): read that one to follow the person.'),
    email: nullableText,
    phone: nullableText,
    firstName: nullableText,
    lastName: nullableText,
    jobTitle: nullableText,
    companyName: nullableText,
    companyDomain: nullableText,
    channel: nullableText.describe('The channel of the first touch.'),
    source: nullableText,
    campaign: nullableText,
    country: nullableText.describe("The company's country, ISO 3166-1 alpha-2."),
    industry: nullableText,
    companySize: z.int().nullable().describe('Number of employees.'),
    consentMarketing: z.boolean().nullable().describe('Agreed to marketing; null when no channel recorded consent.'),
    optedOut: z.boolean().nullable().describe('Asked not to be contacted; null when no channel recorded consent.'),
    touchCount: z.int().describe('Touches so far, the capture included.'),
    lastTouchAt: nullableTime.describe('When the latest touch happened.'),
    lastChannel: nullableText.describe('The channel of the latest touch.'),
    lastCampaign: nullableText.describe('The campaign of the latest touch.'),
    activityCount: z.int().describe('Behaviours recorded (page views, downloads, email clicks…).'),
    lastActivityAt: nullableTime.describe('When the latest recorded behaviour happened.'),
    score: z.int().nullable().describe('The latest score, 0–100; see the timeline for its explanation.'),
    grade: z.enum(leadGrades).nullable(),
    scoredAt: nullableTime,
    qualifiedAt: nullableTime.describe('When the lead first became marketing-qualified.'),
    ownerId: nullableText.describe('The rep who owns the lead now.'),
    poolId: nullableText.describe('The pool (team) the lead was last routed to or recycled into.'),
    assignedAt: nullableTime.describe('When the current owner got the lead.'),
    responseDueAt: nullableTime.describe('The current owner’s first-response deadline.'),
    respondedAt: nullableTime.describe('When the current owner first accepted or contacted the lead.'),
    slaBreaches: z.int().describe('First-response deadlines missed on this lead so far.'),
    salesQualifiedAt: nullableTime,
    convertedAt: nullableTime,
    opportunityId: z.uuid().nullable(),
    disqualifiedAt: nullableTime,
    disqualificationReason: nullableText,
    capturedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().describe('Stream version of the last event the view reflects.'),
  })
  .meta({
    description: 'A lead as the read model holds it.',
    examples: [
      {
        leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
        status: 'working',
        mergedInto: null,
        email: 'ada@example.com',
        phone: null,
        firstName: 'Ada',
        lastName: 'Lovelace',
        jobTitle: 'Head of Analytics',
        companyName: 'Analytical Engines Ltd',
        companyDomain: 'example.com',
        channel: 'web_form',
        source: 'website',
        campaign: 'spring-webinar',
        country: 'GB',
        industry: 'Software',
        companySize: 120,
        consentMarketing: true,
        optedOut: false,
        touchCount: 2,
        lastTouchAt: '2025-04-02T14:04:58.000Z',
        lastChannel: 'ad',
        lastCampaign: 'q2-analytics',
        activityCount: 1,
        lastActivityAt: '2025-04-03T08:14:47.000Z',
        score: 72,
        grade: 'B',
        scoredAt: '2025-04-03T08:15:03.000Z',
        qualifiedAt: '2025-04-03T08:15:03.000Z',
        ownerId: 'rep-ines',
        poolId: 'emea-enterprise',
        assignedAt: '2025-04-03T08:15:04.000Z',
        responseDueAt: '2025-04-03T10:15:04.000Z',
        respondedAt: '2025-04-03T08:40:00.000Z',
        slaBreaches: 0,
        salesQualifiedAt: null,
        convertedAt: null,
        opportunityId: null,
        disqualifiedAt: null,
        disqualificationReason: null,
        capturedAt: '2025-03-14T09:26:53.000Z',
        updatedAt: '2025-04-03T08:40:00.120Z',
        version: 8,
      },
    ],
  });

export type LeadView = z.output<typeof leadView>;

/** A row of `leads` as {@link leadColumns} selects it. */
export type LeadRow = {
  lead_id: string;
  status: LeadStatus;
  merged_into: string | null;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  job_title: string | null;
  company_name: string | null;
  company_domain: string | null;
  channel: string | null;
  source: string | null;
  campaign: string | null;
  country: string | null;
  industry: string | null;
  company_size: number | null;
  consent_marketing: boolean | null;
  opted_out: boolean | null;
  touch_count: number;
  last_touch_at: Date | null;
  last_channel: string | null;
  last_campaign: string | null;
  activity_count: number;
  last_activity_at: Date | null;
  score: number | null;
  grade: LeadGrade | null;
  scored_at: Date | null;
  qualified_at: Date | null;
  owner_id: string | null;
  pool_id: string | null;
  assigned_at: Date | null;
  response_due_at: Date | null;
  responded_at: Date | null;
  sla_breaches: number;
  sales_qualified_at: Date | null;
  converted_at: Date | null;
  opportunity_id: string | null;
  disqualified_at: Date | null;
  disqualification_reason: string | null;
  captured_at: Date;
  updated_at: Date;
  version: number;
};

/** The select list of a {@link LeadRow}. */
export const leadColumns = `lead_id::text AS lead_id, status, merged_into::text AS merged_into, email, phone,
  first_name, last_name, job_title, company_name, company_domain, channel, source, campaign, country, industry,
  company_size, consent_marketing, opted_out, touch_count, last_touch_at, last_channel, last_campaign,
  activity_count, last_activity_at, score, grade, scored_at, qualified_at, owner_id, pool_id, assigned_at,
  response_due_at, responded_at, sla_breaches, sales_qualified_at, converted_at, opportunity_id::text AS opportunity_id,
  disqualified_at, disqualification_reason, captured_at, updated_at, version`;

const iso = (time: Date | null) => time?.toISOString() ?? null;

export function toLeadView(row: LeadRow): LeadView {
  return {
    leadId: row.lead_id,
    status: row.status,
    mergedInto: row.merged_into,
    email: row.email,
    phone: row.phone,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    companyName: row.company_name,
    companyDomain: row.company_domain,
    channel: row.channel,
    source: row.source,
    campaign: row.campaign,
    country: row.country,
    industry: row.industry,
    companySize: row.company_size,
    consentMarketing: row.consent_marketing,
    optedOut: row.opted_out,
    touchCount: row.touch_count,
    lastTouchAt: iso(row.last_touch_at),
    lastChannel: row.last_channel,
    lastCampaign: row.last_campaign,
    activityCount: row.activity_count,
    lastActivityAt: iso(row.last_activity_at),
    score: row.score,
    grade: row.grade,
    scoredAt: iso(row.scored_at),
    qualifiedAt: iso(row.qualified_at),
    ownerId: row.owner_id,
    poolId: row.pool_id,
    assignedAt: iso(row.assigned_at),
    responseDueAt: iso(row.response_due_at),
    respondedAt: iso(row.responded_at),
    slaBreaches: row.sla_breaches,
    salesQualifiedAt: iso(row.sales_qualified_at),
    convertedAt: iso(row.converted_at),
    opportunityId: row.opportunity_id,
    disqualifiedAt: iso(row.disqualified_at),
    disqualificationReason: row.disqualification_reason,
    capturedAt: row.captured_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** The CSV export's columns: the view's fields, in its order. */
export const leadCsvHeader: readonly (keyof LeadView)[] = Object.keys(leadView.shape) as (keyof LeadView)[];

/** A lead view as CSV cells, in {@link leadCsvHeader} order. */
export function leadCsvValues(view: LeadView): CsvValue[] {
  return leadCsvHeader.map((key) => view[key]);
}
