import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '@l2o/service-kit';
import { expectFieldError } from '@l2o/testing';
import { createImportsFixture, fixedNow, validLeadsCsv } from './imports.fixture.ts';
import type { ImportsFixture, ImportStatusBody } from './imports.fixture.ts';
import { createCsvParser } from './csv-format.ts';
import { importRoutes } from './imports.routes.ts';

const mapping = {
  'E-mail': 'email',
  'First name': 'firstName',
  'Last name': 'lastName',
  Company: 'company.name',
  Country: 'company.country',
  utm_campaign: 'touchpoint.utm.campaign',
  Seats: 'customFields.seats',
};

// Row 1 is the header; rows 4 and 5 are bad (row 5 twice over).
const leadsCsv = [
  'E-mail,First name,Last name,Company,Country,utm_campaign,Seats,Notes',
  'ada@example.com,Ada,Lovelace,Analytical Engines Ltd,GB,spring-webinar,25,met at the fair',
  'grace@example.org,Grace,Hopper,Cobol Inc,United States,spring-webinar,,',
  'not-an-email,Bad,Row,Nope Ltd,GB,spring-webinar,,',
  'also-not-an-email,Linus,T,Kernel Ltd,Atlantis,spring-webinar,,',
  '"katherine@example.com",Katherine,"Johnson, Jr",NASA,US,spring-webinar,3,"said ""call me"""',
].join('\r\n');

async function parseCsv(text: string): Promise<string[][]> {
  const parser = createCsvParser({ delimiter: ',' });
  parser.end(text);
  const records: string[][] = [];
  for await (const record of parser as AsyncIterable<string[]>) records.push(record);
  return records;
}

describe('CSV imports', () => {
  let fixture: ImportsFixture;

  beforeAll(async () => {
    fixture = await createImportsFixture();
    fixture.processor().start();
  });
  afterAll(async () => {
    await fixture.close();
  });

  describe('with a mapping and two bad rows', () => {
    let tenant: { tenantId: string; apiKey: string };
    let first: ImportStatusBody;

    beforeAll(async () => {
      tenant = await fixture.newTenant();
      const response = await fixture.upload({
        apiKey: tenant.apiKey,
        csv: leadsCsv,
        query: { mapping: JSON.stringify(mapping), source: 'trade-fair', fileName: 'leads.csv' },
      });
      expect(response.statusCode, response.body).toBe(202);
      const { importId } = response.json<{ importId: string }>();
      first = await fixture.finished({ apiKey: tenant.apiKey, importId });
    });

    it('answers 202 with the import id, its row count and links', async () => {
      const response = await fixture.upload({
        apiKey: tenant.apiKey,
        csv: leadsCsv,
        query: { mapping: JSON.stringify(mapping) },
      });

      expect(response.statusCode, response.body).toBe(202);
      const body = response.json<{ importId: string }>();
      expect(body).toEqual({
        importId: expect.any(String),
        status: 'received',
        totalRows: 5,
        links: { self: `/v1/imports/${body.importId}`, rejections: `/v1/imports/${body.importId}/rejections` },
      });
      expect(response.headers.location).toBe(`/v1/imports/${body.importId}`);
      await fixture.finished({ apiKey: tenant.apiKey, importId: body.importId });
    });

    it('completes with every row counted: three leads, two rejected', () => {
      expect(first).toMatchObject({
        status: 'completed',
        counts: { total: 5, processed: 5, accepted: 3, merged: 0, duplicate: 0, rejected: 2 },
        percent: 100,
        mapping,
        file: {
          name: 'leads.csv',
          bytes: Buffer.byteLength(leadsCsv),
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
        defaults: { channel: 'csv_import', source: 'trade-fair' },
        createdAt: expect.any(String),
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
      });
    });

    it('stores a LeadCaptured per good row, mapped, with the import as correlation id', async () => {
      const events = await fixture.pool.query<{ data: Record<string, unknown>; metadata: Record<string, unknown> }>(
        `SELECT data, metadata FROM events WHERE metadata->>'tenantId' = $1 AND metadata->>'correlationId' = $2
         ORDER BY data->'contact'->>'email'`,
        [tenant.tenantId, first.importId],
      );
      expect(events.rows.map((row) => row.data)).toEqual([
        expect.objectContaining({
          contact: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
          company: { name: 'Analytical Engines Ltd', country: 'GB', domain: 'example.com' },
          touchpoint: {
            channel: 'csv_import',
            source: 'trade-fair',
            campaign: 'spring-webinar',
            utm: { campaign: 'spring-webinar' },
            occurredAt: fixedNow.toISOString(),
          },
          customFields: { seats: '25' },
          captureId: expect.stringMatching(/^csv:[0-9a-f]{64}$/),
        }),
        expect.objectContaining({ contact: { email: 'grace@example.org', firstName: 'Grace', lastName: 'Hopper' } }),
        expect.objectContaining({
          contact: { email: 'katherine@example.com', firstName: 'Katherine', lastName: 'Johnson, Jr' },
          company: expect.objectContaining({ country: 'US' }),
        }),
      ]);
    });

    it('serves the rejections as CSV: one line per error, naming row, field and reason, with the row as read', async () => {
      const response = await fixture.app.inject({
        method: 'GET',
        url: `/v1/imports/${first.importId}/rejections`,
        headers: { authorization: `Bearer ${tenant.apiKey}` },
      });

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toContain('attachment');
      const [header, ...lines] = await parseCsv(response.body);
      expect(header).toEqual(['row', 'field', 'reason', 'raw']);
      expect(lines.map(([row, field, reason]) => [row, field, reason])).toEqual([
        ['4', 'email', expect.stringContaining('is not an email address')],
        ['5', 'email', expect.stringContaining('is not an email address')],
        ['5', 'company.country', 'is not a known country code or English country name ("Atlantis")'],
      ]);
      expect(JSON.parse(lines[0]?.[3] ?? '')).toEqual({
        'E-mail': 'not-an-email',
        'First name': 'Bad',
        'Last name': 'Row',
        Company: 'Nope Ltd',
        Country: 'GB',
        utm_campaign: 'spring-webinar',
        Seats: '',
        Notes: '',
      });
      expect(Object.keys(JSON.parse(lines[2]?.[3] ?? ''))).toEqual(Object.keys(mapping).concat('Notes'));
    });

    it('creates nothing new when the same file is imported again: every good row is a duplicate', async () => {
      const before = await fixture.eventsOfTenant(tenant.tenantId);
      const response = await fixture.upload({
        apiKey: tenant.apiKey,
        csv: leadsCsv,
        query: { mapping: JSON.stringify(mapping), source: 'trade-fair' },
      });
      expect(response.statusCode, response.body).toBe(202);
      const again = await fixture.finished({
        apiKey: tenant.apiKey,
        importId: response.json<{ importId: string }>().importId,
      });

      expect(again.counts).toEqual({ total: 5, processed: 5, accepted: 0, merged: 0, duplicate: 3, rejected: 2 });
      expect(await fixture.eventsOfTenant(tenant.tenantId)).toEqual(before);
    });

    it('removes the spool file of a completed import', async () => {
      expect(await readdir(fixture.spoolDir)).not.toContain(`${first.importId}.csv`);
    });
  });

  describe('without a mapping', () => {
    it('maps headers that are field paths, case-insensitively, and reads a semicolon file', async () => {
      const tenant = await fixture.newTenant();
      const csv = 'EMAIL;Company.Name;consent.marketing;ignored\nada@example.com;Engines;yes;x\n';
      const response = await fixture.upload({ apiKey: tenant.apiKey, csv, query: { delimiter: ';' } });
      expect(response.statusCode, response.body).toBe(202);
      const done = await fixture.finished({
        apiKey: tenant.apiKey,
        importId: response.json<{ importId: string }>().importId,
      });

      expect(done).toMatchObject({
        status: 'completed',
        counts: { accepted: 1, rejected: 0 },
        mapping: { EMAIL: 'email', 'Company.Name': 'company.name', 'consent.marketing': 'consent.marketing' },
      });
    });
  });

  describe('an upload it refuses', () => {
    let tenant: { tenantId: string; apiKey: string };
    beforeAll(async () => {
      tenant = await fixture.newTenant();
    });

    async function importsOfTenant(): Promise<number> {
      const result = await fixture.pool.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM imports WHERE tenant_id = $1',
        [tenant.tenantId],
      );
      return result.rows[0]?.count ?? -1;
    }

    it.each([
      [
        'a field path that does not exist',
        JSON.stringify({ 'E-mail': 'email', Org: 'company.title' }),
        /"company\.title"/,
      ],
      ['a mapping that is not JSON', '{E-mail: email}', /is not JSON/],
      ['a column the file does not have', JSON.stringify({ Mail: 'email' }), /column "Mail" is not in the header row/],
    ])('answers 400 naming mapping for %s, and records nothing', async (_case, mappingText, reason) => {
      const response = await fixture.upload({ apiKey: tenant.apiKey, csv: leadsCsv, query: { mapping: mappingText } });

      expectFieldError(response, { field: 'mapping', reason, code: 'bad_request' });
      expect(await importsOfTenant()).toBe(0);
    });

    it.each([
      ['an empty body', '', 'the file is empty'],
      ['only blank lines', '\r\n\r\n', 'the file has no header row'],
      ['a first row of data, not a header', 'ada@example.com,Ada\r\n', /^the first row must be a header/],
      ['an unclosed quote', 'email,firstName\r\n"ada@example.com,Ada\r\n', /^the file is not valid CSV: /],
    ])('answers 400 naming body for %s, and leaves no file behind', async (_case, csv, reason) => {
      const response = await fixture.upload({ apiKey: tenant.apiKey, csv });

      expectFieldError(response, { field: 'body', reason, code: 'bad_request' });
      expect(await importsOfTenant()).toBe(0);
      expect(await readdir(fixture.spoolDir)).toEqual([]);
    });

    // The query string as sent: %ED%A0%80 is \ud800 encoded as if UTF-8 could carry it; the parser leaves it as is.
    it.each([
      ['a NUL', '%00', /^contains a NUL character/],
      ['a carriage return', '%0D', 'cannot be a quote or a line break'],
      ['a line feed', '%0A', 'cannot be a quote or a line break'],
      ['a quote', '%22', 'cannot be a quote or a line break'],
      ['two characters', '%3B%3B', 'must be exactly one character (%09 for tab)'],
      ['an encoded surrogate, left undecoded', '%ED%A0%80', 'must be exactly one character (%09 for tab)'],
    ])(
      'answers 400 naming delimiter for %s before reading the upload, and leaves no file',
      async (_case, raw, reason) => {
        // An empty body would be refused as "the file is empty": the delimiter is refused before it is read.
        const response = await fixture.app.inject({
          method: 'POST',
          url: `/v1/imports?delimiter=${raw}`,
          headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'text/csv' },
          payload: '',
        });

        expectFieldError(response, { field: 'delimiter', reason, code: 'validation_failed' });
        expect(await importsOfTenant()).toBe(0);
        expect(await readdir(fixture.spoolDir)).toEqual([]);
      },
    );

    // A URL carries UTF-8, which has no lone surrogates; a NUL (%00) it can carry.
    it.each(['campaign', 'source', 'externalIdSource', 'fileName'])(
      'answers 400 naming %s when it holds a NUL, and leaves no file',
      async (field) => {
        const response = await fixture.upload({ apiKey: tenant.apiKey, csv: leadsCsv, query: { [field]: 'x\u0000y' } });

        expectFieldError(response, { field, reason: /^contains a NUL character/ });
        expect(await importsOfTenant()).toBe(0);
        expect(await readdir(fixture.spoolDir)).toEqual([]);
      },
    );

    it('answers 400 naming body for a header cell PostgreSQL cannot store, and leaves no file', async () => {
      const response = await fixture.upload({
        apiKey: tenant.apiKey,
        csv: 'email,Seats\u0000\r\nada@example.com,3\r\n',
      });

      expectFieldError(response, { field: 'body', reason: /^header column 2 contains a NUL character/ });
      expect(await importsOfTenant()).toBe(0);
      expect(await readdir(fixture.spoolDir)).toEqual([]);
    });

    it('answers 400 over HTTP as soon as the header is refused, and the rest of the upload holds nothing open', async () => {
      const server = await buildServer({
        name: 'ingestion',
        version: '0.1.0',
        logger: fixture.logger,
        auth: { verifyApiKey: async () => ({ tenantId: tenant.tenantId, scopes: ['ingest'] }) },
        routes: importRoutes({ pool: fixture.pool, spoolDir: fixture.spoolDir }),
      });
      await server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = server.server.address() as AddressInfo;
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/imports',
        headers: { authorization: 'Bearer any', 'content-type': 'text/csv' },
      });
      request.on('error', () => undefined);
      const answered = once(request, 'response') as Promise<[IncomingMessage]>;
      // 20 MiB after a first row that is no header.
      const body = Readable.from(
        (function* () {
          yield 'not,a,header\n';
          for (let chunk = 0; chunk < 320; chunk += 1) yield `${'x,y,z\n'.repeat(11_000)}`;
        })(),
      );
      body.pipe(request);
      const [response] = await answered;
      let text = '';
      for await (const chunk of response) text += String(chunk);

      expect(response.statusCode).toBe(400);
      expect(JSON.parse(text)).toMatchObject({
        field: 'body',
        reason: expect.stringMatching(/^the first row must be a header/),
      });
      // The client goes away mid-upload; a server request left paused would never notice.
      request.destroy();
      const closed = await Promise.race([
        server.close().then(() => 'closed'),
        new Promise((resolve) => setTimeout(resolve, 10_000, 'still open')),
      ]);
      expect(closed).toBe('closed');
      expect(await importsOfTenant()).toBe(0);
    });

    it('answers 415 to a body that is not CSV', async () => {
      const response = await fixture.upload({
        apiKey: tenant.apiKey,
        csv: '{"email":"a@example.com"}',
        contentType: 'application/json',
      });

      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    });
  });

  describe('tenancy', () => {
    it('answers 404 to another tenant for the import and its rejections', async () => {
      const owner = await fixture.newTenant();
      const other = await fixture.newTenant();
      const response = await fixture.upload({ apiKey: owner.apiKey, csv: validLeadsCsv(2) });
      const { importId } = response.json<{ importId: string }>();
      await fixture.finished({ apiKey: owner.apiKey, importId });

      const status = await fixture.getImport({ apiKey: other.apiKey, importId });
      const rejections = await fixture.app.inject({
        method: 'GET',
        url: `/v1/imports/${importId}/rejections`,
        headers: { authorization: `Bearer ${other.apiKey}` },
      });
      expect(status.statusCode).toBe(404);
      expect(status.json()).toMatchObject({ status: 404, code: 'not_found' });
      expect(rejections.statusCode).toBe(404);
    });

    it('answers 401 without a key', async () => {
      const response = await fixture.app.inject({ method: 'POST', url: '/v1/imports', payload: 'email\n' });
      expect(response.statusCode).toBe(401);
    });
  });

  describe('OpenAPI document', () => {
    it('documents every import route with an example of its body, parameters and responses', async () => {
      const document = (await fixture.app.inject({ method: 'GET', url: '/docs/json' })).json();
      const upload = document.paths['/v1/imports'].post;
      expect(upload.requestBody.content['text/csv'].schema).toMatchObject({ type: 'string' });
      expect(JSON.stringify(upload.requestBody)).toContain('ada@example.com');
      expect(upload.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
        expect.arrayContaining(['mapping', 'channel', 'source', 'campaign', 'delimiter']),
      );
      expect(JSON.stringify(upload.parameters)).toContain('company.country');
      expect(JSON.stringify(upload.responses['202'])).toContain('/rejections');
      expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '403', '413', '415']));

      const status = document.paths['/v1/imports/{importId}'].get;
      expect(JSON.stringify(status.responses['200'])).toContain('"percent":42');
      expect(Object.keys(status.responses)).toEqual(expect.arrayContaining(['200', '404']));

      const rejections = document.paths['/v1/imports/{importId}/rejections'].get;
      expect(JSON.stringify(rejections.responses['200'].content['text/csv'])).toContain('row,field,reason,raw');
    });
  });
});
