/**
 * A business rule refused a command. Deciders throw it and nothing else for broken rules; the
 * service kit's error handler recognises it by `name` and answers 409 with `field` and `reason`.
 */
export class RuleViolation extends Error {
  /** Dotted path of the command field the rule is about, when there is one (`contact.email`). */
  readonly field?: string;

  constructor(reason: string, options: { field?: string } = {}) {
    super(reason);
    this.name = 'RuleViolation';
    if (options.field !== undefined) this.field = options.field;
  }
}
