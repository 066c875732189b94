import { z } from 'zod';

/** Machine-readable error codes; `reason` carries the human-readable text. */
export const errorCodes = [
  'validation_failed',
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'rule_violation',
  'concurrency_conflict',
  'payload_too_large',
  'unsupported_media_type',
  'too_many_requests',
  'not_ready',
  'service_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The one error body every route answers with; use it in route `response` schemas for OpenAPI. */
export const errorResponseSchema = z
  .object({
    status: z.int().describe('The HTTP status, repeated for clients that only see the body.'),
    code: z.enum(errorCodes),
    field: z.string().optional().describe('Dotted path of the offending input field, when there is one.'),
    reason: z.string(),
    errors: z
      .array(z.object({ field: z.string(), reason: z.string() }))
      .optional()
      .describe('Every validation issue, when code is validation_failed.'),
  })
  .describe('Error');
export type ErrorResponse = z.output<typeof errorResponseSchema>;

/** Throw from a route to answer with a specific status in the common error format (e.g. 404 for a missing lead). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly field?: string;

  constructor(options: { status: number; code: ErrorCode; reason: string; field?: string }) {
    super(options.reason);
    this.name = 'HttpError';
    this.status = options.status;
    this.code = options.code;
    if (options.field !== undefined) this.field = options.field;
  }
}
