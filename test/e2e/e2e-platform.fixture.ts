// What the end-to-end specs set up alike: a fresh schema with the event store and tenancy migrated, the
// platform topics in a namespace of their own, an API key of the demo tenant, and the services as
// processes, each reading in consumer groups of its own as in production.
import type pg from 'pg';
import { expect } from 'vitest';
import { ensureTopics } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import { migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { createApiKey, migrateTenancy, type ApiScope } from '@l2o/tenancy';
import { freePorts, freshSchema, kafkaBrokers, spawnService, uniqueSuffix, type ServiceProcess } from '@l2o/testing';

type Migration = (options: { databaseUrl: string; schema: string }) => Promise<unknown>;

export type E2ePlatform = {
  suffix: string;
  namespace: string;
  /** The demo tenant (`DEMO_TENANT`, whose routing team routing installs), owner of `apiKey`. */
  tenantId: string;
  apiKey: string;
  schema: string;
  /** On the services' schema. */
  pool: pg.Pool;
  topics: { lead: string; opportunity: string; attribution: string; intake: string };
  services: Record<string, ServiceProcess>;
  /** Starts `name` again on its port with its environment, as an orchestrator restarts a crashed pod. */
  start: (name: string) => ServiceProcess;
  url: (name: string, path: string) => string;
  /** POSTs `body` as JSON with `apiKey` and expects a 2xx; the JSON answer. */
  post: (name: string, path: string, body: unknown) => Promise<Record<string, unknown>>;
  /** Stops the services, closes the pool and drops the schema. */
  stop: () => Promise<void>;
};

/**
 * Starts `services` on a platform of their own, named after `label` (`e2e-l2r` gives schema `e2e_l2r_…`,
 * namespace and consumer groups `e2e-l2r-…-<suffix>`), and resolves once each answers `/ready`. What it
 * made is removed again when a step fails.
 */
export async function startPlatform(options: {
  label: string;
  services: readonly string[];
  partitions: number;
  scopes: ApiScope[];
  /** Run before the services start, beside the event store's and tenancy's. */
  migrations?: readonly Migration[];
  env?: Record<string, string>;
}): Promise<E2ePlatform> {
  const { label } = options;
  const suffix = uniqueSuffix();
  const namespace = `${label}-${suffix}`;
  const tenantId = `demo-${suffix}`;
  const topics = {
    lead: withNamespace(Topics.lead, namespace),
    opportunity: withNamespace(Topics.opportunity, namespace),
    attribution: withNamespace(Topics.attribution, namespace),
    intake: withNamespace(Topics.leadIntake, namespace),
  };
  const db = await freshSchema(label.replaceAll('-', '_'));
  const { databaseUrl, schema } = db;
  const pool = createPool({ connectionString: databaseUrl, schema, max: 2 });
  const services: Record<string, ServiceProcess> = {};
  const ports = new Map<string, number>();
  const env = {
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    TOPIC_NAMESPACE: namespace,
    INTAKE_CONSUMER_GROUP: `${label}-intake-${suffix}`,
    OUTCOMES_CONSUMER_GROUP: `${label}-outcomes-${suffix}`,
    DEMO_TENANT: tenantId,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const start = (name: string): ServiceProcess => {
    const group = `${label}-${name}-${suffix}`;
    const groups = { LEAD_CONSUMER_GROUP: group, CONSUMER_GROUP: group, OPPORTUNITY_CONSUMER_GROUP: group };
    services[name] = spawnService({ name, port: ports.get(name) ?? 0, env: { ...env, ...groups } });
    return services[name];
  };
  const stop = async () => {
    await Promise.allSettled(Object.values(services).map((service) => service.stop()));
    await pool.end();
    await db.drop();
  };
  const url = (name: string, path: string) => `${services[name]?.url ?? ''}${path}`;

  try {
    for (const migrate of [migrateEventStore, migrateTenancy, ...(options.migrations ?? [])]) {
      await migrate({ databaseUrl, schema });
    }
    await ensureTopics({
      brokers: kafkaBrokers(),
      topics: Object.values(topics).map((topic) => ({ topic, partitions: options.partitions })),
    });
    const { apiKey } = await createApiKey({ pool, tenantId, name: 'e2e', scopes: options.scopes });
    const free = await freePorts(options.services.length);
    options.services.forEach((name, index) => ports.set(name, free[index] ?? 0));
    await Promise.all(options.services.map((name) => start(name).ready()));

    return {
      suffix,
      namespace,
      tenantId,
      apiKey,
      schema,
      pool,
      topics,
      services,
      start,
      url,
      stop,
      post: async (name, path, body) => {
        const response = await fetch(url(name, path), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify(body),
        });
        const answer = (await response.json()) as Record<string, unknown>;
        expect(response.ok, `${name} ${path} answered ${response.status}: ${JSON.stringify(answer)}`).toBe(true);
        return answer;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Captures a lead strong and engaged enough for the default scoring rules to qualify it and the demo
 * team to take it: a VP at a 5,000-person software company in the US, then three buying signals.
 */
export async function captureStrongLead(platform: E2ePlatform, lastName: string): Promise<string> {
  const captured = await platform.post('ingestion', '/v1/leads', {
    email: `${lastName.toLowerCase()}.${platform.suffix}@stark-software.example`,
    firstName: 'Dana',
    lastName,
    jobTitle: 'VP Sales',
    company: {
      name: 'Stark Software',
      domain: 'stark-software.example',
      industry: 'software',
      size: 5000,
      country: 'US',
    },
    touchpoint: { channel: 'web_form', source: 'website', campaign: 'spring-launch' },
  });
  const leadId = String(captured.leadId);
  for (const type of ['pricing_page_view', 'content_download', 'demo_requested']) {
    await platform.post('ingestion', '/v1/activities', {
      leadId,
      type,
      occurredAt: new Date().toISOString(),
      channel: 'web_form',
      campaign: 'spring-launch',
    });
  }
  return leadId;
}
