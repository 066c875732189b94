import { z } from 'zod';
import { currentTraceparent, errorResponseSchema, HttpError, tenantOf } from '@l2o/service-kit';
import type { ApiScope, ErrorResponse, FastifyPluginAsyncZod } from '@l2o/service-kit';
import type pg from 'pg';
import type { CaptureResult, LeadCapturer } from '../capture/lead-capturer.ts';
import { leadSubmissionSchema } from '../capture/lead-submission.schema.ts';
import { leadMatchRuleSchema } from '../settings/ingestion-settings.schema.ts';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, requestHash } from './idempotency-keys.ts';
import { formToSubmission, parseFormBody, webFormFields } from './web-form.ts';
import type { FormFields } from './web-form.ts';

const exampleLeadId = '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b';
const formContentType = 'application/x-www-form-urlencoded';

const capturedResponse = z
  .object({ leadId: z.uuid(), status: z.literal('captured') })
  .meta({ description: 'A new lead.', examples: [{ leadId: exampleLeadId, status: 'captured' }] });

const matchedResponse = z
  .object({
    leadId: z.uuid(),
    status: z.enum(['merged', 'duplicate']),
    matchedBy: leadMatchRuleSchema.optional().describe('The match rule that found the existing lead (merged only).'),
  })
  .meta({
    description:
      'merged: the person is a known lead, the capture was recorded on it as a touch. duplicate: this capture (same Idempotency-Key or source external id) was applied before; nothing new.',
    examples: [
      { leadId: exampleLeadId, status: 'merged', matchedBy: 'email' },
      { leadId: exampleLeadId, status: 'duplicate' },
    ],
  });

const rejectedExample: ErrorResponse = {
  status: 400,
  code: 'validation_failed',
  field: 'phone',
  reason: 'is too short for GB',
  errors: [{ field: 'phone', reason: 'is too short for GB' }],
};

const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe(
      'Makes a retry safe: the first response is stored and replayed (header idempotent-replayed: true) for 24 hours; the same key with another body is a 422.',
    ),
});

type CaptureResponse = { status: 200 | 201 | 400 | 409; body: unknown };

/** The HTTP answer to a capture, used by the single route and stored for Idempotency-Key replays. */
export function captureResponse(result: CaptureResult): CaptureResponse {
  switch (result.status) {
    case 'accepted':
      return { status: 201, body: { leadId: result.leadId, status: 'captured' } };
    case 'merged':
      return { status: 200, body: { leadId: result.leadId, status: 'merged', matchedBy: result.matchedBy } };
    case 'duplicate':
      return { status: 200, body: { leadId: result.leadId, status: 'duplicate' } };
    case 'rejected': {
      const status = result.code === 'rule_violation' ? 409 : 400;
      const [first] = result.errors;
      const body: ErrorResponse = {
        status,
        code: result.code ?? 'validation_failed',
        field: first?.field ?? 'body',
        reason: first?.reason ?? 'invalid lead',
        errors: result.errors,
      };
      return { status, body };
    }
  }
}

const scope: ApiScope = 'ingest';

/**
 * `POST /v1/leads`: one lead, as JSON or as a web form post, for the API key's tenant (never one the
 * request names).
 */
export function captureLeadRoutes(options: {
  capturer: LeadCapturer;
  pool: pg.Pool;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { capturer, pool, clock } = options;
  return async (app) => {
    app.addContentTypeParser(formContentType, { parseAs: 'string' }, (_request, body, done) => {
      done(null, parseFormBody(String(body)));
    });

    app.post(
      '/v1/leads',
      {
        config: { scope },
        // A form post's flat fields become the submission before it is validated like a JSON body.
        preValidation: async (request) => {
          if (!request.headers['content-type']?.startsWith(formContentType)) return;
          const referer = request.headers.referer;
          request.body = formToSubmission({
            fields: request.body as FormFields,
            refererHeader: referer,
          }) as typeof request.body;
        },
        schema: {
          summary: 'Capture a lead',
          description: [
            `For the tenant of the API key, which needs the ${scope} scope.`,
            'The lead is normalized, then matched to an existing lead by the tenant’s match rules (email, phone, source and external id, company domain and name):',
            'a new person answers 201 captured; a known one 200 merged (a touch is recorded and empty profile fields are filled); a repeated capture 200 duplicate.',
            `Web forms may post \`${formContentType}\` with flat fields (channel web_form): ${webFormFields.join('; ')}.`,
            'Example: `email=ada%40example.com&first_name=Ada&utm_source=google&utm_campaign=spring`.',
          ].join(' '),
          tags: ['leads'],
          headers: idempotencyHeaders,
          body: leadSubmissionSchema,
          response: {
            201: capturedResponse,
            200: matchedResponse,
            400: errorResponseSchema.meta({ examples: [rejectedExample] }),
            401: errorResponseSchema,
            403: errorResponseSchema,
            409: errorResponseSchema.describe(
              'The Lead refused the capture (rule_violation, with the field), or a request with the same Idempotency-Key is still running (retry later).',
            ),
            422: errorResponseSchema.describe('The Idempotency-Key was used before for another body.'),
          },
        },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        const key = request.headers['idempotency-key'];
        const capture = async () => {
          const traceparent = currentTraceparent();
          const result = await capturer.capture({
            tenantId,
            submission: request.body,
            defaultChannel: 'api',
            ...(key === undefined ? {} : { captureId: `idempotency-key:${key}` }),
            correlationId: request.id,
            ...(traceparent ? { traceparent } : {}),
          });
          return captureResponse(result);
        };

        if (key === undefined) {
          const { status, body } = await capture();
          return reply.code(status).send(body as never);
        }

        const claim = await claimIdempotencyKey({ pool, tenantId, key, hash: requestHash(request.body), now: clock() });
        switch (claim.outcome) {
          case 'replay':
            return reply
              .code(claim.status as CaptureResponse['status'])
              .header('idempotent-replayed', 'true')
              .send(claim.body as never);
          case 'mismatch':
            throw new HttpError({
              status: 422,
              code: 'conflict',
              field: 'Idempotency-Key',
              reason: 'was already used for a request with another body; use a new key for a new lead',
            });
          case 'in_progress':
            void reply.header('retry-after', '1');
            throw new HttpError({
              status: 409,
              code: 'conflict',
              field: 'Idempotency-Key',
              reason: 'a request with this key is still in progress; retry later',
            });
          case 'proceed':
            break;
        }
        let response: CaptureResponse;
        try {
          response = await capture();
        } catch (error) {
          await releaseIdempotencyKey({ pool, tenantId, key }).catch(() => undefined);
          throw error;
        }
        await completeIdempotencyKey({ pool, tenantId, key, ...response, now: clock() });
        return reply.code(response.status).send(response.body as never);
      },
    );
  };
}
