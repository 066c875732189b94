import { randomUUID } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { z } from 'zod';
import { leadChannels, storableString, unstorableTextReason } from '@l2o/contracts';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { csvDelimiterSchema, csvLine } from './csv-format.ts';
import { parseColumnMapping, resolveColumns } from './csv-row-mapping.ts';
import type { ColumnMapping, ImportDefaults } from './csv-row-mapping.ts';
import { findImport, insertImport, rejectionsAfter } from './imports.repository.ts';
import type { ImportRecord } from './imports.repository.ts';
import { spoolUpload } from './spool-upload.ts';

const scope: ApiScope = 'ingest';
const csvTypes = ['text/csv', 'application/csv'];

const exampleImportId = '3f2b8c1d-7e4a-4b6f-9d2c-1a5e8f7b6c4d';
const exampleMapping = {
  'E-mail': 'email',
  'First name': 'firstName',
  Company: 'company.name',
  Country: 'company.country',
  utm_campaign: 'touchpoint.utm.campaign',
};
const exampleCsv =
  'E-mail,First name,Company,Country,utm_campaign\r\n' +
  'ada@example.com,Ada,Analytical Engines Ltd,GB,spring-webinar\r\n' +
  'grace@example.org,Grace,Cobol Inc,United States,spring-webinar\r\n';

const links = (importId: string) => ({
  self: `/v1/imports/${importId}`,
  rejections: `/v1/imports/${importId}/rejections`,
});
const linksSchema = z.object({ self: z.string(), rejections: z.string() });

const optionalText = (max: number) => storableString().trim().min(1).max(max).optional();

const importQuery = z.object({
  mapping: storableString()
    .optional()
    .describe(
      'JSON object: column header → lead field path (email, phone, firstName, lastName, jobTitle, company.name, ' +
        'company.domain, company.website, company.industry, company.size, company.country, consent.marketing, ' +
        'consent.optedOut, touchpoint.source|campaign|medium|referrer|occurredAt|channel, touchpoint.utm.source|' +
        'medium|campaign|term|content, externalId.source, externalId.id, customFields.<name>). Default: headers ' +
        'that are field paths map to themselves, case-insensitively; other columns are ignored.',
    )
    .meta({ examples: [JSON.stringify(exampleMapping)] }),
  channel: z
    .enum(leadChannels)
    .default('csv_import')
    .describe('The channel of rows that do not name one.')
    .meta({ examples: ['csv_import'] }),
  source: optionalText(200)
    .describe('touchpoint.source of rows that do not give one.')
    .meta({ examples: ['trade-show'] }),
  campaign: optionalText(200)
    .describe('touchpoint.campaign of rows that do not give one.')
    .meta({ examples: ['spring-webinar'] }),
  externalIdSource: optionalText(64)
    .describe('externalId.source of rows that give an externalId.id.')
    .meta({ examples: ['hubspot'] }),
  delimiter: csvDelimiterSchema
    .default(',')
    .describe('One character; %09 for tab.')
    .meta({ examples: [';'] }),
  fileName: optionalText(255)
    .describe('The name of the uploaded file, kept for the progress view.')
    .meta({ examples: ['leads-march.csv'] }),
});

const importBody = z.unknown().meta({
  type: 'string',
  description:
    'The CSV file, UTF-8, first row a header (RFC 4180 quoting). Rows may be many: the upload is streamed to disk.',
  examples: [exampleCsv],
});

const receivedResponse = z
  .object({
    importId: z.uuid(),
    status: z.literal('received'),
    totalRows: z.int().describe('Data rows in the file, the header not counted.'),
    links: linksSchema,
  })
  .meta({ examples: [{ importId: exampleImportId, status: 'received', totalRows: 2, links: links(exampleImportId) }] });

const countsSchema = z.object({
  total: z.int().nullable().describe('Data rows in the file.'),
  processed: z.int(),
  accepted: z.int().describe('New leads.'),
  merged: z.int().describe('Rows that matched an existing lead: a touch was recorded.'),
  duplicate: z.int().describe('Rows already applied (the same row imported before): nothing new.'),
  rejected: z.int().describe('Rows refused; see the rejections report.'),
});

const importStatusExample = {
  importId: exampleImportId,
  status: 'processing',
  file: {
    name: 'leads-march.csv',
    bytes: 10_485_760,
    sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  },
  mapping: exampleMapping,
  defaults: { channel: 'csv_import', campaign: 'spring-webinar' },
  counts: { total: 100_000, processed: 42_000, accepted: 39_900, merged: 1_100, duplicate: 160, rejected: 840 },
  percent: 42,
  createdAt: '2025-03-14T09:26:53.000Z',
  startedAt: '2025-03-14T09:26:54.000Z',
  attempts: { failed: 0, max: 5 },
  links: links(exampleImportId),
};

const importStatusResponse = z
  .object({
    importId: z.uuid(),
    status: z.enum(['received', 'processing', 'completed', 'failed']),
    file: z.object({ name: z.string().optional(), bytes: z.int(), sha256: z.string() }),
    mapping: z.record(z.string(), z.string()).describe('Column header → lead field, as applied.'),
    defaults: z.object({
      channel: z.enum(leadChannels),
      source: z.string().optional(),
      campaign: z.string().optional(),
      externalIdSource: z.string().optional(),
    }),
    counts: countsSchema,
    percent: z.number().optional().describe('Processed rows out of the total, 0–100.'),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().optional(),
    finishedAt: z.iso.datetime().optional(),
    error: z.string().optional().describe('Why a failed import stopped.'),
    attempts: z
      .object({
        failed: z.int().describe('Runs in a row that gave up for a reason outside the file (the database away…).'),
        max: z.int().optional().describe('At this many the import is failed; a run that captures rows starts over.'),
        lastError: z.string().optional(),
        retryAt: z.iso.datetime().optional().describe('When the next run may start.'),
      })
      .optional()
      .describe('Shown once a processor has taken the import up.'),
    links: linksSchema,
  })
  .meta({ examples: [importStatusExample] });

const importParams = z.object({
  importId: z.uuid().meta({ examples: [exampleImportId] }),
});

const rejectionsExample =
  'row,field,reason,raw\r\n' +
  '7,email,is not an email address: it needs a part before the @ and a domain after it,' +
  '"{""E-mail"":""ada-at-example.com"",""Company"":""Engines""}"\r\n' +
  '12,company.country,"is not a known country code or English country name (""Atlantis"")",' +
  '"{""E-mail"":""bob@example.com"",""Country"":""Atlantis""}"\r\n';

function percentOf(record: ImportRecord): number | undefined {
  if (record.status === 'completed') return 100;
  if (record.totalRows === null) return undefined;
  if (record.totalRows === 0) return 0;
  return Math.floor((record.counts.processed / record.totalRows) * 1000) / 10;
}

/** Header cells become the import's stored columns, so one PostgreSQL cannot store refuses the file. */
function refuseUnstorableHeader(header: readonly string[]): void {
  header.forEach((cell, index) => {
    const reason = unstorableTextReason(cell);
    if (reason === undefined) return;
    throw new HttpError({
      status: 400,
      code: 'bad_request',
      field: 'body',
      reason: `header column ${index + 1} ${reason}`,
    });
  });
}

/** The applied mapping in the file's column order; jsonb keeps keys in an order of its own. */
function mappingInFileOrder(record: ImportRecord): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const column of record.columns) {
    const path = record.mapping[column];
    if (path !== undefined) mapping[column] = path;
  }
  return mapping;
}

function attemptsView(record: ImportRecord) {
  const { attempts } = record;
  const retrying = record.status === 'processing' && attempts.failed > 0;
  return {
    failed: attempts.failed,
    ...(attempts.max === null ? {} : { max: attempts.max }),
    ...(attempts.failed === 0 || attempts.lastError === null ? {} : { lastError: attempts.lastError }),
    ...(!retrying || attempts.retryAt === null ? {} : { retryAt: attempts.retryAt.toISOString() }),
  };
}

function toStatusView(record: ImportRecord) {
  return {
    importId: record.id,
    status: record.status,
    file: {
      ...(record.fileName === null ? {} : { name: record.fileName }),
      bytes: record.fileBytes,
      sha256: record.fileSha256,
    },
    mapping: mappingInFileOrder(record),
    defaults: record.defaults,
    counts: { total: record.totalRows, ...record.counts },
    ...(percentOf(record) === undefined ? {} : { percent: percentOf(record) }),
    createdAt: record.createdAt.toISOString(),
    ...(record.startedAt === null ? {} : { startedAt: record.startedAt.toISOString() }),
    ...(record.finishedAt === null ? {} : { finishedAt: record.finishedAt.toISOString() }),
    ...(record.error === null ? {} : { error: record.error }),
    ...(record.attempts.max === null ? {} : { attempts: attemptsView(record) }),
    links: links(record.id),
  };
}

/** The rejections as CSV, read from the table page by page so a large report is never whole in memory. */
async function* rejectionLines(pool: pg.Pool, record: ImportRecord): AsyncGenerator<string> {
  yield csvLine(['row', 'field', 'reason', 'raw']);
  let after = { rowNumber: 0, errorIndex: -1 };
  for (;;) {
    const page = await rejectionsAfter(pool, { importId: record.id, after, limit: 1000 });
    if (page.length === 0) return;
    // Cells in the file's column order; jsonb keeps its own key order.
    yield page
      .map((line) => {
        const raw: Record<string, string> = {};
        for (const column of [...record.columns, ...Object.keys(line.raw)]) {
          const cell = line.raw[column];
          if (cell !== undefined && !(column in raw)) raw[column] = cell;
        }
        return csvLine([line.rowNumber, line.field, line.reason, JSON.stringify(raw)]);
      })
      .join('');
    const last = page.at(-1) as (typeof page)[number];
    after = { rowNumber: last.rowNumber, errorIndex: last.errorIndex };
  }
}

export type ImportRoutesOptions = {
  pool: pg.Pool;
  /** Where uploads are spooled; every replica that processes imports must see the same directory. */
  spoolDir: string;
  /** Largest upload accepted, in bytes. Default 1 GiB. */
  maxBytes?: number;
};

/**
 * `POST /v1/imports` (a CSV upload, spooled to disk and processed in the background by the import
 * processor), `GET /v1/imports/:importId` (progress) and `GET /v1/imports/:importId/rejections` (CSV).
 */
export function importRoutes(options: ImportRoutesOptions): FastifyPluginAsyncZod {
  const maxBytes = options.maxBytes ?? 1024 ** 3;
  return async (app) => {
    await mkdir(options.spoolDir, { recursive: true });
    // Hands the request stream on untouched: spoolUpload reads it chunk by chunk. Registered in this
    // plugin only, so other routes keep refusing text/csv.
    app.addContentTypeParser(csvTypes, (_request, payload, done) => done(null, payload));

    app.post(
      '/v1/imports',
      {
        config: { scope },
        schema: {
          summary: 'Import leads from a CSV file',
          description:
            `For the tenant of the API key, which needs the ${scope} scope. The body is the CSV file ` +
            '(Content-Type: text/csv). The file is stored and its rows are captured in the background, each as ' +
            'a lead submission; follow the links for progress and the rejected rows. Importing the same file ' +
            'again creates nothing new: its rows come back as duplicates.',
          tags: ['imports'],
          consumes: csvTypes,
          querystring: importQuery,
          body: importBody,
          response: {
            202: receivedResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            413: errorResponseSchema,
            415: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        if (!(request.body instanceof Readable)) {
          throw new HttpError({
            status: 415,
            code: 'unsupported_media_type',
            reason: 'send the CSV file as the body with Content-Type: text/csv',
          });
        }
        const { query } = request;
        let mapping: ColumnMapping | undefined;
        if (query.mapping !== undefined) {
          const parsed = parseColumnMapping(query.mapping);
          if (!parsed.ok)
            throw new HttpError({ status: 400, code: 'bad_request', field: 'mapping', reason: parsed.reason });
          mapping = parsed.value;
        }
        let applied: ColumnMapping = {};
        const importId = randomUUID();
        const filePath = join(options.spoolDir, `${importId}.csv`);
        const spooled = await spoolUpload({
          body: request.body,
          path: filePath,
          delimiter: query.delimiter,
          maxBytes,
          checkHeader: (header) => {
            refuseUnstorableHeader(header);
            const resolved = resolveColumns({ header, ...(mapping === undefined ? {} : { mapping }) });
            if (!resolved.ok) {
              const field = resolved.field === 'header' ? 'body' : 'mapping';
              throw new HttpError({ status: 400, code: 'bad_request', field, reason: resolved.reason });
            }
            applied = Object.fromEntries(resolved.columns.map(({ column, path }) => [column, path]));
          },
        });
        const defaults: ImportDefaults = {
          channel: query.channel,
          ...(query.source === undefined ? {} : { source: query.source }),
          ...(query.campaign === undefined ? {} : { campaign: query.campaign }),
          ...(query.externalIdSource === undefined ? {} : { externalIdSource: query.externalIdSource }),
        };
        try {
          await insertImport(options.pool, {
            id: importId,
            tenantId,
            filePath,
            fileName: query.fileName ?? null,
            fileBytes: spooled.bytes,
            fileSha256: spooled.sha256,
            delimiter: query.delimiter,
            columns: spooled.header,
            mapping: applied,
            defaults,
            totalRows: spooled.rows,
          });
        } catch (error) {
          // A spooled file is kept only for an import that exists: nothing else would ever remove it.
          await unlink(filePath).catch(() => undefined);
          throw error;
        }
        request.log.info({ importId, rows: spooled.rows, bytes: spooled.bytes }, 'import received');
        return reply
          .code(202)
          .header('location', links(importId).self)
          .send({ importId, status: 'received', totalRows: spooled.rows, links: links(importId) });
      },
    );

    app.get(
      '/v1/imports/:importId',
      {
        config: { scope },
        schema: {
          summary: 'Progress of an import',
          description: `For the tenant of the API key, which needs the ${scope} scope; another tenant's import is not found.`,
          tags: ['imports'],
          params: importParams,
          response: {
            200: importStatusResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const record = await findImport(options.pool, {
          tenantId: tenantOf(request),
          importId: request.params.importId,
        });
        if (record === undefined) {
          throw new HttpError({ status: 404, code: 'not_found', reason: `no import ${request.params.importId}` });
        }
        return toStatusView(record);
      },
    );

    app.get(
      '/v1/imports/:importId/rejections',
      {
        config: { scope },
        schema: {
          summary: 'Rejected rows of an import, as CSV',
          description:
            'One line per error: the row (the header is row 1), the lead field, the reason and the row as ' +
            'read (JSON of column → cell). Available while the import runs, growing as it goes.',
          tags: ['imports'],
          params: importParams,
          response: {
            200: {
              description: 'The rejections report.',
              content: { 'text/csv': { schema: z.string().meta({ examples: [rejectionsExample] }) } },
            },
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const record = await findImport(options.pool, {
          tenantId: tenantOf(request),
          importId: request.params.importId,
        });
        if (record === undefined) {
          throw new HttpError({ status: 404, code: 'not_found', reason: `no import ${request.params.importId}` });
        }
        return (
          reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="import-${record.id}-rejections.csv"`)
            // Fastify pipes a stream as is, unserialized; the 200 schema documents the text it carries.
            .send(Readable.from(rejectionLines(options.pool, record)) as unknown as string)
        );
      },
    );
  };
}
