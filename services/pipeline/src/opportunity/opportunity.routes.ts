import { z } from 'zod';
import {
  calendarDateSchema,
  moneyAmountSchema,
  opportunityFieldsSchema,
  storableString,
  streamIdFor,
} from '@l2o/contracts';
import type { OpportunityCommand } from '@l2o/domain';
import type { EventStore } from '@l2o/event-store';
import { currentTraceparent, errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { pipelineMetadata } from '../aggregates/event-metadata.ts';
import { foldOpportunity, tenantOpportunity } from '../aggregates/opportunity-record.ts';
import type { OpenedRecord } from '../aggregates/opportunity-record.ts';
import type { PipelineSettingsRepository } from '../settings/pipeline-settings.repository.ts';
import type { PipelineSettings } from '../settings/pipeline-settings.schema.ts';
import { loseCommand, moveStageCommand, reopenCommand } from './opportunity-commands.ts';
import { opportunityView, opportunityViewSchema } from './opportunity-view.ts';
import { sendOpportunityCommand } from './send-opportunity-command.ts';

const workScope: ApiScope = 'work_leads';
const readScope: ApiScope = 'read_reports';

const params = z.object({ id: z.uuid().describe('The opportunity id.') });
const stageId = storableString().min(1).max(64).describe("A stage id of the opportunity's pipeline.");
const reasonText = (max: number) => storableString().trim().min(1).max(max);

const errorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema.describe('The tenant has no such opportunity.'),
  409: errorResponseSchema.describe(
    'A rule refused the change (rule_violation with the field), e.g. unmet exit criteria.',
  ),
};

/** What an action's command is built from. */
type ActionInput<Body> = { body: Body; current: OpenedRecord; settings: PipelineSettings; now: Date };

/**
 * `GET /v1/opportunities/{id}` and the rep's actions on an opportunity: stage moves, details, amount,
 * close date, win, loss and reopen. Each action answers the opportunity as its stream now stands.
 */
export function opportunityRoutes(options: {
  store: Pick<EventStore, 'readStream' | 'appendToStream'>;
  settings: PipelineSettingsRepository;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { store, settings, clock } = options;
  return async (app) => {
    app.get(
      '/v1/opportunities/:id',
      {
        config: { scope: readScope },
        schema: {
          summary: 'Read an opportunity',
          description: `The opportunity as its event stream stands now. Needs the ${readScope} scope.`,
          tags: ['opportunities'],
          params,
          response: {
            200: opportunityViewSchema,
            401: errorResponseSchema,
            403: errorResponseSchema,
            404: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const past = await store.readStream(streamIdFor('opportunity', request.params.id));
        const record = tenantOpportunity(foldOpportunity(past), tenantOf(request));
        return opportunityView(record, past.at(-1)?.streamVersion ?? 0);
      },
    );

    function action<Body extends z.ZodObject>(spec: {
      path: string;
      summary: string;
      description: string;
      body: Body;
      command: (input: ActionInput<z.output<Body>>) => OpportunityCommand;
    }): void {
      app.post(
        `/v1/opportunities/:id/${spec.path}`,
        {
          config: { scope: workScope },
          schema: {
            summary: spec.summary,
            description: `${spec.description} Needs the ${workScope} scope.`,
            tags: ['opportunities'],
            params,
            body: spec.body,
            response: { 200: opportunityViewSchema, ...errorResponses },
          },
        },
        async (request) => {
          const tenantId = tenantOf(request);
          const { id } = request.params;
          // The type provider cannot resolve a generic schema; the route validated the body against it.
          const body = request.body as z.output<Body>;
          const tenantSettings = await settings.get(tenantId);
          const now = clock();
          const { record, version } = await sendOpportunityCommand({
            store,
            tenantId,
            opportunityId: id,
            metadata: pipelineMetadata({ tenantId, correlationId: request.id, traceparent: currentTraceparent() }),
            command: (current) => spec.command({ body, current, settings: tenantSettings, now }),
          });
          return opportunityView(record, version);
        },
      );
    }

    const ref = (current: OpenedRecord) => ({
      opportunityId: current.opportunity.opportunityId,
      tenantId: current.opportunity.tenantId,
    });

    action({
      path: 'stage',
      summary: 'Move to another stage',
      description:
        'Moves the opportunity forward or back in its pipeline. A move forward needs the exit criteria of every stage it leaves set (409 naming fields.<name> otherwise).',
      body: z.object({ stageId, by: storableString().min(1).max(64).describe('The user who moves it.') }),
      command: ({ body, current, settings: tenantSettings, now }) =>
        moveStageCommand({ current, settings: tenantSettings, stageId: body.stageId, by: body.by, now }),
    });
    action({
      path: 'details',
      summary: 'Set fields',
      description: 'Sets tenant-defined fields (e.g. budgetConfirmed: true); null clears one, others keep theirs.',
      body: z.object({
        fields: opportunityFieldsSchema.refine((fields) => Object.keys(fields).length > 0, {
          message: 'at least one field is required',
        }),
      }),
      command: ({ body, current, now }) => ({
        type: 'UpdateDetails',
        data: { ...ref(current), fields: body.fields },
        metadata: { now },
      }),
    });
    action({
      path: 'amount',
      summary: 'Change the amount',
      description: 'Changes the expected amount, in the currency the opportunity opened with.',
      body: z.object({ amount: moneyAmountSchema }),
      command: ({ body, current, now }) => ({
        type: 'ChangeAmount',
        data: { ...ref(current), amount: body.amount },
        metadata: { now },
      }),
    });
    action({
      path: 'close-date',
      summary: 'Change the expected close date',
      description: 'Changes the expected close date, which the forecast groups by.',
      body: z.object({ expectedCloseDate: calendarDateSchema }),
      command: ({ body, current, now }) => ({
        type: 'ChangeCloseDate',
        data: { ...ref(current), expectedCloseDate: body.expectedCloseDate },
        metadata: { now },
      }),
    });
    action({
      path: 'win',
      summary: 'Close as won',
      description: 'Closes the opportunity as won at the final amount, or its current amount when none is given.',
      body: z.object({ amount: moneyAmountSchema.optional() }),
      command: ({ body, current, now }) => ({
        type: 'WinOpportunity',
        data: { ...ref(current), ...(body.amount === undefined ? {} : { amount: body.amount }) },
        metadata: { now },
      }),
    });
    action({
      path: 'lose',
      summary: 'Close as lost',
      description: "Closes the opportunity as lost, for one of the tenant's lost reasons (409 otherwise).",
      body: z.object({ reason: reasonText(200), competitor: reasonText(200).optional() }),
      command: ({ body, current, settings: tenantSettings, now }) =>
        loseCommand({ current, settings: tenantSettings, reason: body.reason, competitor: body.competitor, now }),
    });
    action({
      path: 'reopen',
      summary: 'Reopen',
      description: 'Opens a won or lost opportunity again, in a stage of its pipeline.',
      body: z.object({ stageId }),
      command: ({ body, current, settings: tenantSettings, now }) =>
        reopenCommand({ current, settings: tenantSettings, stageId: body.stageId, now }),
    });
  };
}
