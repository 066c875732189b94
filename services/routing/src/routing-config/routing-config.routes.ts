import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '@l2o/pg';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { danglingReferences, poolSchema, repSchema, routingSettingsSchema } from '../assignment/index.ts';
import type { DanglingReference } from '../assignment/index.ts';
import { lockTenantRouting } from '../routing-leads/tenant-lock.ts';
import {
  deletePool,
  deleteRep,
  readTenantRouting,
  savePool,
  saveRep,
  saveSettings,
} from './routing-config.repository.ts';
import type { TenantRouting } from './routing-config.repository.ts';

const scope: ApiScope = 'administer_rules';
const errors = { 401: errorResponseSchema, 403: errorResponseSchema };
const repBody = repSchema.omit({ id: true });
const poolBody = poolSchema.omit({ id: true });
const repParams = z.object({ repId: repSchema.shape.id });
const poolParams = z.object({ poolId: poolSchema.shape.id });

/**
 * The admin API of a tenant's routing: settings (ordered rules, default and shared pool, SLA), reps
 * and pools. Every write runs under the tenant's routing lock and is refused when it would leave a
 * reference to a pool or rep that does not exist, so `assignLead` never meets one.
 */
export function routingConfigRoutes(options: { pool: pg.Pool; clock: () => Date }): FastifyPluginAsyncZod {
  const { pool, clock } = options;

  // Reads, changes and checks the tenant's routing in one transaction under its routing lock.
  const change = <T>(
    tenantId: string,
    work: (context: { client: pg.PoolClient; routing: TenantRouting }) => Promise<T>,
  ) =>
    withTransaction(pool, async (client) => {
      await lockTenantRouting(client, tenantId);
      return work({ client, routing: await readTenantRouting(client, tenantId) });
    });

  return async (app) => {
    app.get(
      '/v1/routing/settings',
      {
        config: { scope },
        schema: {
          summary: 'Read the routing settings',
          description: `Ordered rules (first match wins), default and shared pool, SLA defaults. Needs the ${scope} scope.`,
          tags: ['routing'],
          response: { 200: routingSettingsSchema, 404: errorResponseSchema, ...errors },
        },
      },
      async (request) => {
        const { settings } = await readTenantRouting(pool, tenantOf(request));
        if (settings === undefined) {
          throw new HttpError({ status: 404, code: 'not_found', reason: 'the tenant has no routing settings yet' });
        }
        return settings;
      },
    );

    app.put(
      '/v1/routing/settings',
      {
        config: { scope },
        schema: {
          summary: 'Replace the routing settings',
          description: `Every pool they name must exist. Needs the ${scope} scope.`,
          tags: ['routing'],
          body: routingSettingsSchema,
          response: { 200: routingSettingsSchema, 400: errorResponseSchema, ...errors },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const settings = request.body;
        return change(tenantId, async ({ client, routing }) => {
          refuseDangling(danglingReferences({ ...routing, settings }));
          await saveSettings(client, { tenantId, settings, now: clock() });
          return settings;
        });
      },
    );

    app.get(
      '/v1/routing/reps',
      {
        config: { scope },
        schema: {
          summary: 'List the reps',
          tags: ['routing'],
          description: `Needs the ${scope} scope.`,
          response: { 200: z.object({ reps: z.array(repSchema) }), ...errors },
        },
      },
      async (request) => ({ reps: (await readTenantRouting(pool, tenantOf(request))).reps }),
    );

    app.get(
      '/v1/routing/reps/:repId',
      {
        config: { scope },
        schema: {
          summary: 'Read a rep',
          tags: ['routing'],
          description: `Needs the ${scope} scope.`,
          params: repParams,
          response: { 200: repSchema, 404: errorResponseSchema, ...errors },
        },
      },
      async (request) => {
        const { reps } = await readTenantRouting(pool, tenantOf(request));
        const rep = reps.find((candidate) => candidate.id === request.params.repId);
        if (rep === undefined) throw notFound('rep', request.params.repId);
        return rep;
      },
    );

    app.put(
      '/v1/routing/reps/:repId',
      {
        config: { scope },
        schema: {
          summary: 'Create or replace a rep',
          description: `Time zone, working hours, leave, open-lead cap and daily quota. Needs the ${scope} scope.`,
          tags: ['routing'],
          params: repParams,
          body: repBody,
          response: { 200: repSchema, 400: errorResponseSchema, ...errors },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const rep = { ...request.body, id: request.params.repId };
        return change(tenantId, async ({ client }) => {
          await saveRep(client, { tenantId, rep });
          return rep;
        });
      },
    );

    app.delete(
      '/v1/routing/reps/:repId',
      {
        config: { scope },
        schema: {
          summary: 'Delete a rep',
          description: `Refused while a pool lists the rep. Needs the ${scope} scope.`,
          tags: ['routing'],
          params: repParams,
          response: { 204: z.null(), 404: errorResponseSchema, 409: errorResponseSchema, ...errors },
        },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        const { repId } = request.params;
        await change(tenantId, async ({ client, routing }) => {
          const reps = routing.reps.filter((rep) => rep.id !== repId);
          if (reps.length === routing.reps.length) throw notFound('rep', repId);
          refuseStillReferenced(danglingReferences({ ...routing, reps }));
          await deleteRep(client, { tenantId, repId });
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/routing/pools',
      {
        config: { scope },
        schema: {
          summary: 'List the pools',
          tags: ['routing'],
          description: `Needs the ${scope} scope.`,
          response: { 200: z.object({ pools: z.array(poolSchema) }), ...errors },
        },
      },
      async (request) => ({ pools: (await readTenantRouting(pool, tenantOf(request))).pools }),
    );

    app.get(
      '/v1/routing/pools/:poolId',
      {
        config: { scope },
        schema: {
          summary: 'Read a pool',
          tags: ['routing'],
          description: `Needs the ${scope} scope.`,
          params: poolParams,
          response: { 200: poolSchema, 404: errorResponseSchema, ...errors },
        },
      },
      async (request) => {
        const { pools } = await readTenantRouting(pool, tenantOf(request));
        const found = pools.find((candidate) => candidate.id === request.params.poolId);
        if (found === undefined) throw notFound('pool', request.params.poolId);
        return found;
      },
    );

    app.put(
      '/v1/routing/pools/:poolId',
      {
        config: { scope },
        schema: {
          summary: 'Create or replace a pool',
          description: `Strategy and members (in rotation order, with weights); every member must be a rep. Its fairness state is kept. Needs the ${scope} scope.`,
          tags: ['routing'],
          params: poolParams,
          body: poolBody,
          response: { 200: poolSchema, 400: errorResponseSchema, ...errors },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const saved = { ...request.body, id: request.params.poolId };
        return change(tenantId, async ({ client, routing }) => {
          const pools = [...routing.pools.filter((candidate) => candidate.id !== saved.id), saved];
          refuseDangling(danglingReferences({ ...routing, pools }), `pools.${saved.id}.`);
          await savePool(client, { tenantId, pool: saved });
          return saved;
        });
      },
    );

    app.delete(
      '/v1/routing/pools/:poolId',
      {
        config: { scope },
        schema: {
          summary: 'Delete a pool',
          description: `Refused while the settings name the pool. Needs the ${scope} scope.`,
          tags: ['routing'],
          params: poolParams,
          response: { 204: z.null(), 404: errorResponseSchema, 409: errorResponseSchema, ...errors },
        },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        const { poolId } = request.params;
        await change(tenantId, async ({ client, routing }) => {
          const pools = routing.pools.filter((candidate) => candidate.id !== poolId);
          if (pools.length === routing.pools.length) throw notFound('pool', poolId);
          refuseStillReferenced(danglingReferences({ ...routing, pools }));
          await deletePool(client, { tenantId, poolId });
        });
        return reply.code(204).send(null);
      },
    );
  };
}

function kindOf(reference: DanglingReference): 'rep' | 'pool' {
  return reference.path.endsWith('repId') ? 'rep' : 'pool';
}

/** A 400 naming the first unknown pool or rep, at its path in the request body (`bodyPrefix` stripped). */
function refuseDangling(dangling: DanglingReference[], bodyPrefix = ''): void {
  const [first] = dangling;
  if (first === undefined) return;
  const field = first.path.startsWith(bodyPrefix) ? first.path.slice(bodyPrefix.length) : first.path;
  throw new HttpError({
    status: 400,
    code: 'validation_failed',
    field,
    reason: `no ${kindOf(first)} "${first.id}" exists`,
  });
}

function refuseStillReferenced(dangling: DanglingReference[]): void {
  const [first] = dangling;
  if (first === undefined) return;
  throw new HttpError({
    status: 409,
    code: 'conflict',
    field: first.path,
    reason: `${kindOf(first)} "${first.id}" is still named at ${first.path}; change that first`,
  });
}

function notFound(kind: 'rep' | 'pool', id: string): HttpError {
  return new HttpError({ status: 404, code: 'not_found', reason: `no ${kind} "${id}"` });
}
