import type pg from 'pg';
import { z } from 'zod';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';

const nullableText = z.string().nullable();
const nullableTime = z.iso.datetime().nullable();

/** Where a lead is in its lifecycle; later stages join as the read model follows them. */
const leadStatuses = ['captured', 'merged'] as const;
type LeadStatus = (typeof leadStatuses)[number];

export const leadView = z
  .object({
    leadId: z.uuid(),
    status: z
      .enum(leadStatuses)
      .describe('Lifecycle status; merged means the lead lives on as mergedInto. Later stages will join.'),
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
    capturedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().describe('Stream version of the last event the view reflects.'),
  })
  .meta({
    description: 'A lead as the read model holds it.',
    examples: [
      {
        leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
        status: 'captured',
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
        capturedAt: '2025-03-14T09:26:53.000Z',
        updatedAt: '2025-04-03T08:15:02.120Z',
        version: 4,
      },
    ],
  });

type LeadView = z.output<typeof leadView>;

type LeadRow = {
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
  captured_at: Date;
  updated_at: Date;
  version: number;
};

function toLeadView(row: LeadRow): LeadView {
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
    lastTouchAt: row.last_touch_at?.toISOString() ?? null,
    lastChannel: row.last_channel,
    lastCampaign: row.last_campaign,
    activityCount: row.activity_count,
    lastActivityAt: row.last_activity_at?.toISOString() ?? null,
    capturedAt: row.captured_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

const scope: ApiScope = 'read_reports';

/** `GET /v1/leads/:leadId`: one lead of the API key's tenant from the leads read model. */
export function leadsRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/leads/:leadId',
      {
        config: { scope },
        schema: {
          summary: 'Read a lead',
          description: `A lead of the API key's tenant; the key needs the ${scope} scope. Another tenant's lead is not found. A merged lead is still answered, with status merged and mergedInto.`,
          tags: ['leads'],
          params: z.object({ leadId: z.uuid() }),
          response: {
            200: leadView,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const { leadId } = request.params;
        // The tenant is part of the key: another tenant's lead is indistinguishable from a missing one.
        const result = await options.pool.query<LeadRow>(
          `SELECT lead_id::text AS lead_id, status, merged_into::text AS merged_into, email, phone, first_name,
             last_name, job_title, company_name, company_domain, channel, source, campaign, country, industry,
             company_size, consent_marketing, opted_out, touch_count, last_touch_at, last_channel, last_campaign,
             activity_count, last_activity_at, captured_at, updated_at, version
           FROM leads WHERE tenant_id = $1 AND lead_id = $2`,
          [tenantId, leadId],
        );
        const row = result.rows[0];
        if (!row) throw new HttpError({ status: 404, code: 'not_found', reason: `lead ${leadId} not found` });
        return toLeadView(row);
      },
    );
  };
}
