import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '@l2o/pg';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { scoringRuleSetSchema } from '../model/index.ts';
import type { ScoringRuleSet } from '../model/index.ts';
import { rebuildModel } from '../outcomes/learn-outcomes.ts';
import { queueTenantRescore } from '../scoring-leads/scoring-lead.repository.ts';
import { currentRuleSet, defaultRuleSetVersion, insertNextRuleSet } from './rule-set.repository.ts';
import type { VersionedRuleSet } from './rule-set.repository.ts';

const ruleSetResponse = z.object({
  version: z.int().describe('Scores name the version they were computed with; the built-in default is version 1.'),
  isDefault: z.boolean().describe('True while the tenant has not saved a rule set of its own.'),
  createdAt: z.iso.datetime().optional(),
  ruleSet: scoringRuleSetSchema,
});

const savedResponse = ruleSetResponse.extend({
  rescoreQueued: z.int().describe('Leads queued to be scored again with the new version.'),
});

const readScope: ApiScope = 'read_reports';
const writeScope: ApiScope = 'administer_rules';
// Two saves at once compete for one version number; the loser tries again with the next.
const maxVersionRetries = 3;
const uniqueViolation = '23505';

function toResponse(current: VersionedRuleSet) {
  return {
    version: current.version,
    isDefault: current.version === defaultRuleSetVersion,
    ...(current.createdAt === undefined ? {} : { createdAt: current.createdAt.toISOString() }),
    ruleSet: current.ruleSet,
  };
}

function sameFeatures(a: ScoringRuleSet, b: ScoringRuleSet): boolean {
  return JSON.stringify(a.predictive.features) === JSON.stringify(b.predictive.features);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === uniqueViolation;
}

/** `GET` and `PUT /v1/scoring/rules`: the API key's tenant's scoring rule set, versioned. */
export function rulesRoutes(options: { pool: pg.Pool; clock: () => Date }): FastifyPluginAsyncZod {
  const { pool, clock } = options;

  async function save(tenantId: string, ruleSet: ScoringRuleSet) {
    const now = clock();
    return withTransaction(pool, async (client) => {
      const previous = await currentRuleSet(client, tenantId);
      const saved = await insertNextRuleSet(client, { tenantId, ruleSet, now });
      const rescoreQueued = await queueTenantRescore(client, { tenantId, at: now, trigger: 'rules_changed' });
      // The model counts the features it was taught; new ones are learnt again from every outcome.
      if (!sameFeatures(previous.ruleSet, ruleSet)) {
        await rebuildModel(client, { tenantId, now, features: ruleSet.predictive.features });
      }
      return { ...toResponse(saved), rescoreQueued };
    });
  }

  return async (app) => {
    app.get(
      '/v1/scoring/rules',
      {
        config: { scope: readScope },
        schema: {
          summary: 'Read the scoring rule set',
          description: `The tenant's current rule set: the built-in default (version 1) until it saves its own. Needs the ${readScope} scope.`,
          tags: ['scoring'],
          response: { 200: ruleSetResponse, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => toResponse(await currentRuleSet(pool, tenantOf(request))),
    );

    app.put(
      '/v1/scoring/rules',
      {
        config: { scope: writeScope },
        schema: {
          summary: 'Change the scoring rule set',
          description:
            'Stores the rule set as the next version and queues every lead of the tenant to be scored again with it ' +
            `(trigger rules_changed), in batches by the rescore scheduler. Needs the ${writeScope} scope.`,
          tags: ['scoring'],
          body: scoringRuleSetSchema,
          response: {
            200: savedResponse,
            400: errorResponseSchema.describe('The rule set is invalid; field and reason name the first problem.'),
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await save(tenantId, request.body);
          } catch (error) {
            if (!isUniqueViolation(error) || attempt >= maxVersionRetries) throw error;
          }
        }
      },
    );
  };
}
