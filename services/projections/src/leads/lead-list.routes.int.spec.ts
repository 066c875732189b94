import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadChannel } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from '../app.ts';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { applyLeadEvent, leadCapturedEvent, leadScoredEvent } from './lead-event.fixture.ts';

type ListedLead = { leadId: string; channel: string; capturedAt: string; score: number | null; email: string };
type LeadPage = { items: ListedLead[]; nextCursor: string | null };

describe('GET /v1/leads', () => {
  const tenantId = `acme-${randomUUID()}`;
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let app: ServiceServer;
  let apiKey: string;
  /** The tenant's leads, newest capture first, as the list should answer them. */
  const seeded: Array<{ leadId: string; channel: LeadChannel; capturedAt: string; score?: number }> = [];

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_list');
    await migrateTenancy({ databaseUrl: db.databaseUrl, schema: db.schema });
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    app = await buildApp({
      pool,
      logger: createLogger({ name: 'projections', level: 'silent' }),
      verifyApiKey: createApiKeyVerifier({ pool }),
    });
    await app.ready();
    apiKey = (await createApiKey({ pool, tenantId, name: 'list-test', scopes: ['read_reports'] })).apiKey;

    // 12 leads over 6 days, two a day (one at the same instant as another, to page through a tie),
    // every third one scored; and one lead of another tenant.
    const channels: LeadChannel[] = ['web_form', 'ad', 'partner'];
    for (let index = 0; index < 12; index += 1) {
      const capturedAt = new Date(Date.UTC(2025, 2, 10 + Math.floor(index / 2), 9, index % 2 === 0 ? 0 : 30));
      const lead = {
        leadId: randomUUID(),
        channel: channels[index % 3] as LeadChannel,
        capturedAt: (index === 5 ? new Date(Date.UTC(2025, 2, 12, 9, 0)) : capturedAt).toISOString(),
        ...(index % 3 === 0 ? { score: 40 + index * 5 } : {}),
      };
      const captured = leadCapturedEvent({
        tenantId,
        leadId: lead.leadId,
        data: {
          capturedAt: lead.capturedAt,
          contact: { email: index === 7 ? 'needle_7@example.com' : `lead-${index}@example.com` },
          touchpoint: { channel: lead.channel, campaign: `campaign-${index % 2}`, occurredAt: lead.capturedAt },
        },
      });
      await applyLeadEvent({ pool, event: captured });
      if (lead.score !== undefined) {
        await applyLeadEvent({ pool, event: leadScoredEvent({ lead: captured, streamversion: 2, score: lead.score }) });
      }
      seeded.push(lead);
    }
    seeded.sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || b.leadId.localeCompare(a.leadId));
    await applyLeadEvent({ pool, event: leadCapturedEvent({ tenantId: `other-${randomUUID()}` }) });
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  async function list(query: string, headers: Record<string, string> = {}) {
    return app.inject({
      method: 'GET',
      url: `/v1/leads${query}`,
      headers: { authorization: `Bearer ${apiKey}`, ...headers },
    });
  }

  async function listPage(query: string): Promise<LeadPage> {
    const response = await list(query);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<LeadPage>();
  }

  it('answers the tenant’s leads newest first, a page at a time, each once, across a tie in capture time', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: LeadPage = await listPage(`?limit=5${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((lead) => lead.leadId));
      cursor = page.nextCursor;
    } while (cursor !== null);

    expect(seen).toEqual(seeded.map((lead) => lead.leadId));
  });

  it('filters by channel, score range and capture period together', async () => {
    const page = await listPage(
      '?channel=web_form&minScore=40&maxScore=70&capturedFrom=2025-03-10&capturedTo=2025-03-15',
    );

    const expected = seeded.filter(
      (lead) =>
        lead.channel === 'web_form' &&
        lead.score !== undefined &&
        lead.score >= 40 &&
        lead.score <= 70 &&
        lead.capturedAt < '2025-03-15',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(page.items.map((lead) => lead.leadId)).toEqual(expected.map((lead) => lead.leadId));
    expect(page.nextCursor).toBeNull();
  });

  it('finds leads by text in the email, taking LIKE wildcards literally', async () => {
    const page = await listPage('?q=NEEDLE_7');
    expect(page.items.map((lead) => lead.email)).toEqual(['needle_7@example.com']);
    expect((await listPage('?q=needle%257')).items).toEqual([]);
    expect((await listPage('?q=lead_1')).items).toEqual([]);
  });

  it('exports every matching lead as CSV, header first, on Accept: text/csv', async () => {
    const response = await list('?channel=ad&limit=1', { accept: 'text/csv' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="leads.csv"');
    const [header, ...rows] = response.body.trimEnd().split('\r\n');
    const columns = (header ?? '').split(',');
    expect(columns.slice(0, 3)).toEqual(['leadId', 'status', 'mergedInto']);
    const ads = seeded.filter((lead) => lead.channel === 'ad');
    expect(rows.map((row) => row.split(',')[columns.indexOf('leadId')])).toEqual(ads.map((lead) => lead.leadId));
    expect(rows.map((row) => row.split(',')[columns.indexOf('channel')])).toEqual(ads.map(() => 'ad'));
  });

  it('exports CSV on format=csv too', async () => {
    const response = await list('?format=csv');
    expect(response.body.trimEnd().split('\r\n')).toHaveLength(seeded.length + 1);
  });

  it('answers 400 naming the cursor for one it did not issue', async () => {
    const response = await list('?cursor=bm90LWEtY3Vyc29y');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad_request', field: 'cursor' });
  });

  it.each(['q', 'campaign', 'ownerId', 'poolId', 'cursor'])(
    'answers 400 naming %s when it holds a NUL',
    async (field) => {
      const response = await list(`?${field}=ada%00`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'validation_failed',
        field,
        reason: expect.stringMatching(/^contains a NUL character/),
      });
    },
  );

  it('answers 400 naming the field for a filter out of range', async () => {
    const response = await list('?minScore=101');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', field: 'minScore' });
  });
});
