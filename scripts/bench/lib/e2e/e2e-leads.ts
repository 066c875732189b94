// The end-to-end benchmark's traffic and the routing it needs. Scored by the default rule set
// (docs/design/scoring-and-routing.md: MQL at 60, score (0.5·fit + 0.3·engagement) / 0.8 without
// outcomes), only a C-level or VP at a 1,000+ target-industry company in a target market with a budget
// reaches fit 100 and a score above 60 at capture; every other profile here stays below it.
import type { LeadBuilder } from '../../../lib/platform/lead-ledger.ts';

type Profile = {
  jobTitle?: string;
  company?: { name: string; domain: string; industry: string; size: number; country: string };
  budget?: number;
  personalEmail?: boolean;
  channel: { channel: string; source: string; medium: string };
};

const qualifying: Profile[] = [
  {
    jobTitle: 'VP Sales',
    company: {
      name: 'Stark Software',
      domain: 'stark-software.example',
      industry: 'software',
      size: 5000,
      country: 'US',
    },
    budget: 50_000,
    channel: { channel: 'web_form', source: 'website', medium: 'organic' },
  },
  {
    jobTitle: 'CEO',
    company: { name: 'Initech Finance', domain: 'initech.example', industry: 'fintech', size: 1200, country: 'GB' },
    budget: 120_000,
    channel: { channel: 'ad', source: 'linkedin', medium: 'cpc' },
  },
];

const other: Profile[] = [
  // fit 20 + 15 + 25 + 10 = 70: a score of 44, a C grade.
  {
    jobTitle: 'Head of Marketing',
    company: {
      name: 'Globex Health',
      domain: 'globex-health.example',
      industry: 'healthcare',
      size: 250,
      country: 'DE',
    },
    channel: { channel: 'event', source: 'trade-show', medium: 'offline' },
  },
  // fit 25 + 10 = 35.
  {
    jobTitle: 'Software Engineer',
    company: {
      name: 'Acme Robotics',
      domain: 'acme-robotics.example',
      industry: 'manufacturing',
      size: 9000,
      country: 'FR',
    },
    channel: { channel: 'web_form', source: 'website', medium: 'organic' },
  },
  // fit 0.
  {
    jobTitle: 'Intern',
    company: {
      name: 'Umbrella Logistics',
      domain: 'umbrella-logistics.example',
      industry: 'logistics',
      size: 20,
      country: 'BR',
    },
    channel: { channel: 'partner', source: 'reseller', medium: 'referral' },
  },
  // A personal address and no company: fit 0.
  { personalEmail: true, channel: { channel: 'ad', source: 'google', medium: 'cpc' } },
];

/** One lead in three qualifies, the others spread over four weaker profiles. */
export const qualifiesBySequence = (sequence: number): boolean => sequence % 3 === 0;

/** A distinct person per sequence, so matching never merges two of them. */
export const e2eLead: LeadBuilder = ({ runId, sequence, strong }) => {
  const profile = strong
    ? (qualifying[sequence % qualifying.length] as Profile)
    : (other[sequence % other.length] as Profile);
  const domain = profile.personalEmail ? 'gmail.com' : (profile.company?.domain ?? 'example.com');
  return {
    idempotencyKey: `e2e-${runId}-${sequence}`,
    email: `lead.${sequence}.${runId}@${domain}`,
    firstName: `Bench${sequence}`,
    lastName: `Run${runId}`,
    ...(profile.jobTitle === undefined ? {} : { jobTitle: profile.jobTitle }),
    ...(profile.company === undefined ? {} : { company: profile.company }),
    ...(profile.budget === undefined ? {} : { customFields: { budget: profile.budget } }),
    touchpoint: { ...profile.channel, campaign: `e2e-${runId}-${sequence % 4}` },
  };
};

/**
 * Two pools (US leads to a load-balanced one, the rest round robin) of reps whose caps and quotas are
 * set, and checked on every assignment, but wide enough for every MQL of the run.
 */
export async function configureRouting(options: { routingUrl: string; apiKey: string; expectedMqls: number }) {
  const put = async (path: string, body: unknown) => {
    const response = await fetch(`${options.routingUrl}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`routing PUT ${path} answered ${response.status}: ${await response.text()}`);
  };
  const teams = {
    enterprise: Array.from({ length: 6 }, (_, index) => `rep-ent-${index + 1}`),
    general: Array.from({ length: 6 }, (_, index) => `rep-gen-${index + 1}`),
  };
  // Each pool could take every MQL; the cap is twice a rep's even share of that, plus room.
  const cap = Math.min(1_000_000, 2 * Math.ceil(options.expectedMqls / teams.enterprise.length) + 100);
  for (const rep of [...teams.enterprise, ...teams.general]) {
    await put(`/v1/routing/reps/${rep}`, {
      name: rep,
      active: true,
      timezone: 'UTC',
      maxOpenLeads: cap,
      dailyQuota: cap,
    });
  }
  await put('/v1/routing/pools/enterprise', {
    name: 'Enterprise',
    strategy: 'load_balanced',
    members: teams.enterprise.map((repId) => ({ repId })),
  });
  await put('/v1/routing/pools/general', {
    name: 'General',
    strategy: 'round_robin',
    members: teams.general.map((repId) => ({ repId })),
  });
  await put('/v1/routing/settings', {
    rules: [{ id: 'us', name: 'US leads', poolId: 'enterprise', conditions: { countries: ['US'] } }],
    defaultPoolId: 'general',
    sharedPoolId: 'general',
  });
  return { reps: teams.enterprise.length + teams.general.length, capPerRep: cap };
}
