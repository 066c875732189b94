import { RuleViolation } from '../rule-violation.ts';

/**
 * The command names a lead that was merged into another: the caller should send it to
 * `survivorLeadId` instead. A `RuleViolation` (same `name`), so a caller that does not follow the
 * pointer still answers 409; tell it apart with `instanceof LeadMergedError`.
 */
export class LeadMergedError extends RuleViolation {
  /** The lead the command named, which no longer takes commands. */
  readonly mergedLeadId: string;
  /** The lead it was merged into. */
  readonly survivorLeadId: string;

  constructor(options: { mergedLeadId: string; survivorLeadId: string; field?: string }) {
    super(`lead ${options.mergedLeadId} was merged into lead ${options.survivorLeadId}`, {
      field: options.field ?? 'leadId',
    });
    this.mergedLeadId = options.mergedLeadId;
    this.survivorLeadId = options.survivorLeadId;
  }
}
