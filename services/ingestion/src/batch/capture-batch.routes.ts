import { z } from 'zod';
import { storableString } from '@l2o/contracts';
import { currentTraceparent, errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import type { BulkLeadCapturer } from '../capture/create-lead-capturer.ts';
import type { CaptureInput, CaptureResult } from '../capture/lead-capturer.ts';
import { leadSubmissionSchema } from '../capture/lead-submission.schema.ts';
import { leadMatchRuleSchema } from '../settings/ingestion-settings.schema.ts';

export const maxBatchItems = 1000;

const idempotencyKeySchema = storableString().trim().min(1).max(128);

const { $schema: _, ...itemJsonSchema } = z.toJSONSchema(leadSubmissionSchema, { io: 'input', unrepresentable: 'any' });
const documentedItem = {
  ...itemJsonSchema,
  properties: {
    ...(itemJsonSchema.properties ?? {}),
    idempotencyKey: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'Makes a retried item a duplicate (as does externalId): the item is applied once.',
    },
  },
};

const exampleLeadId = '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b';

// Items are only required to be present here: each is validated on its own, so one bad item is its
// own `rejected` result and never a 400 for the batch.
const batchBody = z
  .object({
    items: z
      .array(z.unknown().meta(documentedItem))
      .min(1)
      .max(maxBatchItems)
      .describe(`1 to ${maxBatchItems} leads, each as the body of POST /v1/leads plus an optional idempotencyKey.`),
  })
  .meta({
    examples: [
      {
        items: [
          { email: 'ada@example.com', firstName: 'Ada', touchpoint: { source: 'webinar' } },
          { email: 'grace@example.org', externalId: { source: 'hubspot', id: '51235' } },
          { phone: 'not a phone' },
        ],
      },
    ],
  });

const itemResult = z.object({
  index: z.int().nonnegative().describe('Position of the item in the request.'),
  status: z.enum(['accepted', 'merged', 'duplicate', 'rejected']),
  leadId: z.uuid().optional(),
  matchedBy: leadMatchRuleSchema.optional(),
  errors: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
});

const batchResponse = z
  .object({
    results: z.array(itemResult),
    counts: z.object({
      accepted: z.int().nonnegative(),
      merged: z.int().nonnegative(),
      duplicate: z.int().nonnegative(),
      rejected: z.int().nonnegative(),
    }),
  })
  .meta({
    examples: [
      {
        results: [
          { index: 0, status: 'accepted', leadId: exampleLeadId },
          { index: 1, status: 'merged', leadId: '5e2a7c1d-9b3f-4a6e-8d0c-2f1e3d4c5b6a', matchedBy: 'external_id' },
          { index: 2, status: 'rejected', errors: [{ field: 'phone', reason: 'is not a phone number' }] },
        ],
        counts: { accepted: 1, merged: 1, duplicate: 0, rejected: 1 },
      },
    ],
  });

type ItemResult = z.output<typeof itemResult>;

const scope: ApiScope = 'ingest';

/** `POST /v1/leads/batch`: up to 1,000 leads, a result per item. */
export function captureBatchRoutes(options: { capturer: BulkLeadCapturer }): FastifyPluginAsyncZod {
  const { capturer } = options;
  return async (app) => {
    app.post(
      '/v1/leads/batch',
      {
        config: { scope },
        // 1,000 leads with custom fields outgrow Fastify's 1 MiB default.
        bodyLimit: 16 * 1024 * 1024,
        schema: {
          summary: 'Capture up to 1,000 leads',
          description: `Each item is captured as by POST /v1/leads and gets its own result (accepted, merged, duplicate, or rejected with the field and reason); one bad item never rejects the rest. Needs the ${scope} scope.`,
          tags: ['leads'],
          body: batchBody,
          response: {
            200: batchResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            409: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const traceparent = currentTraceparent();
        const results = new Array<ItemResult>(request.body.items.length);
        const inputs: Array<{ index: number; input: CaptureInput }> = [];
        for (const [index, item] of request.body.items.entries()) {
          const key = idempotencyKeyOf(item);
          if (!key.ok) {
            results[index] = toItemResult(index, { status: 'rejected', errors: [key.error] });
            continue;
          }
          inputs.push({
            index,
            input: {
              tenantId,
              submission: item,
              defaultChannel: 'api',
              ...(key.value === undefined ? {} : { captureId: `idempotency-key:${key.value}` }),
              correlationId: request.id,
              ...(traceparent ? { traceparent } : {}),
            },
          });
        }
        const captured = await capturer.captureMany(inputs.map(({ input }) => input));
        inputs.forEach(({ index }, position) => {
          results[index] = toItemResult(index, captured[position] as CaptureResult);
        });
        const counts = { accepted: 0, merged: 0, duplicate: 0, rejected: 0 };
        for (const result of results) counts[result.status] += 1;
        return { results, counts };
      },
    );
  };
}

function idempotencyKeyOf(
  item: unknown,
): { ok: true; value?: string } | { ok: false; error: { field: string; reason: string } } {
  if (typeof item !== 'object' || item === null || !('idempotencyKey' in item)) return { ok: true };
  const parsed = idempotencyKeySchema.safeParse(item.idempotencyKey);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: { field: 'idempotencyKey', reason: parsed.error.issues[0]?.message ?? 'invalid' } };
}

function toItemResult(index: number, result: CaptureResult): ItemResult {
  switch (result.status) {
    case 'accepted':
    case 'duplicate':
      return { index, status: result.status, leadId: result.leadId };
    case 'merged':
      return { index, status: 'merged', leadId: result.leadId, matchedBy: result.matchedBy };
    case 'rejected':
      return { index, status: 'rejected', errors: result.errors };
  }
}
