import type { MqlConfig } from './rule-set.schema.ts';

/**
 * Whether a lead is a marketing-qualified lead after scoring `score`: it qualifies at the
 * threshold, and an MQL keeps the status until its score drops below `revokeBelow` (never when
 * that is `null`), so a score hovering around the threshold does not flap.
 */
export function isMqlAfter(options: { score: number; wasMql: boolean; mql: MqlConfig }): boolean {
  const { score, wasMql, mql } = options;
  if (score >= mql.threshold) return true;
  if (!wasMql) return false;
  return mql.revokeBelow === null || score >= mql.revokeBelow;
}
