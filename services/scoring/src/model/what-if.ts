import { scoreLead } from './combined-score.ts';
import type { NaiveBayesModel } from './naive-bayes.ts';
import type { ScoringRuleSet } from './rule-set.schema.ts';
import type { ScoringInput } from './scoring-input.ts';

/** A past lead to replay: what it looked like when it was scored, and how it ended. */
export type WhatIfLead = { input: ScoringInput; outcome: 'won' | 'lost' | 'open'; scoredAt: Date };

/** How a rule set qualifies a sample; `conversionRate` is won / closed among MQLs, `null` when none closed. */
export type MqlSummary = { mql: number; wonAmongMql: number; lostAmongMql: number; conversionRate: number | null };

/** A candidate rule set against the current one on the same sample. */
export type RuleSetComparison = {
  current: MqlSummary;
  candidate: MqlSummary;
  /** Leads the candidate qualifies and the current set does not. */
  newlyQualified: number;
  /** Leads the current set qualifies and the candidate does not. */
  noLongerQualified: number;
  wonLeadsMissedByCandidate: number;
  wonLeadsGainedByCandidate: number;
};

function summarize(sample: readonly WhatIfLead[], qualified: readonly boolean[]): MqlSummary {
  const mqls = sample.filter((_, index) => qualified[index]);
  const wonAmongMql = mqls.filter((lead) => lead.outcome === 'won').length;
  const lostAmongMql = mqls.filter((lead) => lead.outcome === 'lost').length;
  const closed = wonAmongMql + lostAmongMql;
  return { mql: mqls.length, wonAmongMql, lostAmongMql, conversionRate: closed === 0 ? null : wonAmongMql / closed };
}

/**
 * Replays a sample of past leads through the current and a candidate rule set, each lead scored
 * as of `scoredAt` and an MQL when it reaches the set's threshold, and reports how qualification
 * and conversion would have differed. A model trained on the same leads flatters both sets
 * equally; pass one trained on other leads to judge the predictive part itself.
 */
export function compareRuleSets(options: {
  sample: readonly WhatIfLead[];
  current: ScoringRuleSet;
  candidate: ScoringRuleSet;
  model?: NaiveBayesModel | undefined;
}): RuleSetComparison {
  const { sample, current, candidate, model } = options;
  const qualifiedBy = (ruleSet: ScoringRuleSet) =>
    sample.map(
      (lead) => scoreLead({ input: lead.input, ruleSet, model, now: lead.scoredAt }).score >= ruleSet.mql.threshold,
    );
  const byCurrent = qualifiedBy(current);
  const byCandidate = qualifiedBy(candidate);
  const count = (keep: (lead: WhatIfLead, index: number) => boolean) => sample.filter(keep).length;
  const gained = (lead: WhatIfLead, index: number) => byCandidate[index] === true && byCurrent[index] === false;
  const lost = (lead: WhatIfLead, index: number) => byCurrent[index] === true && byCandidate[index] === false;
  return {
    current: summarize(sample, byCurrent),
    candidate: summarize(sample, byCandidate),
    newlyQualified: count(gained),
    noLongerQualified: count(lost),
    wonLeadsMissedByCandidate: count((lead, index) => lead.outcome === 'won' && lost(lead, index)),
    wonLeadsGainedByCandidate: count((lead, index) => lead.outcome === 'won' && gained(lead, index)),
  };
}
