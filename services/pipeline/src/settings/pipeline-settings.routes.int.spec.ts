import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipelineTestApp } from '../pipeline-test-app.fixture.ts';
import type { PipelineTestApp } from '../pipeline-test-app.fixture.ts';
import { defaultPipelineSettings } from './pipeline-settings.schema.ts';
import type { PipelineSettings } from './pipeline-settings.schema.ts';

describe('GET and PUT /v1/pipeline/settings', () => {
  let env: PipelineTestApp;

  beforeAll(async () => {
    env = await startPipelineTestApp();
  });
  afterAll(async () => {
    await env.close();
  });

  const url = '/v1/pipeline/settings';

  function renewals(): PipelineSettings {
    const defaults = defaultPipelineSettings();
    return {
      ...defaults,
      pipelines: [
        ...defaults.pipelines,
        {
          id: 'renewals',
          name: 'Renewals',
          stages: [
            {
              id: 'review',
              name: 'Review',
              probability: 60,
              forecastCategory: 'best_case',
              exitCriteria: [],
              slaDays: 30,
            },
            {
              id: 'signature',
              name: 'Signature',
              probability: 90,
              forecastCategory: 'commit',
              exitCriteria: ['po'],
              slaDays: 7,
            },
          ],
        },
      ],
      lostReasons: ['price', 'churned'],
    };
  }

  it('answers the default pipeline until the tenant saves its own', async () => {
    const { apiKey } = await env.newTenant(['administer_rules']);

    const response = await env.request({ method: 'GET', url, apiKey });

    expect(response.statusCode).toBe(200);
    const settings = response.json<PipelineSettings>();
    expect(settings.defaultPipelineId).toBe('new-business');
    expect(
      settings.pipelines[0]?.stages.map((stage) => [
        stage.id,
        stage.probability,
        stage.forecastCategory,
        stage.slaDays,
      ]),
    ).toEqual([
      ['qualification', 10, 'pipeline', 14],
      ['discovery', 25, 'pipeline', 21],
      ['proposal', 50, 'best_case', 14],
      ['negotiation', 75, 'commit', 10],
    ]);
    expect(settings.pipelines[0]?.stages[2]?.exitCriteria).toEqual(['budgetConfirmed', 'decisionMakerIdentified']);
    expect(settings.lostReasons).toEqual(['price', 'competitor', 'no_decision', 'timing', 'product_fit', 'other']);
  });

  it('saves valid settings for the tenant only', async () => {
    const { apiKey } = await env.newTenant(['administer_rules']);
    const other = await env.newTenant(['administer_rules']);

    const saved = await env.request({ method: 'PUT', url, apiKey, body: renewals() });

    expect(saved.statusCode, saved.body).toBe(200);
    expect((await env.request({ method: 'GET', url, apiKey })).json()).toEqual(renewals());
    expect((await env.request({ method: 'GET', url, apiKey: other.apiKey })).json()).toEqual(defaultPipelineSettings());
  });

  it('opens a conversion in the pipeline it names', async () => {
    const tenant = await env.newTenant();
    await env.request({ method: 'PUT', url, apiKey: tenant.apiKey, body: renewals() });
    const leadId = await env.seedLead(tenant);
    await env.request({ url: `/v1/leads/${leadId}/sales-qualify`, apiKey: tenant.apiKey, body: { by: 'rep-ines' } });

    const converted = await env.request({
      url: `/v1/leads/${leadId}/convert`,
      apiKey: tenant.apiKey,
      body: { by: 'rep-ines', amount: 1000, currency: 'USD', expectedCloseDate: '2025-05-31', pipelineId: 'renewals' },
    });

    expect(converted.statusCode, converted.body).toBe(201);
    const opened = (await env.eventsOf(tenant.tenantId)).find((event) => event.type === 'OpportunityOpened');
    expect(opened?.data).toMatchObject({
      pipelineId: 'renewals',
      stage: { id: 'review', probability: 60, position: 0 },
    });
  });

  describe('refuses invalid settings with 400 naming the field', () => {
    const cases: Array<[string, (settings: PipelineSettings) => unknown, string]> = [
      [
        'a stage id used twice in a pipeline',
        (settings) => {
          const [pipeline] = settings.pipelines;
          const [first] = pipeline?.stages ?? [];
          return { ...settings, pipelines: [{ ...pipeline, stages: [first, first] }] };
        },
        'pipelines.0.stages.1.id',
      ],
      [
        'a pipeline id used twice',
        (settings) => ({ ...settings, pipelines: [settings.pipelines[0], settings.pipelines[0]] }),
        'pipelines.1.id',
      ],
      [
        'a default pipeline that does not exist',
        (settings) => ({ ...settings, defaultPipelineId: 'renewals' }),
        'defaultPipelineId',
      ],
      ['a lost reason listed twice', (settings) => ({ ...settings, lostReasons: ['price', 'price'] }), 'lostReasons.1'],
      ['no lost reasons', (settings) => ({ ...settings, lostReasons: [] }), 'lostReasons'],
      [
        'a pipeline without stages',
        (settings) => ({ ...settings, pipelines: [{ ...settings.pipelines[0], stages: [] }] }),
        'pipelines.0.stages',
      ],
      [
        'a probability above 100',
        (settings) => withFirstStage(settings, { probability: 120 }),
        'pipelines.0.stages.0.probability',
      ],
      ['an SLA of zero days', (settings) => withFirstStage(settings, { slaDays: 0 }), 'pipelines.0.stages.0.slaDays'],
      [
        'an unknown forecast category',
        (settings) => withFirstStage(settings, { forecastCategory: 'maybe' }),
        'pipelines.0.stages.0.forecastCategory',
      ],
    ];

    it.each(cases)('%s', async (_name, change, field) => {
      const { apiKey } = await env.newTenant(['administer_rules']);

      const response = await env.request({ method: 'PUT', url, apiKey, body: change(defaultPipelineSettings()) });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'validation_failed', field });
      expect((await env.request({ method: 'GET', url, apiKey })).json()).toEqual(defaultPipelineSettings());
    });
  });

  it('answers 403 to a key without administer_rules', async () => {
    const { apiKey } = await env.newTenant(['work_leads', 'read_reports']);

    expect((await env.request({ method: 'GET', url, apiKey })).statusCode).toBe(403);
    expect((await env.request({ method: 'PUT', url, apiKey, body: renewals() })).statusCode).toBe(403);
  });
});

function withFirstStage(settings: PipelineSettings, change: Record<string, unknown>): unknown {
  const [pipeline] = settings.pipelines;
  const [first, ...rest] = pipeline?.stages ?? [];
  return { ...settings, pipelines: [{ ...pipeline, stages: [{ ...first, ...change }, ...rest] }] };
}
