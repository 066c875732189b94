import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { leadCapturedV1Schema, leadChannels, streamIdFor } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { CaptureLead } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { EventMetadata, EventStore } from '@l2o/event-store';
import { currentTraceparent, errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';

// Fields that keep the event's shape are taken from the contract, so a request accepted here is a valid event.
const { company, consent, touchpoint, externalIds, customFields } = leadCapturedV1Schema.shape;
const { phone } = leadCapturedV1Schema.shape.contact.shape;

const trimmedText = (max: number) => z.string().trim().min(1).max(max);

const captureLeadExample = {
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  jobTitle: 'Head of Analytics',
  company: { name: 'Analytical Engines Ltd', domain: 'example.com', country: 'GB' },
  consent: { marketing: true, optedOut: false },
  touchpoint: { channel: 'web_form', source: 'website', campaign: 'spring-webinar' },
};

export const captureLeadBody = z
  .object({
    email: z.string().trim().toLowerCase().check(z.email()).max(254).describe('Trimmed and lower-cased.').optional(),
    phone,
    firstName: trimmedText(200).optional(),
    lastName: trimmedText(200).optional(),
    jobTitle: trimmedText(200).optional(),
    company: company.optional(),
    consent,
    touchpoint: touchpoint
      .extend({
        channel: z.enum(leadChannels).default('api'),
        occurredAt: touchpoint.shape.occurredAt.optional().describe('When the person interacted; default: now.'),
      })
      .optional(),
    externalId: externalIds
      .unwrap()
      .element.describe('The id of this person in the system the lead comes from.')
      .optional(),
    customFields,
  })
  .refine((body) => body.email !== undefined || body.phone !== undefined, {
    message: 'an email or a phone is required',
    path: ['email'],
  })
  .meta({ description: 'A lead; at least one of email or phone.', examples: [captureLeadExample] });

type CaptureLeadBody = z.output<typeof captureLeadBody>;

const capturedResponse = z
  .object({ leadId: z.uuid(), status: z.literal('captured') })
  .meta({ examples: [{ leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b', status: 'captured' }] });

/** The CaptureLead data for a request; touchpoint time defaults to now and the channel to `api`. */
export function toCaptureLeadData(options: {
  body: CaptureLeadBody;
  tenantId: string;
  leadId: string;
  now: Date;
}): CaptureLead['data'] {
  const { body, now } = options;
  const { channel = 'api', occurredAt = now.toISOString(), ...touch } = body.touchpoint ?? {};
  return {
    leadId: options.leadId,
    tenantId: options.tenantId,
    contact: {
      email: body.email,
      phone: body.phone,
      firstName: body.firstName,
      lastName: body.lastName,
      jobTitle: body.jobTitle,
    },
    company: body.company ?? {},
    consent: body.consent,
    touchpoint: { ...touch, channel, occurredAt },
    externalIds: body.externalId === undefined ? undefined : [body.externalId],
    customFields: body.customFields,
  };
}

const scope: ApiScope = 'ingest';

/** The tenant the lead belongs to: always the API key's, never one the request names. */
/** `POST /v1/leads`: captures a new lead from the API channel for the API key's tenant. */
export function captureLeadRoutes(options: {
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/leads',
      {
        config: { scope },
        schema: {
          summary: 'Capture a lead',
          description: `For the tenant of the API key, which needs the ${scope} scope.`,
          tags: ['leads'],
          body: captureLeadBody,
          response: {
            201: capturedResponse,
            400: errorResponseSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            409: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        const leadId = randomUUID();
        const now = options.clock();
        const command: CaptureLead = {
          type: 'CaptureLead',
          data: toCaptureLeadData({ body: request.body, tenantId, leadId, now }),
          metadata: { now },
        };
        const traceparent = currentTraceparent();
        const metadata: EventMetadata = {
          tenantId,
          producer: 'ingestion',
          correlationId: request.id,
          ...(traceparent ? { traceparent } : {}),
        };
        await handleCommand({
          store: options.store,
          streamId: streamIdFor('lead', leadId),
          decider: leadDecider,
          command,
          metadata,
        });
        return reply.code(201).send({ leadId, status: 'captured' });
      },
    );
  };
}
