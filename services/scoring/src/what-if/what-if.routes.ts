import type pg from 'pg';
import { z } from 'zod';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { compareRuleSets, scoringRuleSetSchema } from '../model/index.ts';
import { loadTenantScoring } from '../score-lead/tenant-scoring.ts';
import { whatIfSample } from './what-if-sample.repository.ts';

const whatIfBody = z.object({
  ruleSet: scoringRuleSetSchema.describe('The candidate rule set, as it would be saved with PUT /v1/scoring/rules.'),
  sampleSize: z
    .int()
    .min(1)
    .max(10_000)
    .default(1_000)
    .describe("How many of the tenant's most recently captured leads to replay."),
});

const mqlSummary = z.object({
  mql: z.int().describe('Leads of the sample that would have been MQLs.'),
  wonAmongMql: z.int(),
  lostAmongMql: z.int(),
  conversionRate: z.number().nullable().describe('won / (won + lost) among the MQLs; null when none of them closed.'),
});

const whatIfResponse = z.object({
  sampleSize: z.int().describe('Leads replayed; fewer than asked when the tenant has fewer.'),
  currentRuleSetVersion: z.int(),
  current: mqlSummary,
  candidate: mqlSummary,
  newlyQualified: z.int().describe('Leads the candidate qualifies and the current rule set does not.'),
  noLongerQualified: z.int().describe('Leads the current rule set qualifies and the candidate does not.'),
  wonLeadsMissedByCandidate: z.int(),
  wonLeadsGainedByCandidate: z.int(),
});

const scope: ApiScope = 'read_reports';

/** `POST /v1/scoring/what-if`: how a candidate rule set would have qualified the tenant's recent leads. */
export function whatIfRoutes(options: { pool: pg.Pool }): FastifyPluginAsyncZod {
  const { pool } = options;
  return async (app) => {
    app.post(
      '/v1/scoring/what-if',
      {
        config: { scope },
        schema: {
          summary: 'Compare a candidate rule set with the current one',
          description:
            "Replays the tenant's most recent leads (each as of its last activity, with the current predictive model) " +
            'through the current and the candidate rule set, and reports how MQL counts and conversion among MQLs ' +
            `would have differed. Nothing is stored. Needs the ${scope} scope.`,
          tags: ['scoring'],
          body: whatIfBody,
          response: {
            200: whatIfResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const [scoring, sample] = await Promise.all([
          loadTenantScoring(pool, tenantId),
          whatIfSample(pool, { tenantId, size: request.body.sampleSize }),
        ]);
        const comparison = compareRuleSets({
          sample,
          current: scoring.ruleSet.ruleSet,
          candidate: request.body.ruleSet,
          model: scoring.model,
        });
        return { sampleSize: sample.length, currentRuleSetVersion: scoring.ruleSet.version, ...comparison };
      },
    );
  };
}
