// A steady trickle of plausible leads into ingestion, so a fresh platform has data flowing.
import { setTimeout as delay } from 'node:timers/promises';

const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman'];
const companies = [
  { name: 'Acme Robotics', domain: 'acme-robotics.example', industry: 'manufacturing', country: 'DE' },
  { name: 'Globex Health', domain: 'globex-health.example', industry: 'healthcare', country: 'US' },
  { name: 'Initech Finance', domain: 'initech.example', industry: 'financial_services', country: 'GB' },
  { name: 'Umbrella Logistics', domain: 'umbrella-logistics.example', industry: 'logistics', country: 'FR' },
  { name: 'Stark Software', domain: 'stark-software.example', industry: 'software', country: 'US' },
];
const titles = ['VP Sales', 'Head of Marketing', 'CTO', 'Procurement Manager', 'Software Engineer', 'CEO'];
const channels = [
  { channel: 'web_form', source: 'website', medium: 'organic' },
  { channel: 'ad', source: 'linkedin', medium: 'cpc' },
  { channel: 'event', source: 'trade-show', medium: 'offline' },
  { channel: 'partner', source: 'reseller', medium: 'referral' },
];
const campaigns = ['spring-launch', 'webinar-series', 'retargeting', 'partner-summit'];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

export function demoLead(sequence: number): Record<string, unknown> {
  const firstName = pick(firstNames);
  const lastName = pick(lastNames);
  const company = pick(companies);
  const touch = pick(channels);
  return {
    email: `${firstName}.${lastName}.${sequence}@${company.domain}`.toLowerCase(),
    firstName,
    lastName,
    jobTitle: pick(titles),
    company: {
      name: company.name,
      domain: company.domain,
      industry: company.industry,
      size: pick([20, 250, 1200, 9000]),
      country: company.country,
    },
    touchpoint: { ...touch, campaign: pick(campaigns) },
  };
}

// Engaged prospects do these; strong profiles plus two or three of them cross the default MQL threshold.
const behaviours = [
  'pricing_page_view',
  'content_download',
  'demo_requested',
  'webinar_attended',
  'email_click',
] as const;

/** Some of what a demo lead does after it is captured; about a third of leads do nothing. */
export function demoActivities(random: () => number = Math.random): string[] {
  if (random() < 0.35) return [];
  const count = 1 + Math.floor(random() * 3);
  return Array.from({ length: count }, () => behaviours[Math.floor(random() * behaviours.length)] ?? 'page_view');
}

async function post(options: { url: string; apiKey: string; body: unknown }): Promise<Response | Error> {
  return fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
    body: JSON.stringify(options.body),
  }).catch((error: unknown) => error as Error);
}

export async function runDemoStream(options: {
  ingestionUrl: string;
  /** A key with the ingest scope; the leads belong to its tenant. */
  apiKey: string;
  intervalMs?: number;
  log: (message: string) => void;
  isStopping: () => boolean;
}): Promise<void> {
  options.log(
    `demo stream: one lead every ${(options.intervalMs ?? 2_000) / 1000} s into ${options.ingestionUrl} (L2O_DEMO_STREAM=0 turns it off)`,
  );
  for (let sequence = 1; !options.isStopping(); sequence++) {
    const lead = demoLead(sequence);
    const response = await post({ url: `${options.ingestionUrl}/v1/leads`, apiKey: options.apiKey, body: lead });
    if (response instanceof Error) options.log(`demo stream: ingestion unreachable (${response.message}); retrying`);
    else if (!response.ok) options.log(`demo stream: ingestion answered ${response.status}: ${await response.text()}`);
    else {
      const { leadId } = (await response.json()) as { leadId: string };
      const touch = lead.touchpoint as { channel: string; campaign: string };
      for (const type of demoActivities()) {
        const activity = { leadId, type, occurredAt: new Date().toISOString(), ...touch };
        await post({ url: `${options.ingestionUrl}/v1/activities`, apiKey: options.apiKey, body: activity });
      }
    }
    await delay(options.intervalMs ?? 2_000);
  }
}
