// Traffic for the drill and the end-to-end benchmark: distinct leads posted to POST /v1/leads/batch,
// retried with their idempotency keys until answered (as a careful client does), and a ledger of every
// lead the API answered for and when; the drill's reconciliation expects exactly those.
import { setTimeout as delay } from 'node:timers/promises';

/** A lead the batch API answered for with its id. */
export type AcceptedLead = {
  leadId: string;
  sequence: number;
  /** Built to score above the MQL threshold, so scoring qualifies it and routing assigns it. */
  strong: boolean;
  acceptedAt: number;
  /** `duplicate`: a retry found the item already captured by an attempt whose answer was lost. */
  answer: 'accepted' | 'duplicate';
  probe: boolean;
};

export type LoadStats = {
  itemsSent: number;
  batches: number;
  attempts: number;
  failedAttempts: number;
  /** Items whose batch was never answered within the retry window: unknown whether captured. */
  unanswered: number;
  statuses: { accepted: number; duplicate: number; merged: number; rejected: number };
  /** First few unexpected answers (rejected or merged items, 4xx), for the report. */
  surprises: string[];
};

type BatchAnswer = {
  results: Array<{ index: number; status: 'accepted' | 'merged' | 'duplicate' | 'rejected'; leadId?: string }>;
};

const companies = {
  strong: { name: 'Stark Software', domain: 'stark-software.example', industry: 'software', size: 5000, country: 'US' },
  weak: {
    name: 'Umbrella Logistics',
    domain: 'umbrella-logistics.example',
    industry: 'logistics',
    size: 20,
    country: 'BR',
  },
};

/** Builds the request item of one distinct lead; `strong` ones must qualify as MQLs. */
export type LeadBuilder = (options: { runId: string; sequence: number; strong: boolean }) => Record<string, unknown>;

/**
 * One distinct lead. A strong one (VP, 5,000-employee software company in the US, budget stated) gets
 * a full fit score, which alone crosses the default MQL threshold; a weak one scores near zero.
 */
export const drillLead: LeadBuilder = (options) => {
  const { runId, sequence, strong } = options;
  const company = strong ? companies.strong : companies.weak;
  return {
    idempotencyKey: `drill-${runId}-${sequence}`,
    email: `lead.${sequence}.${runId}@${company.domain}`,
    firstName: `Drill${sequence}`,
    lastName: strong ? 'Strong' : 'Weak',
    jobTitle: strong ? 'VP Sales' : 'Intern',
    company,
    ...(strong ? { customFields: { budget: 50_000 } } : {}),
    touchpoint: { channel: 'web_form', source: 'website', campaign: `drill-${runId}` },
  };
};

export type LeadLedger = {
  accepted: Map<string, AcceptedLead>;
  stats: LoadStats;
  /** Posts leads (retrying until answered or `retryForMs` passed) and records the answers. */
  post: (options: { strong: (sequence: number) => boolean; count: number; probe?: boolean }) => Promise<string[]>;
};

export function createLeadLedger(options: {
  ingestionUrl: string;
  apiKey: string;
  runId: string;
  retryForMs: number;
  maxInFlight: number;
  /** Default: {@link drillLead}. */
  buildLead?: LeadBuilder;
}): LeadLedger {
  const buildLead = options.buildLead ?? drillLead;
  const accepted = new Map<string, AcceptedLead>();
  const stats: LoadStats = {
    itemsSent: 0,
    batches: 0,
    attempts: 0,
    failedAttempts: 0,
    unanswered: 0,
    statuses: { accepted: 0, duplicate: 0, merged: 0, rejected: 0 },
    surprises: [],
  };
  let nextSequence = 1;
  let inFlight = 0;
  const surprise = (text: string) => {
    if (stats.surprises.length < 10) stats.surprises.push(text);
  };

  const attempt = async (body: string): Promise<BatchAnswer | 'retry' | 'refused'> => {
    while (inFlight >= options.maxInFlight) await delay(20);
    inFlight += 1;
    stats.attempts += 1;
    try {
      const response = await fetch(`${options.ingestionUrl}/v1/leads/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status === 200) return (await response.json()) as BatchAnswer;
      stats.failedAttempts += 1;
      const text = await response.text();
      if (response.status >= 500 || response.status === 429) return 'retry';
      surprise(`batch answered ${response.status}: ${text.slice(0, 200)}`);
      return 'refused';
    } catch {
      // Refused connection, reset or timeout: the items may or may not have been captured.
      stats.failedAttempts += 1;
      return 'retry';
    } finally {
      inFlight -= 1;
    }
  };

  return {
    accepted,
    stats,
    post: async ({ strong, count, probe = false }) => {
      const sequences = Array.from({ length: count }, () => nextSequence++);
      const items = sequences.map((sequence) =>
        buildLead({ runId: options.runId, sequence, strong: strong(sequence) }),
      );
      const body = JSON.stringify({ items });
      stats.batches += 1;
      stats.itemsSent += count;
      const deadline = Date.now() + options.retryForMs;
      for (;;) {
        const answer = await attempt(body);
        if (answer === 'refused') return [];
        if (answer !== 'retry') {
          const ids: string[] = [];
          for (const result of answer.results) {
            stats.statuses[result.status] += 1;
            const sequence = sequences[result.index] ?? -1;
            if ((result.status === 'accepted' || result.status === 'duplicate') && result.leadId !== undefined) {
              ids.push(result.leadId);
              accepted.set(result.leadId, {
                leadId: result.leadId,
                sequence,
                strong: strong(sequence),
                acceptedAt: Date.now(),
                answer: result.status,
                probe,
              });
            } else surprise(`item ${sequence} answered ${JSON.stringify(result)}`);
          }
          return ids;
        }
        if (Date.now() >= deadline) {
          stats.unanswered += count;
          return [];
        }
        await delay(1_000);
      }
    },
  };
}

/**
 * Posts `ratePerSecond` leads a second in batches of `batchSize` until stopped, without waiting for
 * answers (an open load, as independent clients make); a third are strong.
 */
export function startSteadyLoad(options: { ledger: LeadLedger; ratePerSecond: number; batchSize: number }): {
  stop: () => Promise<void>;
} {
  const pending = new Set<Promise<unknown>>();
  const intervalMs = (1000 * options.batchSize) / options.ratePerSecond;
  const startedAt = performance.now();
  let batchesSent = 0;
  // Paced by the clock, not by counting timer ticks: a busy event loop fires timers late and would
  // otherwise offer less than the rate; a late tick sends the batches that fell due meanwhile.
  const timer = setInterval(
    () => {
      const due = Math.floor((performance.now() - startedAt) / intervalMs);
      for (; batchesSent < due; batchesSent += 1) {
        const sent = options.ledger.post({ strong: (sequence) => sequence % 3 === 0, count: options.batchSize });
        pending.add(sent);
        void sent.finally(() => pending.delete(sent));
      }
    },
    Math.min(intervalMs, 100),
  );
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.allSettled([...pending]);
    },
  };
}
