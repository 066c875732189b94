import { rm } from 'node:fs/promises';
import type pg from 'pg';
import { createPool } from '@l2o/pg';
import { createLogger } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { apiScopes, createApiKey, createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import type { KnownValues } from './json-schema.arbitrary.ts';

// Each service's fixtures are imported when its tests start, so one service that does not load
// fails its own test, not the whole file.

/**
 * One HTTP service built by its own test fixture on a schema of its own, with a tenant whose key
 * holds every scope (so no route answers 403) and a few seeded resources the fuzzer aims at.
 */
export type ServiceUnderTest = {
  name: string;
  app: ServiceServer;
  /** Scoped to the service's schema: every table the app writes to is in it. */
  pool: pg.Pool;
  schema: string;
  apiKey: string;
  /** Ids of the seeded resources, by the property or parameter name that refers to them. */
  known: KnownValues;
  close(): Promise<void>;
};

const everyScope = [...apiScopes];

async function ingestion(): Promise<ServiceUnderTest> {
  const { startIngestionTestApp } = await import('../../services/ingestion/src/ingestion-test-app.fixture.ts');
  const env = await startIngestionTestApp();
  const { apiKey } = await env.newTenant(everyScope);
  // National phone numbers (as in the documented example) need a default country to be accepted.
  const settings = { defaultCountry: 'GB', matchRules: ['email', 'phone', 'external_id', 'domain_and_name'] };
  const configured = await env.request({ method: 'PUT', url: '/v1/settings/ingestion', apiKey, body: settings });
  if (configured.statusCode !== 200)
    throw new Error(`seeding settings answered ${configured.statusCode} ${configured.body}`);
  const capture = async (email: string) => {
    const response = await env.request({ url: '/v1/leads', apiKey, body: { email, firstName: 'Fuzz' } });
    if (response.statusCode !== 201) throw new Error(`seeding a lead answered ${response.statusCode} ${response.body}`);
    return response.json<{ leadId: string }>().leadId;
  };
  const survivor = await capture('survivor@fuzz.example');
  const merged = await capture('merged@fuzz.example');
  return {
    name: 'ingestion',
    app: env.app,
    pool: env.pool,
    schema: env.schema,
    apiKey,
    known: { leadId: [survivor, merged], survivorLeadId: [survivor], mergedLeadId: [merged] },
    close: async () => {
      // Accepted uploads wait in the shared spool directory for a processor this test does not run.
      const spooled = await env.pool.query<{ file_path: string }>('SELECT file_path FROM imports');
      await Promise.all(spooled.rows.map((row) => rm(row.file_path, { force: true })));
      await env.close();
    },
  };
}

async function scoring(): Promise<ServiceUnderTest> {
  const { startScoringTestEnv } = await import('../../services/scoring/src/scoring-test-env.fixture.ts');
  const env = await startScoringTestEnv();
  const { apiKey } = await env.newTenant(everyScope);
  return { name: 'scoring', app: env.app, pool: env.pool, schema: env.schema, apiKey, known: {}, close: env.close };
}

async function routing(): Promise<ServiceUnderTest> {
  const { startRoutingTestEnv, teamRouting } = await import('../../services/routing/src/routing-test-app.fixture.ts');
  const env = await startRoutingTestEnv();
  const { tenantId, apiKey } = await env.newTenant(everyScope);
  const team = teamRouting();
  await env.configure(tenantId, team);
  const leadId = await env.captureLead({ tenantId });
  await env.qualifyLead({ tenantId, leadId });
  const repIds = team.reps.map((rep) => rep.id);
  return {
    name: 'routing',
    app: env.app,
    pool: env.pool,
    schema: env.schema,
    apiKey,
    known: {
      leadId: [leadId],
      ownerId: repIds,
      repId: repIds,
      managerId: ['mgr-uk'],
      poolId: team.pools.map((pool) => pool.id),
    },
    close: env.close,
  };
}

async function pipeline(): Promise<ServiceUnderTest> {
  const { startPipelineTestApp } = await import('../../services/pipeline/src/pipeline-test-app.fixture.ts');
  const env = await startPipelineTestApp();
  const tenant = await env.newTenant(everyScope);
  const leadIds = [await env.seedLead(tenant), await env.seedLead(tenant)];
  const opportunityId = await env.openOpportunity(tenant);
  return {
    name: 'pipeline',
    app: env.app,
    pool: env.pool,
    schema: env.schema,
    apiKey: tenant.apiKey,
    known: {
      leadId: leadIds,
      id: [opportunityId],
      by: [tenant.ownerId],
      ownerId: [tenant.ownerId],
      pipelineId: ['new-business'],
      stageId: ['qualification', 'discovery', 'proposal', 'negotiation'],
    },
    close: env.close,
  };
}

async function attribution(): Promise<ServiceUnderTest> {
  const { startAttributionTestApp } = await import('../../services/attribution/src/attribution-test-app.fixture.ts');
  const env = await startAttributionTestApp();
  const { apiKey } = await env.newTenant(everyScope);
  return { name: 'attribution', app: env.app, pool: env.pool, schema: env.schema, apiKey, known: {}, close: env.close };
}

async function projections(): Promise<ServiceUnderTest> {
  const { freshProjectionsSchema } = await import('../../services/projections/src/projections-schema.fixture.ts');
  const { buildApp: buildProjectionsApp } = await import('../../services/projections/src/app.ts');
  const db = await freshProjectionsSchema('fuzz_proj');
  await migrateTenancy({ databaseUrl: db.databaseUrl, schema: db.schema });
  const pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
  const app = await buildProjectionsApp({
    pool,
    logger: createLogger({ name: 'projections', level: 'silent' }),
    verifyApiKey: createApiKeyVerifier({ pool }),
  });
  await app.ready();
  const { apiKey } = await createApiKey({ pool, tenantId: `fuzz-${db.schema}`, name: 'fuzz', scopes: everyScope });
  return {
    name: 'projections',
    app,
    pool,
    schema: db.schema,
    apiKey,
    known: {},
    close: async () => {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
}

/** The HTTP services in port order: ingestion 4001 … projections 4006. */
export const servicesUnderTest: ReadonlyArray<{ name: string; start: () => Promise<ServiceUnderTest> }> = [
  { name: 'ingestion', start: ingestion },
  { name: 'scoring', start: scoring },
  { name: 'routing', start: routing },
  { name: 'pipeline', start: pipeline },
  { name: 'attribution', start: attribution },
  { name: 'projections', start: projections },
];
