import type pg from 'pg';
import type { BusLogger } from '@l2o/bus';
import type { EventStore } from '@l2o/event-store';
import type { CommandDispatcher } from '@l2o/stream-consumer';
import { lastScoreOf } from '../score-lead/score-command.ts';
import { toScoreLead } from '../score-lead/score-request.ts';
import type { ScoreRequest } from '../score-lead/score-request.ts';
import { sendScores } from '../score-lead/send-scores.ts';
import type { ScoringMetrics } from '../scoring-metrics.ts';
import { leadsStillScored, markMerged } from '../scoring-leads/scoring-lead.repository.ts';

/**
 * Sends the scores a batch decided, once it committed (and again from the outbox after a crash):
 * set-based through {@link sendScores}. A score recorded on scoring's lead since (a later batch, a
 * rescore) supersedes the request, which is dropped rather than sent after it; a lead found merged
 * ends its scoring; a lead that refuses its score for good is logged, since sending again cannot help.
 * @throws Error when some leads kept changing through every retry: the kit keeps the batch's requests
 * in its outbox and the sweep sends them again (the others then answer with no event).
 */
export function dispatchLeadScores(options: {
  pool: pg.Pool;
  store: Pick<EventStore, 'readStreams' | 'appendToStreams'>;
  metrics: ScoringMetrics;
  logger?: BusLogger;
}): CommandDispatcher<ScoreRequest> {
  const { pool, metrics, logger } = options;
  return async (requests) => {
    const current = await leadsStillScored(
      pool,
      requests.map((request) => ({ leadId: request.data.leadId, last: lastScoreOf(toScoreLead(request)) })),
    );
    const sent = await sendScores({
      store: options.store,
      requests: requests.filter((request) => current.has(request.data.leadId)),
    });
    await markMerged(
      pool,
      sent.merged.map(({ request, survivorLeadId }) => ({ ...request.data, survivorLeadId })),
    );
    for (const request of sent.recorded) metrics.leadScored({ trigger: request.data.trigger, outcome: 'recorded' });
    for (const request of sent.unchanged) metrics.leadScored({ trigger: request.data.trigger, outcome: 'unchanged' });
    for (const { request, reason } of sent.refused) {
      metrics.leadScored({ trigger: request.data.trigger, outcome: 'refused' });
      logger?.error(
        { leadId: request.data.leadId, tenantId: request.data.tenantId, reason },
        'a lead refused its score',
      );
    }
    if (sent.conflicted.length > 0) {
      throw new Error(
        `${sent.conflicted.length} leads changed on every try while being scored; the outbox sweep sends their scores again`,
      );
    }
  };
}
