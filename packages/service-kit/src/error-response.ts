import { fieldErrorOf } from './field-error.ts';
import type { ErrorCode, ErrorResponse } from './http-error.ts';
import { HttpError } from './http-error.ts';

type ValidationIssue = { keyword?: unknown; instancePath?: unknown; message?: unknown; params?: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `/contact/email` → `contact.email`; the whole body (or query…) is named after its part of the request. */
function fieldErrorOfValidation(issue: ValidationIssue, context: string) {
  const { instancePath, params } = issue;
  const path = typeof instancePath === 'string' ? instancePath.split('/').filter((segment) => segment !== '') : [];
  return fieldErrorOf(
    {
      code: issue.keyword,
      path,
      message: typeof issue.message === 'string' ? issue.message : 'invalid value',
      issues: isRecord(params) ? params.issues : undefined,
      errors: isRecord(params) ? params.errors : undefined,
    },
    context,
  );
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'too_many_requests';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'bad_request';
  }
}

/** Reasons for Fastify's own refusals where its message would mislead or leave the client guessing. */
const fastifyReasons: Record<string, string> = {
  // Fastify answers a __proto__ or constructor.prototype key (refused against prototype poisoning) the same way.
  FST_ERR_CTP_INVALID_JSON_BODY:
    'the body is not valid JSON, or it has a __proto__ or constructor.prototype key, which is refused; fix the JSON or rename the key',
};

/**
 * Maps anything a route can throw to the common error body. Errors are recognised by shape and
 * `name`, not by class, so the kit needs neither the domain nor the event store package.
 * Unknown errors become a 500 whose reason says nothing about the cause.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  const fields = isRecord(error) ? error : {};
  const message = typeof fields.message === 'string' ? fields.message : '';

  if (Array.isArray(fields.validation) && fields.validation.length > 0) {
    const context = typeof fields.validationContext === 'string' ? fields.validationContext : 'body';
    const errors = (fields.validation as ValidationIssue[]).map((issue) => fieldErrorOfValidation(issue, context));
    const [first] = errors as [(typeof errors)[number]];
    return { status: 400, code: 'validation_failed', field: first.field, reason: first.reason, errors };
  }
  if (error instanceof HttpError) {
    return {
      status: error.status,
      code: error.code,
      reason: error.message,
      ...(error.field ? { field: error.field } : {}),
    };
  }
  if (fields.name === 'RuleViolation') {
    const field = typeof fields.field === 'string' ? { field: fields.field } : {};
    return { status: 409, code: 'rule_violation', reason: message, ...field };
  }
  if (fields.name === 'ConcurrencyError') {
    return {
      status: 409,
      code: 'concurrency_conflict',
      reason: 'the resource changed while the request ran; retry it',
    };
  }
  // Fastify and its plugins mark client errors (bad JSON, wrong media type, body too large) with a 4xx statusCode.
  const status = fields.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const clearer = typeof fields.code === 'string' ? fastifyReasons[fields.code] : undefined;
    return { status, code: codeForStatus(status), reason: clearer ?? (message || 'bad request') };
  }
  return { status: 500, code: 'internal_error', reason: 'internal error' };
}
