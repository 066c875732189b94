// After the faults: every lead the API answered for is checked in the event store, on the lead topic
// and in every read model that holds leads, and the dead-letter topics are matched against the
// poison that was injected. Each miss or extra copy becomes an anomaly with the time it belongs to.
import type pg from 'pg';
import { Topics, dlqTopic, withNamespace } from '@l2o/contracts';
import type { AcceptedLead } from '../platform/lead-ledger.ts';
import { topicsWithPrefix } from '../platform/run-resources.ts';
import type { InjectedIntake, PoisonKind } from './poison-messages.ts';
import { poisonHeader } from './poison-messages.ts';
import { readWholeTopic } from './topic-reader.ts';

export type AnomalyKind = 'lost' | 'duplicated' | 'unexpected';

/** One effect missing, repeated or where it should not be; `at` places it in a fault's window. */
export type Anomaly = { check: string; kind: AnomalyKind; subject: string; at: number; extra: number };

export type CheckSummary = {
  check: string;
  expected: number;
  found: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  note?: string;
};

export type DeadLetterTopic = { topic: string; messages: number; reasons: string[] };

export type PoisonOutcome = {
  kind: PoisonKind | 'control';
  sent: number;
  /** Copies in the intake group's dead-letter topic. */
  deadLettered: number;
  /** LeadCaptured events whose capture id is this message's. */
  captured: number;
  expected: 'dead-lettered once' | 'captured once';
};

export type Reconciliation = {
  checks: CheckSummary[];
  anomalies: Anomaly[];
  /** Leads captured for the drill's tenant that the API never answered for (a lost answer, not a lost lead). */
  unacknowledgedCaptures: number;
  deadLetters: DeadLetterTopic[];
  poison: PoisonOutcome[];
};

type StoredEvent = { leadId: string; eventId: string; type: string; at: number; captureId?: string };

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

export async function reconcile(options: {
  pool: pg.Pool;
  tenantId: string;
  accepted: ReadonlyMap<string, AcceptedLead>;
  brokers: string[];
  namespace: string;
  intakeGroup: string;
  injected: readonly InjectedIntake[];
  log: (message: string) => void;
}): Promise<Reconciliation> {
  const { pool, tenantId, accepted, log } = options;
  const leads = [...accepted.values()];
  const checks: CheckSummary[] = [];
  const anomalies: Anomaly[] = [];

  /** Compares, lead by lead, how many `found` each has with how many it should have. */
  const perLead = (check: string, expectedOf: (lead: AcceptedLead) => number, found: Map<string, number[]>) => {
    const summary: CheckSummary = { check, expected: 0, found: 0, lost: 0, duplicated: 0, unexpected: 0 };
    for (const lead of leads) {
      const expected = expectedOf(lead);
      const times = found.get(lead.leadId) ?? [];
      summary.expected += expected;
      summary.found += times.length;
      if (times.length < expected) {
        summary.lost += expected - times.length;
        anomalies.push({
          check,
          kind: 'lost',
          subject: lead.leadId,
          at: lead.acceptedAt,
          extra: expected - times.length,
        });
      } else if (times.length > expected) {
        const kind = expected === 0 ? 'unexpected' : 'duplicated';
        summary[kind] += times.length - expected;
        // The extra copy belongs to the window it appeared in, not to when the lead was sent.
        const at = [...times].sort((a, b) => a - b).at(-1) ?? lead.acceptedAt;
        anomalies.push({
          check,
          kind,
          subject: lead.leadId,
          at: Number.isNaN(at) ? lead.acceptedAt : at,
          extra: times.length - expected,
        });
      }
    }
    checks.push(summary);
  };

  /** Rows of a read model per lead, as the lead id and a time (NaN when the table keeps none). */
  const rowsPerLead = async (check: string, sql: string): Promise<Map<string, number[]> | undefined> => {
    try {
      const result = await pool.query<{ lead_id: string; at: number | null }>(sql, [tenantId]);
      const map = new Map<string, number[]>();
      for (const row of result.rows) {
        const times = map.get(row.lead_id) ?? [];
        times.push(row.at ?? Number.NaN);
        map.set(row.lead_id, times);
      }
      return map;
    } catch (error) {
      checks.push({
        check,
        expected: 0,
        found: 0,
        lost: 0,
        duplicated: 0,
        unexpected: 0,
        note: `could not read: ${(error as Error).message}`,
      });
      return undefined;
    }
  };

  log('reconciling the event store…');
  const stored = (
    await pool.query<{ lead_id: string; event_id: string; type: string; at: number; capture_id: string | null }>(
      `SELECT substr(stream_id, 6) AS lead_id, event_id::text AS event_id, type, data->>'captureId' AS capture_id,
              (extract(epoch FROM recorded_at) * 1000)::float8 AS at
         FROM events WHERE stream_id LIKE 'lead-%' AND metadata->>'tenantId' = $1`,
      [tenantId],
    )
  ).rows.map((row): StoredEvent => ({
    leadId: row.lead_id,
    eventId: row.event_id,
    type: row.type,
    at: row.at,
    ...(row.capture_id === null ? {} : { captureId: row.capture_id }),
  }));
  const ofType = (type: string) =>
    new Map(
      [
        ...countBy(
          stored.filter((event) => event.type === type),
          (event) => event.leadId,
        ),
      ].map(([leadId, events]) => [leadId, events.map((event) => event.at)]),
    );
  perLead('event store: LeadCaptured', () => 1, ofType('LeadCaptured'));
  perLead('event store: LeadScored', () => 1, ofType('LeadScored'));
  perLead('event store: LeadQualified (strong leads only)', (lead) => (lead.strong ? 1 : 0), ofType('LeadQualified'));
  perLead('event store: LeadAssigned (strong leads only)', (lead) => (lead.strong ? 1 : 0), ofType('LeadAssigned'));
  const capturedLeads = new Set(stored.filter((event) => event.type === 'LeadCaptured').map((event) => event.leadId));
  // The valid intake message sent behind the poison is captured without an API answer, by design.
  const intakeCaptures = new Set(
    stored
      .filter((event) => event.type === 'LeadCaptured' && event.captureId?.startsWith('intake:'))
      .map((event) => event.leadId),
  );
  const unacknowledgedCaptures = [...capturedLeads].filter(
    (leadId) => !accepted.has(leadId) && !intakeCaptures.has(leadId),
  ).length;
  const acceptedEvents = stored.filter((event) => accepted.has(event.leadId));

  log('reading the lead topic from the beginning…');
  const leadTopic = withNamespace(Topics.lead, options.namespace);
  const published = await readWholeTopic({ brokers: options.brokers, topic: leadTopic });
  const copies = countBy(published, (message) => message.headers.ce_id ?? '');
  const topicCheck: CheckSummary = {
    check: `Kafka ${Topics.lead}: one copy of each stored event`,
    expected: acceptedEvents.length,
    found: 0,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
  };
  for (const event of acceptedEvents) {
    const seen = copies.get(event.eventId) ?? [];
    topicCheck.found += seen.length;
    if (seen.length === 0) {
      topicCheck.lost += 1;
      anomalies.push({
        check: topicCheck.check,
        kind: 'lost',
        subject: event.eventId,
        at: accepted.get(event.leadId)?.acceptedAt ?? event.at,
        extra: 1,
      });
    } else if (seen.length > 1) {
      topicCheck.duplicated += seen.length - 1;
      const at = Math.max(...seen.map((message) => message.timestamp));
      anomalies.push({
        check: topicCheck.check,
        kind: 'duplicated',
        subject: event.eventId,
        at,
        extra: seen.length - 1,
      });
    }
  }
  const storedIds = new Set(stored.map((event) => event.eventId));
  const tenantCopies = published.filter((message) => message.headers.ce_tenantid === tenantId);
  topicCheck.unexpected = tenantCopies.filter((message) => !storedIds.has(message.headers.ce_id ?? '')).length;
  topicCheck.note = `${published.length} messages on the topic`;
  checks.push(topicCheck);

  log('reconciling the read models…');
  const readModels: Array<{ check: string; sql: string; expected: (lead: AcceptedLead) => number }> = [
    {
      check: 'projections: leads',
      sql: `SELECT lead_id::text AS lead_id, NULL::float8 AS at FROM leads WHERE tenant_id = $1`,
      expected: () => 1,
    },
    {
      check: 'projections: funnel_leads',
      sql: `SELECT lead_id::text AS lead_id, NULL::float8 AS at FROM funnel_leads WHERE tenant_id = $1`,
      expected: () => 1,
    },
    {
      check: 'projections: lead_timeline (LeadCaptured entry)',
      sql: `SELECT lead_id::text AS lead_id, (extract(epoch FROM recorded_at) * 1000)::float8 AS at
              FROM lead_timeline WHERE tenant_id = $1 AND type = 'LeadCaptured'`,
      expected: () => 1,
    },
    {
      check: 'scoring: scoring_leads (scored)',
      sql: `SELECT lead_id::text AS lead_id, NULL::float8 AS at FROM scoring_leads WHERE tenant_id = $1 AND last_score IS NOT NULL`,
      expected: () => 1,
    },
    {
      check: 'routing: routing_leads',
      sql: `SELECT lead_id::text AS lead_id, NULL::float8 AS at FROM routing_leads WHERE tenant_id = $1`,
      expected: () => 1,
    },
    {
      check: 'routing: routing_leads with an owner (strong leads only)',
      sql: `SELECT lead_id::text AS lead_id, NULL::float8 AS at FROM routing_leads WHERE tenant_id = $1 AND owner_id IS NOT NULL`,
      expected: (lead) => (lead.strong ? 1 : 0),
    },
    {
      check: 'attribution: attribution_leads',
      sql: `SELECT lead_id::text AS lead_id, NULL::float8 AS at FROM attribution_leads WHERE tenant_id = $1`,
      expected: () => 1,
    },
    {
      check: 'attribution: attribution_touchpoints',
      sql: `SELECT lead_id::text AS lead_id, NULL::float8 AS at FROM attribution_touchpoints WHERE tenant_id = $1`,
      expected: () => 1,
    },
  ];
  for (const model of readModels) {
    const rows = await rowsPerLead(model.check, model.sql);
    if (rows !== undefined) perLead(model.check, model.expected, rows);
  }
  checks.push(await timelineCheck({ pool, tenantId, acceptedEvents, anomalies, accepted }));
  for (const totals of await funnelTotals({ pool, tenantId, stored })) {
    checks.push(totals);
    // Sums over the tenant cannot say which lead or when: they count for the run as a whole.
    if (totals.lost > 0)
      anomalies.push({ check: totals.check, kind: 'lost', subject: tenantId, at: Number.NaN, extra: totals.lost });
    if (totals.duplicated > 0)
      anomalies.push({
        check: totals.check,
        kind: 'duplicated',
        subject: tenantId,
        at: Number.NaN,
        extra: totals.duplicated,
      });
  }

  log('reading the dead-letter topics…');
  const deadLetters = await readDeadLetters({ brokers: options.brokers, namespace: options.namespace });
  const intakeDlq = dlqTopic(withNamespace(Topics.leadIntake, options.namespace), options.intakeGroup);
  const poison = await poisonOutcomes({ pool, brokers: options.brokers, intakeDlq, injected: options.injected });
  const poisonAt = options.injected[0]?.sentAt ?? Number.NaN;
  for (const outcome of poison) {
    const check = `intake ${outcome.kind}`;
    const wanted =
      outcome.kind === 'control'
        ? { captured: outcome.sent, deadLettered: 0 }
        : { captured: 0, deadLettered: outcome.sent };
    const add = (kind: AnomalyKind, extra: number) => {
      if (extra > 0) anomalies.push({ check, kind, subject: outcome.kind, at: poisonAt, extra });
    };
    // A poison message must land in the dead-letter topic once; the valid one must become one lead.
    if (outcome.kind === 'control') {
      add('lost', wanted.captured - outcome.captured);
      add('duplicated', outcome.captured - wanted.captured);
      add('unexpected', outcome.deadLettered);
    } else {
      add('lost', wanted.deadLettered - outcome.deadLettered);
      add('duplicated', outcome.deadLettered - wanted.deadLettered);
      add('unexpected', outcome.captured);
    }
  }
  for (const topic of deadLetters) {
    if (topic.topic === intakeDlq || topic.messages === 0) continue;
    anomalies.push({
      check: `dead letters on ${topic.topic}`,
      kind: 'unexpected',
      subject: topic.topic,
      at: Number.NaN,
      extra: topic.messages,
    });
  }
  return { checks, anomalies, unacknowledgedCaptures, deadLetters, poison };
}

/** Every stored event of an accepted lead is in its timeline once. */
async function timelineCheck(options: {
  pool: pg.Pool;
  tenantId: string;
  acceptedEvents: readonly StoredEvent[];
  anomalies: Anomaly[];
  accepted: ReadonlyMap<string, AcceptedLead>;
}): Promise<CheckSummary> {
  const check = 'projections: lead_timeline (every stored event)';
  const rows = await options.pool.query<{ event_id: string; copies: number }>(
    'SELECT event_id::text AS event_id, count(*)::int AS copies FROM lead_timeline WHERE tenant_id = $1 GROUP BY event_id',
    [options.tenantId],
  );
  const copies = new Map(rows.rows.map((row) => [row.event_id, row.copies]));
  const summary: CheckSummary = {
    check,
    expected: options.acceptedEvents.length,
    found: 0,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
  };
  for (const event of options.acceptedEvents) {
    const found = copies.get(event.eventId) ?? 0;
    summary.found += found;
    const at = options.accepted.get(event.leadId)?.acceptedAt ?? event.at;
    if (found === 0) {
      summary.lost += 1;
      options.anomalies.push({ check, kind: 'lost', subject: event.eventId, at, extra: 1 });
    } else if (found > 1) {
      summary.duplicated += found - 1;
      options.anomalies.push({ check, kind: 'duplicated', subject: event.eventId, at, extra: found - 1 });
    }
  }
  return summary;
}

/** The funnel's daily sums must count each captured and each qualified lead of the tenant exactly once. */
async function funnelTotals(options: {
  pool: pg.Pool;
  tenantId: string;
  stored: readonly StoredEvent[];
}): Promise<CheckSummary[]> {
  const result = await options.pool.query<{ leads: number; mql: number }>(
    'SELECT coalesce(sum(leads), 0)::int AS leads, coalesce(sum(mql), 0)::int AS mql FROM funnel_daily WHERE tenant_id = $1',
    [options.tenantId],
  );
  const totals = result.rows[0] ?? { leads: 0, mql: 0 };
  const distinct = (type: string) =>
    new Set(options.stored.filter((event) => event.type === type).map((event) => event.leadId)).size;
  const compare = (check: string, expected: number, found: number): CheckSummary => ({
    check,
    expected,
    found,
    lost: Math.max(0, expected - found),
    duplicated: Math.max(0, found - expected),
    unexpected: 0,
    note: 'sums over the tenant, compared with the leads the event store holds',
  });
  return [
    compare('projections: funnel_daily leads', distinct('LeadCaptured'), totals.leads),
    compare('projections: funnel_daily mql', distinct('LeadQualified'), totals.mql),
  ];
}

async function readDeadLetters(options: { brokers: string[]; namespace: string }): Promise<DeadLetterTopic[]> {
  const topics = await topicsWithPrefix({ brokers: options.brokers, prefix: `${options.namespace}.` });
  const ours = topics.filter((topic) => topic.includes('.dlq.'));
  const read: DeadLetterTopic[] = [];
  for (const topic of ours) {
    const messages = await readWholeTopic({ brokers: options.brokers, topic });
    const reasons = [...new Set(messages.map((message) => message.headers.dlq_reason ?? '(no reason)'))].slice(0, 5);
    read.push({ topic, messages: messages.length, reasons });
  }
  return read;
}

async function poisonOutcomes(options: {
  pool: pg.Pool;
  brokers: string[];
  intakeDlq: string;
  injected: readonly InjectedIntake[];
}): Promise<PoisonOutcome[]> {
  if (options.injected.length === 0) return [];
  const messages = await readWholeTopic({ brokers: options.brokers, topic: options.intakeDlq }).catch(() => []);
  const sent = options.injected.flatMap((intake) => [
    ...intake.poison.map((item) => ({ kind: item.kind as PoisonOutcome['kind'], id: item.id })),
    { kind: 'control' as const, id: intake.control.id },
  ]);
  const captures = await options.pool.query<{ capture_id: string; copies: number }>(
    `SELECT data->>'captureId' AS capture_id, count(*)::int AS copies FROM events
      WHERE type = 'LeadCaptured' AND data->>'captureId' = ANY($1) GROUP BY 1`,
    [sent.map((item) => `intake:${item.id}`)],
  );
  const captured = new Map(captures.rows.map((row) => [row.capture_id, row.copies]));
  const outcomes = new Map<string, PoisonOutcome>();
  for (const item of sent) {
    const outcome = outcomes.get(item.kind) ?? {
      kind: item.kind,
      sent: 0,
      deadLettered: 0,
      captured: 0,
      expected: item.kind === 'control' ? 'captured once' : 'dead-lettered once',
    };
    outcome.sent += 1;
    outcome.captured += captured.get(`intake:${item.id}`) ?? 0;
    outcomes.set(item.kind, outcome);
  }
  for (const message of messages) {
    const kind = message.headers[poisonHeader];
    const outcome = kind === undefined ? undefined : outcomes.get(kind);
    if (outcome !== undefined) outcome.deadLettered += 1;
  }
  return [...outcomes.values()];
}
