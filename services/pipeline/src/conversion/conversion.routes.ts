import { z } from 'zod';
import { calendarDateSchema, currencySchema, moneyAmountSchema, storableString, streamIdFor } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { QualifySalesLead } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import { currentTraceparent, errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { pipelineMetadata } from '../aggregates/event-metadata.ts';
import { tenantLead } from '../aggregates/lead-history.ts';
import type { PipelineSettingsRepository } from '../settings/pipeline-settings.repository.ts';
import { convertLead } from './convert-lead.ts';

const scope: ApiScope = 'work_leads';

const params = z.object({ leadId: z.uuid() });
const repId = storableString().trim().min(1).max(64);

const salesQualifyBody = z
  .object({
    by: repId.describe('The rep who qualifies; must own the lead.'),
    notes: storableString().trim().min(1).max(2000).optional(),
  })
  .meta({ examples: [{ by: 'rep-ines', notes: 'Budget confirmed for Q3, CFO involved' }] });

const convertBody = z
  .object({
    by: repId.describe('The rep who converts; must own the lead, and owns the opportunity.'),
    name: storableString()
      .trim()
      .min(1)
      .max(300)
      .optional()
      .describe("Default: the company's name, else the person's."),
    amount: moneyAmountSchema,
    currency: currencySchema,
    expectedCloseDate: calendarDateSchema,
    pipelineId: storableString()
      .min(1)
      .max(64)
      .optional()
      .describe("One of the tenant's pipelines; default its default one."),
  })
  .meta({
    examples: [{ by: 'rep-ines', amount: 48000, currency: 'EUR', expectedCloseDate: '2025-06-30' }],
  });

const conversionResponse = z.object({
  leadId: z.uuid(),
  opportunityId: z.uuid().describe('Derived from the lead id: the same for every conversion of the lead.'),
  status: z.enum(['converted', 'already_converted']),
});

const errorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema.describe('The tenant has no such lead.'),
  409: errorResponseSchema.describe('A rule refused it (rule_violation with the field): not the owner, not SQL…'),
};

/** `POST /v1/leads/{leadId}/sales-qualify` and `/convert`: a rep turns their lead into an opportunity. */
export function conversionRoutes(options: {
  store: Pick<EventStore, 'readStream' | 'appendToStream' | 'appendToStreams'>;
  settings: PipelineSettingsRepository;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { store, settings, clock } = options;
  return async (app) => {
    app.post(
      '/v1/leads/:leadId/sales-qualify',
      {
        config: { scope },
        schema: {
          summary: 'Qualify a lead as sales-qualified (SQL)',
          description: `The owner judges the lead ready for conversion (LeadSalesQualified). Needs the ${scope} scope.`,
          tags: ['conversion'],
          params,
          body: salesQualifyBody,
          response: {
            200: z.object({ leadId: z.uuid(), status: z.enum(['sales_qualified', 'already_sales_qualified']) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const { leadId } = request.params;
        const { by, notes } = request.body;
        const command: QualifySalesLead = {
          type: 'QualifySalesLead',
          data: { leadId, tenantId, by, ...(notes === undefined ? {} : { notes }) },
          metadata: { now: clock() },
        };
        const { events } = await handleCommand({
          store,
          streamId: streamIdFor('lead', leadId),
          decider: {
            ...leadDecider,
            decide: (qualify: QualifySalesLead, lead) => leadDecider.decide(qualify, tenantLead(lead, tenantId)),
          },
          command,
          metadata: pipelineMetadata({ tenantId, correlationId: request.id, traceparent: currentTraceparent() }),
        });
        const status = events.length > 0 ? 'sales_qualified' : 'already_sales_qualified';
        return { leadId, status } as const;
      },
    );

    app.post(
      '/v1/leads/:leadId/convert',
      {
        config: { scope },
        schema: {
          summary: 'Convert a lead into an opportunity',
          description:
            'Appends LeadConverted on the lead and OpportunityOpened on the opportunity in one transaction; the opportunity id is derived from the lead, so a repeated conversion opens nothing new (200). ' +
            `Needs the ${scope} scope.`,
          tags: ['conversion'],
          params,
          body: convertBody,
          response: {
            200: conversionResponse.describe('The lead was already converted; nothing changed.'),
            201: conversionResponse.describe('The opportunity was opened.'),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        const { leadId } = request.params;
        const { pipelineId, ...terms } = request.body;
        const outcome = await convertLead({
          store,
          tenantId,
          leadId,
          terms,
          pipelineId,
          settings: await settings.get(tenantId),
          now: clock(),
          metadata: pipelineMetadata({ tenantId, correlationId: request.id, traceparent: currentTraceparent() }),
        });
        return reply.code(outcome.status === 'converted' ? 201 : 200).send({ leadId, ...outcome });
      },
    );
  };
}
