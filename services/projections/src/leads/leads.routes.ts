import type pg from 'pg';
import { z } from 'zod';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';

const nullableText = z.string().nullable();

export const leadView = z
  .object({
    leadId: z.uuid(),
    status: z.string().describe('Lifecycle status: captured, then later stages.'),
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
        capturedAt: '2025-03-14T09:26:53.000Z',
        updatedAt: '2025-03-14T09:26:53.120Z',
        version: 1,
      },
    ],
  });

type LeadView = z.output<typeof leadView>;

type LeadRow = {
  lead_id: string;
  status: string;
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
  captured_at: Date;
  updated_at: Date;
  version: number;
};

function toLeadView(row: LeadRow): LeadView {
  return {
    leadId: row.lead_id,
    status: row.status,
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
    capturedAt: row.captured_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

const scope: ApiScope = 'read_reports';

/** The tenant whose leads the caller may read: always the API key's. */
/** `GET /v1/leads/:leadId`: one lead of the API key's tenant from the leads read model. */
export function leadsRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/leads/:leadId',
      {
        config: { scope },
        schema: {
          summary: 'Read a lead',
          description: `A lead of the API key's tenant; the key needs the ${scope} scope. Another tenant's lead is not found.`,
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
          `SELECT lead_id::text AS lead_id, status, email, phone, first_name, last_name, job_title, company_name,
             company_domain, channel, source, campaign, captured_at, updated_at, version
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
