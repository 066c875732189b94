import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildServer } from './build-server.ts';
import type { ServiceServer } from './build-server.ts';
import { createLogger } from './create-logger.ts';
import type { ReadinessCheck } from './health.routes.ts';
import { HttpError } from './http-error.ts';

class RuleViolation extends Error {
  readonly field = 'contact.email';
  override name = 'RuleViolation';
}

class ConcurrencyError extends Error {
  override name = 'ConcurrencyError';
}

function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

const leadBody = z.object({
  email: z.email(),
  company: z.object({ name: z.string(), size: z.int().positive() }),
});

async function testApp(options: { readiness?: ReadinessCheck[] } = {}) {
  const sink = logSink();
  const app = await buildServer({
    name: 'test-service',
    version: '1.2.3',
    logger: createLogger({ name: 'test-service', level: 'info', destination: sink.stream }),
    readiness: options.readiness ?? [],
    readinessTimeoutMs: 200,
    routes: async (routes) => {
      routes.post(
        '/v1/leads',
        {
          schema: { summary: 'Capture a lead', body: leadBody, response: { 202: z.object({ accepted: z.boolean() }) } },
        },
        async (_request, reply) => reply.code(202).send({ accepted: true }),
      );
      routes.post(
        '/v1/fields',
        {
          schema: {
            body: z.object({
              customFields: z.record(
                z.string().regex(/^\w+$/, 'letters only'),
                z.union([z.string().max(3, 'at most 3 characters'), z.number()]),
              ),
            }),
          },
        },
        async (_request, reply) => reply.code(204).send(),
      );
      routes.get('/v1/leads/:leadId', async (request) => ({ leadId: (request.params as { leadId: string }).leadId }));
      routes.post('/v1/rule', async () => {
        throw new RuleViolation('lead already captured');
      });
      routes.post('/v1/conflict', async () => {
        throw new ConcurrencyError('stream lead-1: expected version 3, actual 4');
      });
      routes.get('/v1/missing', async () => {
        throw new HttpError({ status: 404, code: 'not_found', reason: 'lead not found' });
      });
      routes.get('/v1/boom', async () => {
        throw new Error('connect to postgres://admin:hunter2@db failed');
      });
    },
  });
  await app.ready();
  return { app, logs: sink.lines };
}

const validLead = { email: 'ada@example.com', company: { name: 'Engines', size: 10 } };

describe('buildServer', () => {
  let app: ServiceServer;
  let logs: Array<Record<string, unknown>>;

  beforeAll(async () => {
    ({ app, logs } = await testApp());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('operations', () => {
    it('answers /health while alive', async () => {
      const response = await app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('serves the OpenAPI document with each route and its zod schema', async () => {
      const response = await app.inject({ method: 'GET', url: '/docs/json' });
      expect(response.statusCode).toBe(200);
      const document = response.json();
      expect(document.info).toMatchObject({ title: 'test-service', version: '1.2.3' });
      const body = document.paths['/v1/leads'].post.requestBody.content['application/json'].schema;
      expect(body.required).toEqual(['email', 'company']);
      expect(body.properties.email).toMatchObject({ type: 'string', format: 'email' });
      expect(body.properties.company.properties.size).toMatchObject({ type: 'integer' });
      expect(document.paths['/health']).toBeDefined();
    });

    it('serves the documentation UI at /docs', async () => {
      const response = await app.inject({ method: 'GET', url: '/docs' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
    });
  });

  describe('request ids', () => {
    it('keeps the caller x-request-id, returns it and logs it', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/leads',
        payload: validLead,
        headers: { 'x-request-id': 'req-42' },
      });
      expect(response.statusCode).toBe(202);
      expect(response.headers['x-request-id']).toBe('req-42');
      expect(logs.some((line) => line.requestId === 'req-42' && line.msg === 'request completed')).toBe(true);
    });

    it('generates one when the caller sends none or an unsafe one', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/health',
        headers: { 'x-request-id': 'two words\nforged' },
      });
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('errors', () => {
    it('answers a body that fails its zod schema with 400, the field and the reason', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/leads',
        payload: { email: 'ada@example.com', company: { name: 'Engines', size: -3 } },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        status: 400,
        code: 'validation_failed',
        field: 'company.size',
        reason: expect.stringContaining('>0'),
        errors: [{ field: 'company.size', reason: expect.any(String) }],
      });
    });

    it('lists every validation issue', async () => {
      const response = await app.inject({ method: 'POST', url: '/v1/leads', payload: { email: 'nope' } });
      expect(response.json().errors.map((issue: { field: string }) => issue.field)).toEqual(['email', 'company']);
    });

    it('names the record, not the raw key, when a record key is refused', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/fields',
        payload: { customFields: { 'a\u0000b': 'x' } },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        field: 'customFields',
        reason: 'key "a\\u0000b": letters only',
      });
    });

    it('names a nested value by its dotted path, with the reason of the union option of its type', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/fields',
        payload: { customFields: { a: 'abcd' } },
      });
      expect(response.json()).toMatchObject({ status: 400, field: 'customFields.a', reason: 'at most 3 characters' });
    });

    it('answers a missing body with 400 naming the body', async () => {
      const response = await app.inject({ method: 'POST', url: '/v1/leads' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, code: 'validation_failed', field: 'body' });
    });

    it('answers malformed JSON with 400', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/leads',
        payload: '{"email":',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, code: 'bad_request' });
    });

    it.each([
      ['a __proto__ key', '{"email":"ada@example.com","__proto__":{"polluted":true}}'],
      ['a constructor.prototype key', '{"company":{"constructor":{"prototype":{"polluted":true}}}}'],
    ])('refuses JSON with %s with 400 saying so, and leaves Object.prototype alone', async (_name, payload) => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/leads',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        status: 400,
        code: 'bad_request',
        reason: expect.stringContaining('__proto__ or constructor.prototype key'),
      });
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    });

    it('answers an unsupported content type with 415', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/leads',
        payload: 'email=ada@example.com',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    });

    it.each([
      [
        'a URL that does not decode to UTF-8',
        '/v1/leads/%ED%A0%80',
        400,
        'the URL is not valid percent-encoded UTF-8; encode each path segment with encodeURIComponent',
      ],
      [
        'a path parameter over the length limit',
        `/v1/leads/${'x'.repeat(101)}`,
        414,
        'a path parameter is longer than 100 characters',
      ],
    ])('answers %s with %i in the common body', async (_case, url, status, reason) => {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({ status, code: 'bad_request', reason });
    });

    it('takes a path parameter of exactly the length limit', async () => {
      const leadId = 'x'.repeat(100);
      const response = await app.inject({ method: 'GET', url: `/v1/leads/${leadId}` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ leadId });
    });

    it('answers a domain rule violation with 409 and its field', async () => {
      const response = await app.inject({ method: 'POST', url: '/v1/rule' });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        status: 409,
        code: 'rule_violation',
        field: 'contact.email',
        reason: 'lead already captured',
      });
    });

    it('answers a concurrency conflict with 409', async () => {
      const response = await app.inject({ method: 'POST', url: '/v1/conflict' });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ status: 409, code: 'concurrency_conflict' });
    });

    it('answers an HttpError with its status and code', async () => {
      const response = await app.inject({ method: 'GET', url: '/v1/missing' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ status: 404, code: 'not_found', reason: 'lead not found' });
    });

    it('answers an unknown route with 404 not_found', async () => {
      const response = await app.inject({ method: 'GET', url: '/v1/nowhere' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ status: 404, code: 'not_found', reason: 'no route for GET /v1/nowhere' });
    });

    it('answers an unexpected error with a generic 500 and logs the details', async () => {
      const response = await app.inject({ method: 'GET', url: '/v1/boom', headers: { 'x-request-id': 'req-boom' } });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ status: 500, code: 'internal_error', reason: 'internal error' });
      expect(response.body).not.toContain('hunter2');
      const logged = logs.find((line) => line.requestId === 'req-boom' && line.level === 'error');
      expect(logged?.err).toMatchObject({ message: expect.stringContaining('postgres://') });
    });
  });
});

describe('readiness', () => {
  const ok: ReadinessCheck = { name: 'postgres', check: async () => {} };

  it('answers 200 when every dependency answers', async () => {
    const { app } = await testApp({ readiness: [ok, { name: 'kafka', check: async () => {} }] });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      checks: [
        { name: 'postgres', status: 'ok' },
        { name: 'kafka', status: 'ok' },
      ],
    });
    await app.close();
  });

  it('reports the state a check resolves with, without failing readiness for it', async () => {
    const joining: ReadinessCheck = { name: 'lead consumer', check: async () => 'joining' };
    const { app } = await testApp({ readiness: [ok, joining] });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json().checks).toEqual([
      { name: 'postgres', status: 'ok' },
      { name: 'lead consumer', status: 'ok', state: 'joining' },
    ]);
    await app.close();
  });

  it('answers 503 naming the dependency that failed', async () => {
    const kafkaDown: ReadinessCheck = {
      name: 'kafka',
      check: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9092');
      },
    };
    const { app } = await testApp({ readiness: [ok, kafkaDown] });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 503,
      code: 'not_ready',
      reason: 'unreachable: kafka (connect ECONNREFUSED 127.0.0.1:9092)',
      checks: [
        { name: 'postgres', status: 'ok' },
        { name: 'kafka', status: 'failed' },
      ],
    });
    await app.close();
  });

  it('counts a dependency that does not answer in time as failed and aborts its check', async () => {
    let aborted = false;
    const hanging: ReadinessCheck = {
      name: 'postgres',
      check: ({ signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    };
    const { app } = await testApp({ readiness: [hanging] });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json().reason).toBe('unreachable: postgres (no answer within 200 ms)');
    expect(aborted).toBe(true);
    await app.close();
  });
});

describe('API key auth', () => {
  let app: ServiceServer;

  beforeAll(async () => {
    app = await buildServer({
      name: 'auth-service',
      version: '1.0.0',
      logger: createLogger({ name: 'auth-service', level: 'silent' }),
      auth: {
        verifyApiKey: async (apiKey) => {
          if (apiKey === 'ingest-key') return { tenantId: 'acme', scopes: ['ingest'] };
          if (apiKey === 'reports-key') return { tenantId: 'acme', scopes: ['read_reports'] };
          return undefined;
        },
      },
      routes: async (routes) => {
        routes.post('/v1/leads', { config: { scope: 'ingest' } }, async (request) => ({
          tenantId: request.principal?.tenantId,
        }));
      },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets a key with the route scope through and exposes its tenant', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/leads',
      headers: { authorization: 'Bearer ingest-key' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ tenantId: 'acme' });
  });

  it('answers 401 without a key or with an unknown one', async () => {
    const missing = await app.inject({ method: 'POST', url: '/v1/leads' });
    const unknown = await app.inject({ method: 'POST', url: '/v1/leads', headers: { 'x-api-key': 'guess' } });
    expect(missing.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(unknown.json()).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('answers 403 when the key lacks the route scope', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/leads',
      headers: { authorization: 'Bearer reports-key' },
    });
    expect(response.json()).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('keeps health, readiness and documentation public', async () => {
    for (const url of ['/health', '/ready', '/docs/json']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });

  it('documents the API key scheme, except on the public routes', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
    expect(document.paths['/health'].get.security).toEqual([]);
  });
});
