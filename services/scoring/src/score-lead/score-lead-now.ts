import type { LeadScoringTrigger } from '@l2o/contracts';
import type { ScoreLead } from '@l2o/domain';
import { scoreLead } from '../model/index.ts';
import type { LastScore, ScoringLeadRecord } from '../scoring-leads/scoring-lead.repository.ts';
import { isUnchanged, lastScoreOf, nextRescoreAt, toScoreCommand } from './score-command.ts';
import type { TenantScoring } from './tenant-scoring.ts';

/** A lead scored now: the score to record, when to score it again, and the command that sends it. */
export type LeadScoreNow = {
  command: ScoreLead;
  last: LastScore;
  nextRescoreAt: Date | null;
  /**
   * The same score, grade and rule set version as the last one sent: nothing the Lead would record, so
   * it is not sent, and hourly decay rescores cost no event-store read while nothing moves.
   */
  unchanged: boolean;
};

/** Scores a lead at `now` with its tenant's scoring. Pure. */
export function scoreLeadNow(options: {
  lead: Pick<ScoringLeadRecord, 'leadId' | 'tenantId' | 'input' | 'last'>;
  scoring: TenantScoring;
  trigger: LeadScoringTrigger;
  now: Date;
  rescoreIntervalMs: number;
}): LeadScoreNow {
  const { lead, scoring, trigger, now } = options;
  const score = scoreLead({ input: lead.input, ruleSet: scoring.ruleSet.ruleSet, model: scoring.model, now });
  const command = toScoreCommand({
    leadId: lead.leadId,
    tenantId: lead.tenantId,
    score,
    ruleSet: scoring.ruleSet,
    trigger,
    now,
  });
  const last = lastScoreOf(command);
  return {
    command,
    last,
    nextRescoreAt: nextRescoreAt({ score, now, intervalMs: options.rescoreIntervalMs }),
    unchanged: isUnchanged(lead.last, last),
  };
}
