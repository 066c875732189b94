import type pg from 'pg';
import type { ProjectedEvent, ReadModel } from '../read-model/read-model.ts';
import { changeFunnelLeads, funnelDailyChange } from './funnel-daily.rollup.ts';

const handled = new Set<string>([
  'LeadCaptured',
  'LeadQualified',
  'LeadAssigned',
  'LeadSalesQualified',
  'LeadConverted',
  'LeadDisqualified',
  'LeadsMerged',
  'OpportunityWon',
  'OpportunityReopened',
]);

/**
 * The `funnel` read model: per lead the first time it reached each step (captured, MQL, SQL,
 * opportunity), and per opportunity each win with the reopen that undid it. Steps keep their first
 * time, so the funnel as of any date is a filter on these times. funnel_daily sums the current funnel
 * (no `asOf`) by capture day, channel, campaign and source, funnel_daily_by_channel by day and channel
 * alone; both change in the same transaction.
 */
export const funnelReadModel: ReadModel = {
  name: 'funnel',
  tables: ['funnel_leads', 'funnel_wins', 'funnel_daily', 'funnel_daily_by_channel'],
  handles: (eventType) => handled.has(eventType),
  apply: applyToFunnel,
};

async function applyToFunnel(options: { client: pg.PoolClient; event: ProjectedEvent }): Promise<void> {
  const { client, event } = options;
  const lead = [event.tenantId, event.aggregateId];
  const thisLead = 'f.tenant_id = $1 AND f.lead_id = $2';
  const setOnLead = (set: string, values: unknown[]) =>
    changeFunnelLeads({
      client,
      where: thisLead,
      values: lead,
      change: () =>
        client.query(`UPDATE funnel_leads SET ${set} WHERE tenant_id = $1 AND lead_id = $2`, [...lead, ...values]),
    });
  // A win counts for the lead that converted into the opportunity, whichever of the two streams came first.
  const changeWins = (change: () => Promise<unknown>) =>
    changeFunnelLeads({ client, where: 'f.tenant_id = $1 AND f.opportunity_id = $2', values: lead, change });
  switch (event.type) {
    case 'LeadCaptured': {
      const { touchpoint } = event.data;
      await client.query(
        `INSERT INTO funnel_leads (tenant_id, lead_id, channel, source, campaign, captured_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          ...lead,
          touchpoint.channel,
          touchpoint.source ?? touchpoint.utm?.source ?? null,
          touchpoint.campaign ?? touchpoint.utm?.campaign ?? null,
          event.data.capturedAt,
        ],
      );
      await client.query(funnelDailyChange({ sign: 1, where: thisLead }), lead);
      return;
    }
    case 'LeadQualified':
      await setOnLead('mql_at = COALESCE(mql_at, $3)', [event.data.qualifiedAt]);
      return;
    case 'LeadAssigned':
      // The team is not in funnel_daily: reports by team scan the leads.
      await client.query('UPDATE funnel_leads SET team = $3 WHERE tenant_id = $1 AND lead_id = $2', [
        ...lead,
        event.data.poolId,
      ]);
      return;
    case 'LeadSalesQualified':
      await setOnLead('sql_at = COALESCE(sql_at, $3)', [event.data.qualifiedAt]);
      return;
    case 'LeadConverted':
      await setOnLead('converted_at = COALESCE(converted_at, $3), opportunity_id = $4', [
        event.data.convertedAt,
        event.data.opportunityId,
      ]);
      return;
    case 'LeadDisqualified':
      // Not a funnel step: a disqualified lead still counts for the steps it reached.
      await client.query(
        'UPDATE funnel_leads SET disqualified_at = COALESCE(disqualified_at, $3) WHERE tenant_id = $1 AND lead_id = $2',
        [...lead, event.data.disqualifiedAt],
      );
      return;
    case 'LeadsMerged':
      // The merged lead was a duplicate of the survivor, which carries on: counting both would count one person twice.
      if (event.data.role === 'merged') await setOnLead('merged_at = $3', [event.data.mergedAt]);
      return;
    case 'OpportunityWon':
      await changeWins(() =>
        client.query(
          'INSERT INTO funnel_wins (tenant_id, opportunity_id, won_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [...lead, event.data.wonAt],
        ),
      );
      return;
    case 'OpportunityReopened':
      if (event.data.previousOutcome === 'won') {
        await changeWins(() =>
          client.query(
            `UPDATE funnel_wins SET reopened_at = $3
             WHERE tenant_id = $1 AND opportunity_id = $2 AND reopened_at IS NULL`,
            [...lead, event.data.reopenedAt],
          ),
        );
      }
      return;
    default:
      return;
  }
}
