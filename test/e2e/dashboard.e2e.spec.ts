import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '@l2o/bus';
import {
  cloudEventTypeOf,
  leadCapturedV1Example,
  opportunityOpenedV1Example,
  Topics,
  withNamespace,
} from '@l2o/contracts';
import type { CloudEvent, LeadChannel } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { migrateProjections } from '@l2o/projections/migrations';
import { applyEvent, streamEventFromCloudEvent, readModels } from '@l2o/projections/read-models';
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
const pipelineScreenshotPath = fileURLToPath(
  new URL('../../test-results/dashboard-pipeline-attribution.png', import.meta.url),
);
const funnelScreenshotPath = fileURLToPath(
  new URL('../../test-results/dashboard-funnel-response.png', import.meta.url),
);

/** What the seeded history should show: leads captured per UTC day and channel. */
const seededCounts: Array<{ day: string; channel: LeadChannel; count: number }> = [
  { day: '2025-03-10', channel: 'ad', count: 3 },
  { day: '2025-03-10', channel: 'web_form', count: 1 },
  { day: '2025-03-11', channel: 'partner', count: 1 },
  { day: '2025-03-11', channel: 'web_form', count: 2 },
  { day: '2025-03-12', channel: 'ad', count: 1 },
];

type ChartRow = { day: string; channel: string; count: string };

/** One event of a hand-written stream: type, when, and the data without the stream's ids. */
type StoryEvent = { type: string; at: string; data: Record<string, unknown> };

/** A stream's events as the relay publishes them, versions from 1; the data gets the aggregate id and tenant. */
function streamCloudEvents(options: {
  aggregate: 'lead' | 'opportunity';
  id: string;
  tenant: string;
  events: StoryEvent[];
}): CloudEvent[] {
  return options.events.map((event, index) => ({
    specversion: '1.0',
    id: randomUUID(),
    type: cloudEventTypeOf(event.type, 1),
    source: '/l2o/e2e',
    subject: options.id,
    time: event.at,
    datacontenttype: 'application/json',
    tenantid: options.tenant,
    streamversion: index + 1,
    data: { ...event.data, [`${options.aggregate}Id`]: options.id, tenantId: options.tenant },
  }));
}

/**
 * April's leads for the funnel and response charts: an ad lead answered in time by rep-ines and won,
 * an ad lead whose SLA rep-omar breached, and a web form lead that went no further.
 */
function aprilStories(tenant: string): CloudEvent[] {
  const capture = (at: string, channel: LeadChannel): StoryEvent => ({
    type: 'LeadCaptured',
    at,
    data: {
      ...leadCapturedV1Example,
      capturedAt: at,
      captureId: `e2e:${randomUUID()}`,
      touchpoint: { channel, occurredAt: at },
    },
  });
  const qualify = (at: string): StoryEvent => ({
    type: 'LeadQualified',
    at,
    data: { qualifiedAt: at, score: 70, threshold: 60, ruleSetVersion: 1 },
  });
  const assign = (at: string, ownerId: string, poolId: string, dueAt: string): StoryEvent => ({
    type: 'LeadAssigned',
    at,
    data: { assignedAt: at, ownerId, poolId, strategy: 'round_robin', reason: 'qualified', responseDueAt: dueAt },
  });
  const won = randomUUID();
  const opportunityId = randomUUID();
  const stage = { id: 'negotiation', name: 'Negotiation', probability: 75, forecastCategory: 'commit', position: 3 };
  return [
    ...streamCloudEvents({
      aggregate: 'lead',
      id: won,
      tenant,
      events: [
        capture('2025-04-01T09:00:00.000Z', 'ad'),
        qualify('2025-04-01T10:00:00.000Z'),
        assign('2025-04-01T10:05:00.000Z', 'rep-ines', 'emea', '2025-04-01T12:05:00.000Z'),
        {
          type: 'LeadAccepted',
          at: '2025-04-01T10:35:00.000Z',
          data: { ownerId: 'rep-ines', acceptedAt: '2025-04-01T10:35:00.000Z' },
        },
        {
          type: 'LeadSalesQualified',
          at: '2025-04-02T10:00:00.000Z',
          data: { qualifiedAt: '2025-04-02T10:00:00.000Z', by: 'rep-ines' },
        },
        {
          type: 'LeadConverted',
          at: '2025-04-03T10:00:00.000Z',
          data: { convertedAt: '2025-04-03T10:00:00.000Z', opportunityId, by: 'rep-ines' },
        },
      ],
    }),
    ...streamCloudEvents({
      aggregate: 'opportunity',
      id: opportunityId,
      tenant,
      events: [
        {
          type: 'OpportunityOpened',
          at: '2025-04-03T10:00:00.000Z',
          data: { ...opportunityOpenedV1Example, leadId: won, openedAt: '2025-04-03T10:00:00.000Z' },
        },
        {
          type: 'OpportunityWon',
          at: '2025-04-10T10:00:00.000Z',
          data: { wonAt: '2025-04-10T10:00:00.000Z', amount: 48_000, currency: 'EUR', stage },
        },
      ],
    }),
    ...streamCloudEvents({
      aggregate: 'lead',
      id: randomUUID(),
      tenant,
      events: [
        capture('2025-04-02T09:00:00.000Z', 'ad'),
        qualify('2025-04-02T12:00:00.000Z'),
        assign('2025-04-02T12:05:00.000Z', 'rep-omar', 'na', '2025-04-02T14:05:00.000Z'),
        {
          type: 'LeadResponseSlaBreached',
          at: '2025-04-02T14:05:01.000Z',
          data: {
            ownerId: 'rep-omar',
            poolId: 'na',
            assignedAt: '2025-04-02T12:05:00.000Z',
            dueAt: '2025-04-02T14:05:00.000Z',
            breachedAt: '2025-04-02T14:05:01.000Z',
            breachCount: 1,
          },
        },
      ],
    }),
    ...streamCloudEvents({
      aggregate: 'lead',
      id: randomUUID(),
      tenant,
      events: [capture('2025-04-03T09:00:00.000Z', 'web_form')],
    }),
  ];
}

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
    await applyEvent({ pool, readModels, event: streamEventFromCloudEvent(event) });
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
      // The read models follow the lead, opportunity and attribution streams: the consumer subscribes to all three.
      topics: [Topics.lead, Topics.opportunity, Topics.attribution].map((topic) => ({
        topic: withNamespace(topic, namespace),
        partitions: 1,
      })),
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
    // Drops the reporting schema beside it too.
    await db?.drop();
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

  it('charts April’s funnel, first-response SLA per rep and rep workload from the seeded lifecycle', async () => {
    const service = projections as ServiceProcess;
    for (const event of aprilStories(tenantId)) {
      await applyEvent({ pool: pool as pg.Pool, readModels, event: streamEventFromCloudEvent(event) });
    }
    await withServiceOutput([service], async () => {
      await page.goto(`${service.url}/dashboard?from=2025-04-01&to=2025-04-30`);
      await page.waitForSelector('[data-chart="funnel"][data-state="ready"][data-counts="3,2,1,1,1"]', {
        timeout: 20_000,
      });
      const rowsOf = (chart: string) =>
        page.$$eval(
          `[data-chart="${chart}"] table.chart-data tr[data-rep], [data-chart="${chart}"] table.chart-data tr[data-step]`,
          (rows) => rows.map((row) => ({ ...(row as unknown as { dataset: Record<string, string> }).dataset })),
        );
      expect(await rowsOf('funnel')).toEqual([
        { step: 'Leads', count: '3', rate: '', hours: '' },
        { step: 'MQL', count: '2', rate: '66.7%', hours: '2' },
        { step: 'SQL', count: '1', rate: '50.0%', hours: '24' },
        { step: 'Opportunity', count: '1', rate: '100.0%', hours: '24' },
        { step: 'Won', count: '1', rate: '100.0%', hours: '168' },
      ]);
      const funnelSeries = await page.evaluate(`echarts
        .getInstanceByDom(document.querySelector('[data-chart="funnel"] .chart-canvas'))
        .getOption().series.map(({ data }) => data)`);
      expect(funnelSeries).toEqual([[3, 2, 1, 1, 1]]);

      await page.waitForSelector('[data-chart="sla-compliance"][data-state="ready"]');
      expect(await rowsOf('sla-compliance')).toEqual([
        {
          rep: 'rep-ines',
          assignments: '1',
          met: '1',
          late: '0',
          breached: '0',
          overdue: '0',
          compliance: '100.0%',
          medianMinutes: '30',
        },
        {
          rep: 'rep-omar',
          assignments: '1',
          met: '0',
          late: '0',
          breached: '1',
          overdue: '0',
          compliance: '0.0%',
          medianMinutes: '',
        },
      ]);
      await page.waitForSelector('[data-chart="rep-workload"][data-state="ready"]');
      expect(await rowsOf('rep-workload')).toEqual([
        { rep: 'rep-omar', open: '1', awaitingResponse: '1', inProgress: '0' },
      ]);

      await mkdir(dirname(funnelScreenshotPath), { recursive: true });
      await page.screenshot({ path: funnelScreenshotPath, fullPage: true });
    });
  });

  it('charts the pipeline as of the period’s end, its forecast, attribution by model and channel ROI', async () => {
    const service = projections as ServiceProcess;
    const stage = (id: string, probability: number, position: number) => ({
      id,
      name: id[0]?.toUpperCase() + id.slice(1),
      probability,
      forecastCategory: probability >= 50 ? 'best_case' : 'pipeline',
      position,
    });
    let sequence = 0;
    /** Applies a stream's events as the relay publishes them, versions from 1. */
    const deliver = async (aggregate: 'opportunity' | 'attribution', id: string, events: StoryEvent[]) => {
      for (const [index, event] of events.entries()) {
        sequence += 1;
        const cloudEvent: CloudEvent = {
          specversion: '1.0',
          id: randomUUID(),
          type: cloudEventTypeOf(event.type, 1),
          source: '/l2o/e2e',
          subject: id,
          time: event.at,
          datacontenttype: 'application/json',
          tenantid: tenantId,
          streamversion: index + 1,
          data: { ...event.data, tenantId },
        };
        await applyEvent({ pool: pool as pg.Pool, readModels, event: streamEventFromCloudEvent(cloudEvent) });
      }
    };
    const opened = (opportunityId: string, at: string, amount: number, channel: LeadChannel, closeDate: string) => ({
      type: 'OpportunityOpened',
      at,
      data: {
        ...opportunityOpenedV1Example,
        opportunityId,
        leadId: randomUUID(),
        openedAt: at,
        amount,
        expectedCloseDate: closeDate,
        stage: stage('qualification', 10, 0),
        source: { channel, campaign: 'spring-webinar' },
      },
    });
    // A (ad) moves to proposal and stays open; B (web_form) is won, attributed by two models; ad cost 500.
    const [a, b] = [randomUUID(), randomUUID()];
    await deliver('opportunity', a, [
      opened(a, '2025-03-10T10:00:00.000Z', 10_000, 'ad', '2025-04-15'),
      {
        type: 'OpportunityStageChanged',
        at: '2025-03-11T10:00:00.000Z',
        data: {
          opportunityId: a,
          changedAt: '2025-03-11T10:00:00.000Z',
          fromStage: stage('qualification', 10, 0),
          toStage: stage('proposal', 50, 2),
          direction: 'forward',
          by: 'rep-ines',
        },
      },
    ]);
    await deliver('opportunity', b, [
      opened(b, '2025-03-10T11:00:00.000Z', 20_000, 'web_form', '2025-05-10'),
      {
        type: 'OpportunityWon',
        at: '2025-03-12T10:00:00.000Z',
        data: {
          opportunityId: b,
          wonAt: '2025-03-12T10:00:00.000Z',
          amount: 20_000,
          currency: 'EUR',
          stage: stage('qualification', 10, 0),
        },
      },
    ]);
    const credit = (model: string, byChannel: Array<{ channel: LeadChannel; amount: number }>) => ({
      type: 'AttributionCalculated',
      at: '2025-03-12T10:00:01.000Z',
      data: {
        opportunityId: b,
        leadId: randomUUID(),
        model,
        calculatedAt: '2025-03-12T10:00:01.000Z',
        wonAt: '2025-03-12T10:00:00.000Z',
        amount: 20_000,
        currency: 'EUR',
        credits: byChannel.map(({ channel, amount }, index) => ({
          touchId: `t${index}`,
          occurredAt: '2025-03-10T09:00:00.000Z',
          channel,
          weight: amount / 20_000,
          amount,
        })),
        byChannel,
        byCampaign: [{ campaign: null, amount: 20_000 }],
        config: {},
        fellBackToLinear: false,
        revision: 1,
      },
    });
    await deliver('attribution', b, [
      credit('first_touch', [{ channel: 'web_form', amount: 20_000 }]),
      credit('linear', [
        { channel: 'web_form', amount: 10_000 },
        { channel: 'ad', amount: 10_000 },
      ]),
    ]);
    const at = '2025-03-12T06:00:00.000Z';
    await deliver('attribution', randomUUID(), [
      {
        type: 'CampaignCostRecorded',
        at,
        data: {
          campaign: 'spring-webinar',
          channel: 'ad',
          date: '2025-03-11',
          amount: 500,
          currency: 'EUR',
          recordedAt: at,
        },
      },
    ]);
    expect(sequence).toBe(7);

    // The data rows of a chart's table: its header row has no data-* attributes.
    const rowsOf = (chart: string) =>
      page.$$eval(`[data-chart="${chart}"] table.chart-data tr:not(:first-child)`, (rows) =>
        rows.map((row) => ({ ...(row as unknown as { dataset: Record<string, string> }).dataset })),
      );
    await withServiceOutput([service], async () => {
      await page.goto(`${service.url}/dashboard?from=2025-03-10&to=2025-03-12`);
      const ready = (chart: string, total: string) =>
        page.waitForSelector(`[data-chart="${chart}"][data-state="ready"][data-total="${total}"]`, { timeout: 20_000 });
      await ready('pipeline-by-stage', '1');
      await ready('pipeline-forecast', '5000');
      await ready('attribution-by-model', '40000');
      // ad, partner and web_form (their leads and costs) × first_touch and linear.
      await ready('channel-roi', '6');

      expect(await rowsOf('pipeline-by-stage')).toEqual([
        { stage: 'Proposal', currency: 'EUR', count: '1', amount: '10000', weighted: '5000' },
      ]);
      const series = await page.evaluate(`echarts
        .getInstanceByDom(document.querySelector('[data-chart="pipeline-by-stage"] .chart-canvas'))
        .getOption()
        .series.map(({ name, data }) => ({ name, data }))`);
      expect(series).toEqual([
        { name: 'Amount', data: [10_000] },
        { name: 'Weighted', data: [5_000] },
      ]);
      expect(await rowsOf('pipeline-forecast')).toEqual([
        { month: '2025-04', category: 'best_case', currency: 'EUR', count: '1', amount: '10000', weighted: '5000' },
      ]);
      expect(await rowsOf('attribution-by-model')).toEqual([
        { model: 'first_touch', channel: 'web_form', deals: '1', amount: '20000' },
        { model: 'linear', channel: 'ad', deals: '1', amount: '10000' },
        { model: 'linear', channel: 'web_form', deals: '1', amount: '10000' },
      ]);
      const roi = await rowsOf('channel-roi');
      expect(
        roi
          .filter((row) => row.channel === 'ad')
          .map(({ model, cost, revenue, roi: value }) => ({ model, cost, revenue, roi: value })),
      ).toEqual([
        { model: 'first_touch', cost: '500', revenue: '0', roi: '-1' },
        { model: 'linear', cost: '500', revenue: '10000', roi: '19' },
      ]);
      await page.screenshot({ path: pipelineScreenshotPath, fullPage: true });
    });
  });
});
