import type pg from 'pg';
import { z } from 'zod';
import { leadScoredV1Schema } from '@l2o/contracts';
import { errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { scoreLead } from '../model/index.ts';
import { toScoreCommand } from '../score-lead/score-command.ts';
import { loadTenantScoring } from '../score-lead/tenant-scoring.ts';
import { findScoringLead } from '../scoring-leads/scoring-lead.repository.ts';

const params = z.object({ leadId: z.uuid() });

const leadScoreResponse = leadScoredV1Schema
  .pick({
    leadId: true,
    scoredAt: true,
    score: true,
    grade: true,
    components: true,
    breakdown: true,
    ruleSetVersion: true,
  })
  .extend({
    mqlThreshold: z.number().describe("The tenant's MQL threshold; a lead reaching it is qualified."),
    lastRecordedScore: z
      .int()
      .optional()
      .describe('The score last recorded on the lead (LeadScored), when there is one.'),
  });

const scope: ApiScope = 'read_reports';

/** `GET /v1/scoring/leads/{leadId}`: a lead's score computed now, with what made it. */
export function leadScoreRoutes(options: { pool: pg.Pool; clock: () => Date }): FastifyPluginAsyncZod {
  const { pool, clock } = options;
  return async (app) => {
    app.get(
      '/v1/scoring/leads/:leadId',
      {
        config: { scope },
        schema: {
          summary: "Explain a lead's score",
          description:
            'Scores the lead now with the current rule set and model, without recording anything: the score, grade, ' +
            `each component and the rules, activities and model evidence behind them. Needs the ${scope} scope.`,
          tags: ['scoring'],
          params,
          response: {
            200: leadScoreResponse,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema.describe(
              'Scoring knows no such lead of the tenant, or it was merged into another.',
            ),
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const { leadId } = request.params;
        const lead = await findScoringLead(pool, { tenantId, leadId });
        if (lead === undefined) {
          throw new HttpError({ status: 404, code: 'not_found', field: 'leadId', reason: `no lead ${leadId}` });
        }
        if (lead.mergedInto !== undefined) {
          throw new HttpError({
            status: 404,
            code: 'not_found',
            field: 'leadId',
            reason: `lead ${leadId} was merged into lead ${lead.mergedInto}`,
          });
        }
        const scoring = await loadTenantScoring(pool, tenantId);
        const now = clock();
        const score = scoreLead({ input: lead.input, ruleSet: scoring.ruleSet.ruleSet, model: scoring.model, now });
        const { data } = toScoreCommand({ leadId, tenantId, score, ruleSet: scoring.ruleSet, trigger: 'decay', now });
        return {
          leadId,
          scoredAt: now.toISOString(),
          score: data.score,
          grade: data.grade,
          components: data.components,
          breakdown: data.breakdown,
          ruleSetVersion: data.ruleSetVersion,
          mqlThreshold: data.mql.threshold,
          ...(lead.last === undefined ? {} : { lastRecordedScore: lead.last.score }),
        };
      },
    );
  };
}
