import type pg from 'pg';
import type { OpportunityEvent } from '@l2o/domain';
import type { StreamEvent } from '@l2o/stream-consumer';
import type { PipelineSettingsRepository } from '../settings/pipeline-settings.repository.ts';
import { findPipeline, stageSlaDays } from '../settings/pipeline-stages.ts';
import { insertStageTimers, loadStageTimers, updateStageTimers } from '../stage-sla/stage-timers.repository.ts';
import { foldOpportunityView } from './opportunity-view.fold.ts';
import { loadPipelineOpportunities, savePipelineOpportunities } from './pipeline-opportunities.repository.ts';

/**
 * Applies a batch of opportunity events to `pipeline_opportunities` and the stage timers in the
 * consumer kit's transaction, in a fixed number of statements: load the batch's rows and timers and
 * its tenants' settings, fold the events in memory, write the rows and timers back.
 */
export async function applyOpportunityBatch(options: {
  client: pg.PoolClient;
  settings: Pick<PipelineSettingsRepository, 'getMany'>;
  events: readonly StreamEvent[];
}): Promise<void> {
  const { client } = options;
  const events = options.events
    .filter((event) => event.aggregate === 'opportunity')
    .map((event) => ({
      // Ids as the database returns them, so a row loaded is found again.
      opportunityId: event.aggregateId.toLowerCase(),
      event: { type: event.type, data: event.data } as OpportunityEvent,
    }));
  if (events.length === 0) return;
  const opportunityIds = [...new Set(events.map((event) => event.opportunityId))];
  // One after another: a client runs one query at a time.
  const rows = await loadPipelineOpportunities(client, opportunityIds);
  const timers = await loadStageTimers(client, opportunityIds);
  const settings = await options.settings.getMany(
    options.events.map((event) => event.tenantId),
    client,
  );
  const changes = foldOpportunityView({
    rows,
    timers,
    events,
    slaDays: (row, stageId) => {
      const tenantSettings = settings.get(row.tenantId);
      const pipeline = tenantSettings === undefined ? undefined : findPipeline(tenantSettings, row.pipelineId);
      return pipeline === undefined ? undefined : stageSlaDays(pipeline, stageId);
    },
  });
  await savePipelineOpportunities(client, changes.rows);
  await updateStageTimers(client, changes.endedTimers);
  await insertStageTimers(client, changes.newTimers);
}
