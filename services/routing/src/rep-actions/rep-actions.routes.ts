import type pg from 'pg';
import { z } from 'zod';
import { leadContactMethods, storableString, streamIdFor } from '@l2o/contracts';
import { RuleViolation } from '@l2o/domain';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { matchRule, poolSchema, repSchema } from '../assignment/index.ts';
import { sendLeadCommand } from '../lead-commands/send-lead-command.ts';
import type { LeadStore, RoutingLeadCommand } from '../lead-commands/send-lead-command.ts';
import { readTenantRouting } from '../routing-config/routing-config.repository.ts';
import { readRoutingLead } from '../routing-leads/routing-leads.repository.ts';

const repId = repSchema.shape.id;
const params = z.object({ leadId: z.uuid() });
const outcome = z
  .object({
    leadId: z.uuid(),
    outcome: z.enum(['recorded', 'unchanged']).describe('unchanged: the lead already had it (a retried request).'),
    events: z.array(z.string()).describe('The events appended to the lead.'),
  })
  .meta({
    examples: [{ leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b', outcome: 'recorded', events: ['LeadAccepted'] }],
  });
const responses = {
  200: outcome,
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema.describe('The tenant has no lead with this id.'),
  409: errorResponseSchema.describe('The lead refused: not the owner, closed, merged…'),
};

const workScope: ApiScope = 'work_leads';
const adminScope: ApiScope = 'administer_rules';

/**
 * A rep's actions on a lead (accept, record a contact, reject, disqualify) and an admin's manual
 * assignment, each a command on the Lead; the decider's refusals answer 409 with field and reason.
 */
export function repActionsRoutes(options: {
  pool: pg.Pool;
  store: LeadStore;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { store, clock } = options;

  async function send(options: { command: RoutingLeadCommand; requestId: string }) {
    const { command } = options;
    try {
      const events = await sendLeadCommand({ store, command, correlationId: options.requestId });
      return { leadId: command.data.leadId, outcome: events.length > 0 ? 'recorded' : 'unchanged', events } as const;
    } catch (error) {
      if (error instanceof RuleViolation && (await isMissing({ store, command }))) {
        throw new HttpError({ status: 404, code: 'not_found', field: 'leadId', reason: 'no lead has this id' });
      }
      throw error;
    }
  }

  return async (app) => {
    app.post(
      '/v1/leads/:leadId/accept',
      {
        config: { scope: workScope },
        schema: {
          summary: 'Accept a lead',
          description: `The owner takes the lead on; this meets the first-response SLA. Needs the ${workScope} scope.`,
          tags: ['rep actions'],
          params,
          body: z.object({ ownerId: repId }),
          response: responses,
        },
      },
      async (request) => {
        const data = { leadId: request.params.leadId, tenantId: tenantOf(request), ownerId: request.body.ownerId };
        return send({ command: { type: 'AcceptLead', data, metadata: { now: clock() } }, requestId: request.id });
      },
    );

    app.post(
      '/v1/leads/:leadId/contact',
      {
        config: { scope: workScope },
        schema: {
          summary: 'Record a contact with a lead',
          description: `The owner reached the person; the first contact meets the first-response SLA. Needs the ${workScope} scope.`,
          tags: ['rep actions'],
          params,
          body: z.object({
            ownerId: repId,
            method: z.enum(leadContactMethods),
            note: storableString().min(1).max(2000).optional(),
          }),
          response: responses,
        },
      },
      async (request) => {
        const { ownerId, method, note } = request.body;
        const data = {
          leadId: request.params.leadId,
          tenantId: tenantOf(request),
          ownerId,
          method,
          ...(note === undefined ? {} : { note }),
        };
        return send({ command: { type: 'RecordContact', data, metadata: { now: clock() } }, requestId: request.id });
      },
    );

    app.post(
      '/v1/leads/:leadId/reject',
      {
        config: { scope: workScope },
        schema: {
          summary: 'Reject a lead',
          description: `The owner hands the lead back with a reason; routing assigns it to another rep. Needs the ${workScope} scope.`,
          tags: ['rep actions'],
          params,
          body: z.object({ ownerId: repId, reason: storableString().trim().min(1).max(500) }),
          response: responses,
        },
      },
      async (request) => {
        const data = { leadId: request.params.leadId, tenantId: tenantOf(request), ...request.body };
        return send({ command: { type: 'RejectLead', data, metadata: { now: clock() } }, requestId: request.id });
      },
    );

    app.post(
      '/v1/leads/:leadId/disqualify',
      {
        config: { scope: workScope },
        schema: {
          summary: 'Disqualify a lead',
          description: `Ends a lead that will not be worked, with a reason. Needs the ${workScope} scope.`,
          tags: ['rep actions'],
          params,
          body: z.object({ by: repId, reason: storableString().trim().min(1).max(500) }),
          response: responses,
        },
      },
      async (request) => {
        const data = { leadId: request.params.leadId, tenantId: tenantOf(request), ...request.body };
        return send({ command: { type: 'DisqualifyLead', data, metadata: { now: clock() } }, requestId: request.id });
      },
    );

    app.post(
      '/v1/leads/:leadId/assign',
      {
        config: { scope: adminScope },
        schema: {
          summary: 'Assign a lead by hand',
          description: `Gives the lead to a rep of the tenant (reassigning an owned one), with the first-response SLA of the rule the lead matches. Needs the ${adminScope} scope.`,
          tags: ['rep actions'],
          params,
          body: z.object({ ownerId: repId, poolId: poolSchema.shape.id }),
          response: responses,
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const { leadId } = request.params;
        const { ownerId, poolId } = request.body;
        const routing = await readTenantRouting(options.pool, tenantId);
        if (!routing.reps.some((rep) => rep.id === ownerId)) {
          throw new HttpError({
            status: 400,
            code: 'validation_failed',
            field: 'ownerId',
            reason: `no rep "${ownerId}" exists`,
          });
        }
        const pool = routing.pools.find((candidate) => candidate.id === poolId);
        if (pool === undefined) {
          throw new HttpError({
            status: 400,
            code: 'validation_failed',
            field: 'poolId',
            reason: `no pool "${poolId}" exists`,
          });
        }
        const now = clock();
        const responseDueAt = await manualResponseDueAt({ pool: options.pool, tenantId, leadId, routing, now });
        const data = {
          leadId,
          tenantId,
          ownerId,
          poolId,
          strategy: 'manual' as const,
          reason: 'manual' as const,
          ...(responseDueAt === undefined ? {} : { responseDueAt }),
        };
        return send({ command: { type: 'AssignLead', data, metadata: { now } }, requestId: request.id });
      },
    );
  };
}

// Another tenant's lead is answered as missing, like one that does not exist, so ids cannot be probed across tenants.
async function isMissing(options: { store: LeadStore; command: RoutingLeadCommand }): Promise<boolean> {
  const { leadId, tenantId } = options.command.data;
  const [first] = await options.store.readStream(streamIdFor('lead', leadId), { maxCount: 1 });
  return first === undefined || first.metadata.tenantId !== tenantId;
}

// The SLA of the rule the lead matches, else the tenant's default; none before the tenant has settings.
async function manualResponseDueAt(options: {
  pool: pg.Pool;
  tenantId: string;
  leadId: string;
  routing: Awaited<ReturnType<typeof readTenantRouting>>;
  now: Date;
}): Promise<string | undefined> {
  const { settings } = options.routing;
  if (settings === undefined) return undefined;
  const lead = await readRoutingLead(options.pool, { leadId: options.leadId, tenantId: options.tenantId });
  const minutes =
    matchRule(lead?.attributes ?? {}, settings.rules)?.responseSlaMinutes ?? settings.defaultResponseSlaMinutes;
  return new Date(options.now.getTime() + minutes * 60_000).toISOString();
}
