import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '@l2o/bus';
import { cloudEventTypeOf, leadCapturedV1Example, Topics, withNamespace } from '@l2o/contracts';
import type { CloudEvent, LeadChannel } from '@l2o/contracts';
import { createPool, quoteIdent } from '@l2o/pg';
import { migrateProjections, reportingSchemaOf } from '@l2o/projections/migrations';
import { applyEvent, projectedFromCloudEvent, readModels } from '@l2o/projections/read-models';
import { createApiKey, migrateTenancy } from '@l2o/tenancy';
import {
  freePorts,
  freshSchema,
  kafkaBrokers,
  spawnService,
  uniqueSuffix,
  withServiceOutput,
  type ServiceProcess,
} from '@l2o/testing';

const chromiumPath = '/usr/bin/chromium';
const screenshotPath = fileURLToPath(new URL('../../test-results/dashboard.png', import.meta.url));

/** What the seeded history should show: leads captured per UTC day and channel. */
const seededCounts: Array<{ day: string; channel: LeadChannel; count: number }> = [
  { day: '2025-03-10', channel: 'ad', count: 3 },
  { day: '2025-03-10', channel: 'web_form', count: 1 },
  { day: '2025-03-11', channel: 'partner', count: 1 },
  { day: '2025-03-11', channel: 'web_form', count: 2 },
  { day: '2025-03-12', channel: 'ad', count: 1 },
];

type ChartRow = { day: string; channel: string; count: string };

describe('the dashboard in a browser', () => {
  const suffix = uniqueSuffix();
  const tenantId = `acme-${suffix}`;
  let db: Awaited<ReturnType<typeof freshSchema>> | undefined;
  let pool: pg.Pool | undefined;
  let projections: ServiceProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let apiKey: string;

  /** Captures a lead of `tenant` through the read models' own apply path, as the Kafka consumer would. */
  async function captureLead(options: { tenant: string; channel: LeadChannel; capturedAt: string }): Promise<void> {
    const leadId = randomUUID();
    const event: CloudEvent = {
      specversion: '1.0',
      id: randomUUID(),
      type: cloudEventTypeOf('LeadCaptured', 1),
      source: '/l2o/e2e',
      subject: leadId,
      time: options.capturedAt,
      datacontenttype: 'application/json',
      tenantid: options.tenant,
      streamversion: 1,
      data: {
        ...leadCapturedV1Example,
        leadId,
        tenantId: options.tenant,
        capturedAt: options.capturedAt,
        touchpoint: { channel: options.channel, occurredAt: options.capturedAt },
      },
    };
    if (pool === undefined) throw new Error('the suite set-up did not open its pool');
    await applyEvent({ pool, readModels, event: projectedFromCloudEvent(event) });
  }

  async function chartRows(): Promise<ChartRow[]> {
    return page.$$eval('[data-chart="leads-by-channel"] table.chart-data tr[data-day]', (rows) =>
      rows.map((row) => {
        const { day = '', channel = '', count = '' } = (row as unknown as { dataset: Record<string, string> }).dataset;
        return { day, channel, count };
      }),
    );
  }

  async function waitForTotal(total: number): Promise<void> {
    await page.waitForSelector(`[data-chart="leads-by-channel"][data-state="ready"][data-total="${total}"]`, {
      timeout: 20_000,
    });
  }

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(`${chromiumPath} is missing: apt-get install -y --no-install-recommends chromium`);
    }
    db = await freshSchema('e2e_dash');
    const { databaseUrl, schema } = db;
    await migrateProjections({ databaseUrl, schema });
    await migrateTenancy({ databaseUrl, schema });
    pool = createPool({ connectionString: databaseUrl, schema, max: 2 });
    apiKey = (await createApiKey({ pool, tenantId, name: 'dashboard-e2e', scopes: ['read_reports'] })).apiKey;
    for (const { day, channel, count } of seededCounts) {
      for (let index = 0; index < count; index += 1) {
        await captureLead({
          tenant: tenantId,
          channel,
          capturedAt: `${day}T${String(8 + index).padStart(2, '0')}:15:00.000Z`,
        });
      }
    }
    await captureLead({ tenant: `other-${suffix}`, channel: 'ad', capturedAt: '2025-03-10T09:00:00.000Z' });

    const namespace = `e2e-dash-${suffix}`;
    await ensureTopics({
      brokers: kafkaBrokers(),
      topics: [{ topic: withNamespace(Topics.lead, namespace), partitions: 1 }],
    });
    const [port = 0] = await freePorts(1);
    projections = spawnService({
      name: 'projections',
      port,
      env: {
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        TOPIC_NAMESPACE: namespace,
        CONSUMER_GROUP: `e2e-dash-${suffix}`,
        LOG_LEVEL: 'warn',
      },
    });
    await projections.ready();

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await projections?.stop();
    await pool?.end();
    await db?.drop();
    if (db !== undefined) {
      const client = new pg.Client({ connectionString: db.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(reportingSchemaOf(db.schema))} CASCADE`);
      await client.end();
    }
  });

  it('asks for an API key, then charts the seeded leads by channel and day', async () => {
    const service = projections as ServiceProcess;
    await withServiceOutput([service], async () => {
      await page.goto(`${service.url}/dashboard?from=2025-03-10&to=2025-03-12`);
      await page.fill('#api-key', apiKey);
      await page.click('#key-form button[type="submit"]');
      await waitForTotal(8);
      expect(await page.isVisible('#key-form')).toBe(false);

      expect(await chartRows()).toEqual(
        seededCounts.map(({ day, channel, count }) => ({ day, channel, count: String(count) })),
      );
      // The chart itself, not only its data table, carries the numbers: read them back from ECharts.
      const series = await page.evaluate(`echarts
        .getInstanceByDom(document.querySelector('[data-chart="leads-by-channel"] .chart-canvas'))
        .getOption()
        .series.map(({ name, data }) => ({ name, data }))`);
      expect(series).toEqual([
        { name: 'ad', data: [3, 0, 1] },
        { name: 'partner', data: [0, 1, 0] },
        { name: 'web_form', data: [1, 2, 0] },
      ]);
      expect(await page.evaluate(`localStorage.getItem('l2o.dashboard.apiKey')`)).toBe(apiKey);
    });
  });

  it('shows a lead captured after it loaded, without being reloaded', async () => {
    await captureLead({ tenant: tenantId, channel: 'ad', capturedAt: '2025-03-12T16:00:00.000Z' });

    await waitForTotal(9);

    expect(await chartRows()).toContainEqual({ day: '2025-03-12', channel: 'ad', count: '2' });
    await mkdir(dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
  });

  it('narrows the chart to one channel', async () => {
    await page.selectOption('#filters select[name="channel"]', 'web_form');

    await waitForTotal(3);

    expect(await chartRows()).toEqual([
      { day: '2025-03-10', channel: 'web_form', count: '1' },
      { day: '2025-03-11', channel: 'web_form', count: '2' },
    ]);
    expect(new URL(page.url()).searchParams.get('channel')).toBe('web_form');
  });
});
