import type { LeadChannel } from '@l2o/contracts';
import type { FieldError, MatchRule } from '../normalize/index.ts';

/** One lead submission from any channel, before validation (see docs/design/ingestion.md). */
export type CaptureInput = {
  tenantId: string;
  /** The body of `POST /v1/leads` (or a mapped CSV row, or an intake event's data); validated by `capture`. */
  submission: unknown;
  /** The channel when the submission does not name one. */
  defaultChannel: LeadChannel;
  /** Makes the capture idempotent: Idempotency-Key, intake event id, row hash, or `source:externalId`. */
  captureId?: string;
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
};

/** What became of one submission. */
export type CaptureResult =
  | { status: 'accepted'; leadId: string }
  | { status: 'merged'; leadId: string; matchedBy: MatchRule }
  | { status: 'duplicate'; leadId: string }
  | {
      status: 'rejected';
      errors: FieldError[];
      /** `validation_failed`: the submission itself is wrong; `rule_violation`: the Lead refused it. */
      code?: 'validation_failed' | 'rule_violation';
    };

/** The one pipeline every channel hands its submissions to: validate, normalize, match, decide, append. */
export type LeadCapturer = {
  capture(input: CaptureInput): Promise<CaptureResult>;
};
