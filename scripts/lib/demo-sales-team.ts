// Plays the demo tenant's reps, so the funnel, pipeline and attribution fill without anyone clicking:
// most assigned leads are accepted (the rest breach their first-response SLA), some become SQLs and
// opportunities, and opportunities are won or lost a little later.
import { setTimeout as delay } from 'node:timers/promises';

type Urls = { projections: string; routing: string; pipeline: string; attribution: string };
type Lead = { leadId: string; ownerId: string | null };

const lostReasons = ['price', 'competitor', 'no_decision', 'timing'] as const;
const demoCampaigns = [
  { campaign: 'spring-launch', channel: 'web_form', dailyCost: 120 },
  { campaign: 'webinar-series', channel: 'event', dailyCost: 80 },
  { campaign: 'retargeting', channel: 'ad', dailyCost: 200 },
  { campaign: 'partner-summit', channel: 'partner', dailyCost: 60 },
];

export async function runDemoSalesTeam(options: {
  urls: Urls;
  apiKey: string;
  log: (message: string) => void;
  isStopping: () => boolean;
  tickMs?: number;
  random?: () => number;
}): Promise<void> {
  const random = options.random ?? Math.random;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` };
  const call = async (url: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(
      url,
      body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) },
    );
    return response.ok ? response.json() : undefined;
  };
  const leadsIn = async (status: string): Promise<Lead[]> => {
    const page = (await call(`${options.urls.projections}/v1/leads?status=${status}&limit=50`)) as
      { items?: Lead[] } | undefined;
    return page?.items ?? [];
  };
  // Decided once per lead, so a lead left to breach its SLA stays left.
  const decided = new Set<string>();
  const openOpportunities = new Map<string, number>();

  await recordCampaignCosts({ call, attributionUrl: options.urls.attribution, log: options.log });
  options.log('demo sales team: reps accept, qualify, convert, win and lose leads (L2O_DEMO_STREAM=0 turns it off)');
  while (!options.isStopping()) {
    await delay(options.tickMs ?? 5_000);
    try {
      for (const lead of await leadsIn('assigned')) {
        if (decided.has(`accept:${lead.leadId}`) || lead.ownerId === null) continue;
        decided.add(`accept:${lead.leadId}`);
        if (random() < 0.8)
          await call(`${options.urls.routing}/v1/leads/${lead.leadId}/accept`, { ownerId: lead.ownerId });
      }
      for (const lead of await leadsIn('working')) {
        if (decided.has(`qualify:${lead.leadId}`) || lead.ownerId === null) continue;
        decided.add(`qualify:${lead.leadId}`);
        if (random() < 0.5)
          await call(`${options.urls.pipeline}/v1/leads/${lead.leadId}/sales-qualify`, { by: lead.ownerId });
      }
      for (const lead of await leadsIn('sql')) {
        if (decided.has(`convert:${lead.leadId}`) || lead.ownerId === null) continue;
        decided.add(`convert:${lead.leadId}`);
        const closeDate = new Date(Date.now() + (30 + Math.floor(random() * 120)) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const amount = 5_000 + Math.round(random() * 95_000);
        const converted = (await call(`${options.urls.pipeline}/v1/leads/${lead.leadId}/convert`, {
          by: lead.ownerId,
          amount,
          currency: 'EUR',
          expectedCloseDate: closeDate,
        })) as { opportunityId?: string } | undefined;
        if (converted?.opportunityId !== undefined) openOpportunities.set(converted.opportunityId, Date.now());
      }
      for (const [opportunityId, openedAt] of openOpportunities) {
        if (Date.now() - openedAt < 60_000) continue;
        openOpportunities.delete(opportunityId);
        const outcome =
          random() < 0.55
            ? { path: 'win', body: {} }
            : { path: 'lose', body: { reason: lostReasons[Math.floor(random() * lostReasons.length)] } };
        await call(`${options.urls.pipeline}/v1/opportunities/${opportunityId}/${outcome.path}`, outcome.body);
      }
    } catch (error) {
      options.log(`demo sales team: ${(error as Error).message}; trying again`);
    }
  }
}

/** Thirty days of spend per demo campaign, so cost per lead, CAC and ROI have something to divide by. */
async function recordCampaignCosts(options: {
  call: (url: string, body?: unknown) => Promise<unknown>;
  attributionUrl: string;
  log: (message: string) => void;
}): Promise<void> {
  const today = Date.now();
  const costs = demoCampaigns.flatMap(({ campaign, channel, dailyCost }) =>
    Array.from({ length: 30 }, (_, day) => ({
      campaign,
      channel,
      date: new Date(today - day * 86_400_000).toISOString().slice(0, 10),
      amount: dailyCost,
      currency: 'EUR',
    })),
  );
  const answer = await options.call(`${options.attributionUrl}/v1/campaign-costs`, costs);
  options.log(
    answer === undefined
      ? 'demo sales team: campaign costs were refused'
      : `demo sales team: ${costs.length} days of campaign costs recorded`,
  );
}
