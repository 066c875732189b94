import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { streamIdFor } from '@l2o/contracts';
import { initialLeadState, leadDecider, RuleViolation } from '@l2o/domain';
import type { CaptureLead } from '@l2o/domain';
import { ConcurrencyError, handleCommand, toNewEvents } from '@l2o/event-store';
import type { EventStore, NewEvent } from '@l2o/event-store';
import type { Logger } from '@l2o/service-kit';
import { mapConcurrently } from './map-concurrently.ts';
import type { FieldError } from '../normalize/index.ts';
import { createIngestionSettingsRepository } from '../settings/ingestion-settings.repository.ts';
import type { IngestionSettingsSource } from '../settings/ingestion-settings.repository.ts';
import { followingMerges } from './follow-merges.ts';
import { createKeyedQueue } from './keyed-queue.ts';
import type { KeyedQueue } from './keyed-queue.ts';
import { claimFreeKeys, releaseClaims, resolveLeads } from './lead-identities.ts';
import type { ResolvedLead } from './lead-identities.ts';
import type { CaptureInput, CaptureResult, LeadCapturer } from './lead-capturer.ts';
import { prepareCapture, submissionField } from './prepare-capture.ts';
import type { PreparedCapture } from './prepare-capture.ts';

export type CreateLeadCapturerOptions = {
  /** Holds `lead_identities` and `tenant_ingestion_settings` (see `migrateIngestion`). */
  pool: pg.Pool;
  /** With `appendToStreams`, new leads of a `captureMany` are appended many per transaction. */
  store: Pick<EventStore, 'readStream' | 'appendToStream'> & Partial<Pick<EventStore, 'appendToStreams'>>;
  /** The time captures are decided at; tests fix it. */
  clock: () => Date;
  logger?: Logger;
  /** Each tenant's default country and match rules; read from `pool` (cached briefly) when omitted. */
  settings?: IngestionSettingsSource;
};

/** A {@link LeadCapturer} that also takes many submissions at once (batches, CSV chunks). */
export type BulkLeadCapturer = LeadCapturer & {
  /**
   * Captures every input as `capture` would and answers in input order, with one identity
   * transaction per tenant and the new leads appended many streams per transaction.
   */
  captureMany(inputs: readonly CaptureInput[]): Promise<CaptureResult[]>;
};

/**
 * Conflicts left after in-process serialization come from other replicas only, and each one means
 * another capture of the lead was applied: a capture racing 49 others on one lead needs at most 49.
 */
export const maxConflictRetries = 64;

// New leads per multi-stream append: the store holds one advisory lock per stream until commit.
const appendChunk = 100;
// Captures of known leads within one captureMany, each a load-decide-append of its own.
const touchConcurrency = 16;

type Prepared = { index: number; capture: PreparedCapture };

/** The one capture pipeline (docs/design/ingestion.md): validate, normalize, match, decide, append. */
export function createLeadCapturer(options: CreateLeadCapturerOptions): BulkLeadCapturer {
  const { pool, store, clock, logger } = options;
  const settings = options.settings ?? createIngestionSettingsRepository({ pool });
  // One capture at a time per lead stream in this process, so its concurrent captures never conflict.
  const streams: KeyedQueue = createKeyedQueue();

  async function prepare(input: CaptureInput): Promise<{ ok: true; value: PreparedCapture } | CaptureResult> {
    const tenantSettings = await settings.get(input.tenantId);
    const prepared = prepareCapture({ input, settings: tenantSettings, now: clock() });
    if (!prepared.ok) return rejected(prepared.errors);
    // The Lead refuses some captures whatever its state (an opted-out person consenting). Asked before
    // any key is claimed: keys claimed for a known lead are kept, so a refusal found later stays stored.
    try {
      leadDecider.decide(commandFor(prepared.value, { leadId: randomUUID(), isNew: true }), initialLeadState());
    } catch (error) {
      return refusal(error);
    }
    return prepared;
  }

  async function capture(input: CaptureInput): Promise<CaptureResult> {
    const [result] = await captureMany([input]);
    return result as CaptureResult;
  }

  async function captureMany(inputs: readonly CaptureInput[]): Promise<CaptureResult[]> {
    const results = new Array<CaptureResult>(inputs.length);
    const byTenant = new Map<string, Prepared[]>();
    for (const [index, input] of inputs.entries()) {
      const prepared = await prepare(input);
      if ('status' in prepared) {
        results[index] = prepared;
        continue;
      }
      const tenantItems = byTenant.get(input.tenantId) ?? [];
      tenantItems.push({ index, capture: prepared.value });
      byTenant.set(input.tenantId, tenantItems);
    }

    for (const [tenantId, items] of byTenant) {
      const resolved = await resolveLeads({
        pool,
        tenantId,
        claims: items.map((item) => ({ keys: item.capture.keys, candidateId: randomUUID() })),
      });
      const targets = new Map<string, number>();
      for (const lead of resolved) targets.set(lead.leadId, (targets.get(lead.leadId) ?? 0) + 1);
      // A new lead that no other item of the list joins needs no stream read: its events are decided
      // on the empty state and appended with many others. Everything else goes through the stream.
      const fresh: Array<Prepared & { lead: ResolvedLead }> = [];
      const others: Array<Prepared & { lead: ResolvedLead }> = [];
      items.forEach((item, position) => {
        const lead = resolved[position] as ResolvedLead;
        (lead.isNew && targets.get(lead.leadId) === 1 ? fresh : others).push({ ...item, lead });
      });

      try {
        for (let start = 0; start < fresh.length; start += appendChunk) {
          const chunk = fresh.slice(start, start + appendChunk);
          const unappended = await appendNewLeads(chunk, results);
          others.push(...unappended);
        }
        // In list order per lead (the keyed queue), so a person twice in a batch is captured, then touched.
        // A failure stops new work but lets the running captures settle, so no claim is released under
        // an append still in flight.
        let failure: { error: unknown } | undefined;
        await mapConcurrently({
          items: others,
          concurrency: touchConcurrency,
          work: async (item) => {
            if (failure !== undefined) return;
            try {
              results[item.index] = await captureOnStream(item.capture, item.lead);
            } catch (error) {
              failure ??= { error };
            }
          },
        });
        if (failure !== undefined) throw failure.error;
      } finally {
        await releaseUnusedClaims(tenantId, resolved, results);
      }
    }
    return results;
  }

  /**
   * The keys were claimed in a transaction of their own, committed before the append: the store sits
   * behind a port (KurrentDB shares no PostgreSQL transaction) and a claim must be visible to other
   * replicas to serialize their captures of the person. So a new lead whose append failed or was
   * refused is compensated here, its claims deleted, unless its stream exists after all (another
   * capture adopted the claim and appended). A failed release only logs: the next capture of the
   * person adopts the claim and creates the lead (see captureOnStream).
   */
  async function releaseUnusedClaims(
    tenantId: string,
    resolved: readonly ResolvedLead[],
    results: readonly (CaptureResult | undefined)[],
  ): Promise<void> {
    const used = new Set(results.map((result) => (result !== undefined && 'leadId' in result ? result.leadId : '')));
    const unused = [
      ...new Set(resolved.filter((lead) => lead.isNew && !used.has(lead.leadId)).map((lead) => lead.leadId)),
    ];
    if (unused.length === 0) return;
    try {
      const streams = await Promise.all(
        unused.map((leadId) => store.readStream(streamIdFor('lead', leadId), { maxCount: 1 })),
      );
      const leadIds = unused.filter((_leadId, index) => streams[index]?.length === 0);
      const released = await releaseClaims({ pool, tenantId, leadIds });
      logger?.info({ tenantId, leads: leadIds.length, keys: released }, 'released the keys of leads never appended');
    } catch (error) {
      logger?.warn(
        { err: error, tenantId, leads: unused.length },
        'could not release the keys of leads never appended',
      );
    }
  }

  /** Appends the LeadCaptured of each new lead in one transaction; answers the items left to the slow path. */
  async function appendNewLeads(
    chunk: Array<Prepared & { lead: ResolvedLead }>,
    results: CaptureResult[],
  ): Promise<Array<Prepared & { lead: ResolvedLead }>> {
    const appends: Array<{ item: Prepared & { lead: ResolvedLead }; events: NewEvent[] }> = [];
    for (const item of chunk) {
      try {
        const decided = leadDecider.decide(commandFor(item.capture, item.lead), initialLeadState());
        appends.push({ item, events: toNewEvents({ events: decided, metadata: item.capture.metadata }) });
      } catch (error) {
        results[item.index] = refusal(error);
      }
    }
    if (appends.length === 0) return [];
    if (store.appendToStreams === undefined) return appends.map(({ item }) => item);
    try {
      await store.appendToStreams(
        appends.map(({ item, events }) => ({
          streamId: streamIdFor('lead', item.lead.leadId),
          events,
          expectedVersion: 'no_stream' as const,
        })),
      );
    } catch (error) {
      // Another capture reached one of these leads first (through a key claimed a moment ago):
      // all or none were appended, so each goes through its stream, where the decider sorts it out.
      if (!(error instanceof ConcurrencyError)) throw error;
      return appends.map(({ item }) => item);
    }
    for (const { item } of appends) results[item.index] = { status: 'accepted', leadId: item.lead.leadId };
    return [];
  }

  /** Load, decide and append on the lead's stream, following merges to the survivor. */
  async function captureOnStream(prepared: PreparedCapture, resolved: ResolvedLead): Promise<CaptureResult> {
    try {
      return await followingMerges({
        pool,
        tenantId: prepared.tenantId,
        leadId: resolved.leadId,
        logger,
        attempt: async (leadId): Promise<CaptureResult> => {
          const streamId = streamIdFor('lead', leadId);
          const command = commandFor(prepared, { ...resolved, leadId });
          const { events } = await streams.run(streamId, () =>
            handleCommand({
              store,
              streamId,
              decider: leadDecider,
              command,
              metadata: prepared.metadata,
              maxRetries: maxConflictRetries,
            }),
          );
          const [first] = events;
          if (first === undefined) return { status: 'duplicate', leadId };
          if (first.type === 'LeadCaptured') {
            // Captured on a claim another capture made and then released: its keys must point here again.
            if (!resolved.isNew)
              await claimFreeKeys({ pool, tenantId: prepared.tenantId, leadId, keys: prepared.keys });
            return { status: 'accepted', leadId };
          }
          // A lead without identity keys is always new, so a touch always has the key that matched.
          return { status: 'merged', leadId, matchedBy: resolved.matchedBy ?? 'email' };
        },
      });
    } catch (error) {
      if (error instanceof RuleViolation) return refusal(error);
      throw error;
    }
  }

  return { capture, captureMany };
}

function commandFor(prepared: PreparedCapture, lead: ResolvedLead): CaptureLead {
  return {
    type: 'CaptureLead',
    data: { ...prepared.data, leadId: lead.leadId },
    ...(prepared.captureId === undefined ? {} : { captureId: prepared.captureId }),
    ...(lead.matchedBy === undefined ? {} : { matchedBy: lead.matchedBy }),
    metadata: { now: prepared.now },
  };
}

function refusal(error: unknown): CaptureResult {
  if (!(error instanceof RuleViolation)) throw error;
  return rejected([{ field: submissionField(error.field), reason: error.message }], 'rule_violation');
}

function rejected(
  errors: FieldError[],
  code: 'validation_failed' | 'rule_violation' = 'validation_failed',
): CaptureResult {
  return { status: 'rejected', errors, code };
}
