import type { LeadScalar, OpportunityFields, OpportunityStage, StageDirection } from '@l2o/contracts';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Forward when the target stage sits later in the pipeline. A tie (a stage moved by a pipeline
 * edit) counts as forward, so exit criteria still guard it.
 */
export function stageDirection(from: OpportunityStage, to: OpportunityStage): StageDirection {
  return to.position < from.position ? 'backward' : 'forward';
}

/** A field meets an exit criterion when it holds a value: not missing, null, false or blank. Zero is a value. */
function isSet(value: LeadScalar | undefined): boolean {
  if (value === undefined || value === null || value === false) return false;
  return typeof value !== 'string' || value.trim() !== '';
}

/** The exit criteria fields not set yet, in the order the pipeline lists them, each once. */
export function unmetExitCriteria(fields: OpportunityFields, exitCriteria: readonly string[]): string[] {
  // Own properties only: a criterion named like an Object method must not count as set.
  return [...new Set(exitCriteria)].filter((name) => !isSet(Object.hasOwn(fields, name) ? fields[name] : undefined));
}

/** When a stage entry outstays an SLA of `slaDays` days. */
export function stallDueAt(enteredStageAt: string, slaDays: number): Date {
  return new Date(Date.parse(enteredStageAt) + slaDays * dayMs);
}
