import { Readable } from 'node:stream';
import type pg from 'pg';
import { z } from 'zod';
import { storableString } from '@l2o/contracts';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { decodeLeadCursor } from './lead-cursor.ts';
import { leadFiltersSchema } from './lead-filters.ts';
import { leadCsvLines, readLead, readLeadPage } from './lead-queries.ts';
import { leadView } from './lead-view.ts';

const scope: ApiScope = 'read_reports';

const leadPage = z
  .object({
    items: z.array(leadView),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as cursor for the next page, with the same filters; null on the last page.'),
  })
  .describe('A page of leads, newest capture first.');

const listQuery = leadFiltersSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: storableString().max(200).optional().describe('The nextCursor of the previous page.'),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .describe('csv streams every matching lead as CSV (as does Accept: text/csv); limit and cursor are then ignored.'),
});

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

/** `GET /v1/leads` (list, filters, CSV export) and `GET /v1/leads/:leadId` over the leads read model. */
export function leadsRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  const { pool } = options;
  return async (app) => {
    app.get(
      '/v1/leads',
      {
        config: { scope },
        schema: {
          summary: 'List, filter and export leads',
          description:
            `The API key's tenant's leads that match every filter given, newest capture first, a page at a time; ` +
            `the key needs the ${scope} scope. Send Accept: text/csv or format=csv for all of them as a CSV ` +
            'download (streamed; the columns are the fields of a lead).',
          tags: ['leads'],
          querystring: listQuery,
          response: { 200: leadPage, ...errors },
        },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        const { limit, cursor, format, ...filters } = request.query;
        const csv = format === 'csv' || (format === undefined && (request.headers.accept ?? '').includes('text/csv'));
        if (csv) {
          return (
            reply
              .header('content-type', 'text/csv; charset=utf-8')
              .header('content-disposition', 'attachment; filename="leads.csv"')
              // A stream skips the JSON serializer, which the 200 schema types the reply for.
              .send(Readable.from(leadCsvLines({ pool, tenantId, filters })) as never)
          );
        }
        const after = cursor === undefined ? undefined : decodeLeadCursor(cursor);
        if (cursor !== undefined && after === undefined) {
          throw new HttpError({
            status: 400,
            code: 'bad_request',
            field: 'cursor',
            reason: 'not a cursor this API issued',
          });
        }
        return readLeadPage({ pool, tenantId, filters, after, limit });
      },
    );

    app.get(
      '/v1/leads/:leadId',
      {
        config: { scope },
        schema: {
          summary: 'Read a lead',
          description: `A lead of the API key's tenant; the key needs the ${scope} scope. Another tenant's lead is not found. A merged lead is still answered, with status merged and mergedInto.`,
          tags: ['leads'],
          params: z.object({ leadId: z.uuid() }),
          response: { 200: leadView, ...errors, 404: errorResponseSchema },
        },
      },
      async (request) => {
        const { leadId } = request.params;
        // The tenant is part of the key: another tenant's lead is indistinguishable from a missing one.
        const lead = await readLead({ pool, tenantId: tenantOf(request), leadId });
        if (lead === undefined)
          throw new HttpError({ status: 404, code: 'not_found', reason: `lead ${leadId} not found` });
        return lead;
      },
    );
  };
}
