import { clipText } from '@l2o/contracts';
import type { LeadScoringTrigger } from '@l2o/contracts';
import type { ScoreLead } from '@l2o/domain';
import { roundHalfUp } from '../model/index.ts';
import type { LeadScore } from '../model/index.ts';
import type { VersionedRuleSet } from '../rule-sets/rule-set.repository.ts';
import type { LastScore } from '../scoring-leads/scoring-lead.repository.ts';

// Limits of LeadScored v1: the breakdown has at most 200 lines, a label 300 characters, a rule id 100.
const maxLines = 200;
const maxLabel = 300;
const maxRuleId = 100;

function clip(text: string, max: number): string {
  return clipText(text, max, '…');
}

/**
 * The `ScoreLead` command that records `score` on the lead: components as the whole numbers the
 * event carries, the breakdown within the event's limits (the predictive line always kept), and
 * the rule set's MQL policy, which the Lead decides qualification by.
 */
export function toScoreCommand(options: {
  leadId: string;
  tenantId: string;
  score: LeadScore;
  ruleSet: VersionedRuleSet;
  trigger: LeadScoringTrigger;
  now: Date;
}): ScoreLead {
  const { leadId, tenantId, score, ruleSet, trigger, now } = options;
  const { fit, engagement, predictive } = score.components;
  const lines = score.breakdown.map((line) => ({
    part: line.part,
    ...(line.ruleId === undefined ? {} : { ruleId: clip(line.ruleId, maxRuleId) }),
    label: clip(line.label, maxLabel),
    points: line.points,
  }));
  const breakdown =
    lines.length <= maxLines
      ? lines
      : [...lines.slice(0, maxLines - 1), ...lines.filter((line) => line.part === 'predictive').slice(-1)];
  const { threshold, revokeBelow } = ruleSet.ruleSet.mql;
  return {
    type: 'ScoreLead',
    data: {
      leadId,
      tenantId,
      score: score.score,
      grade: score.grade,
      components: {
        fit: roundHalfUp(fit),
        engagement: roundHalfUp(engagement),
        predictive: predictive === null ? null : roundHalfUp(predictive),
      },
      breakdown,
      ruleSetVersion: ruleSet.version,
      trigger,
      mql: { threshold, revokeBelow },
    },
    metadata: { now },
  };
}

/** The score a command records, to compare the next scoring with. */
export function lastScoreOf(command: ScoreLead): LastScore {
  const { score, grade, ruleSetVersion } = command.data;
  return { score, grade, ruleSetVersion };
}

/**
 * Whether a scoring can be skipped: the same score and grade under the same rule set version is
 * nothing the Lead would record, and neither its qualification nor the policy it is judged by changed.
 */
export function isUnchanged(last: LastScore | undefined, next: LastScore): boolean {
  return (
    last !== undefined &&
    last.score === next.score &&
    last.grade === next.grade &&
    last.ruleSetVersion === next.ruleSetVersion
  );
}

/** When to score the lead again: after `intervalMs` while its engagement still decays, else only on a change. */
export function nextRescoreAt(options: { score: LeadScore; now: Date; intervalMs: number }): Date | null {
  return options.score.components.engagement > 0 ? new Date(options.now.getTime() + options.intervalMs) : null;
}
