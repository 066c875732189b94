import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamIdFor } from '@l2o/contracts';
import { leadDecider } from '@l2o/domain';
import type { ScoreLead } from '@l2o/domain';
import { handleCommand } from '@l2o/event-store';
import type { EventStore } from '@l2o/event-store';
import { startRoutingTestEnv } from '../routing-test-app.fixture.ts';
import type { RoutingTestEnv } from '../routing-test-app.fixture.ts';
import { dispatchLeadCommands } from './dispatch-lead-commands.ts';
import type { QueuedLeadCommand } from './queued-lead-command.ts';

describe('dispatchLeadCommands', () => {
  let env: RoutingTestEnv;

  beforeAll(async () => {
    env = await startRoutingTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  async function qualifiedLead(tenantId: string): Promise<string> {
    const leadId = await env.captureLead({ tenantId });
    await env.qualifyLead({ tenantId, leadId });
    return leadId;
  }

  const assign = (tenantId: string, leadId: string, ownerId = 'ana'): QueuedLeadCommand => ({
    type: 'AssignLead',
    data: { leadId, tenantId, ownerId, poolId: 'uk', strategy: 'round_robin', reason: 'qualified' },
    now: env.clock().toISOString(),
    causationId: randomUUID(),
  });

  const typesOf = async (leadId: string) => (await env.eventsOf(leadId)).map((event) => event.type);

  it('decides every lead’s command again when another writer moved one of them in between', async () => {
    const { tenantId } = await env.newTenant();
    const [quiet, busy] = [await qualifiedLead(tenantId), await qualifiedLead(tenantId)];
    let appends = 0;
    const racing: Pick<EventStore, 'readStreams' | 'appendToStreams'> = {
      readStreams: (requests) => env.store.readStreams(requests),
      appendToStreams: async (streams) => {
        appends += 1;
        if (appends === 1) await rescore(tenantId, busy);
        return env.store.appendToStreams(streams);
      },
    };

    const outcome = await dispatchLeadCommands({
      store: racing,
      commands: [assign(tenantId, quiet), assign(tenantId, busy, 'ben')],
      logger: env.logger,
    });

    expect(appends).toBe(2);
    expect(outcome).toEqual({ appended: 2, refused: [] });
    expect(await typesOf(quiet)).toEqual(['LeadCaptured', 'LeadScored', 'LeadQualified', 'LeadAssigned']);
    expect(await typesOf(busy)).toEqual(['LeadCaptured', 'LeadScored', 'LeadQualified', 'LeadScored', 'LeadAssigned']);
  });

  it('appends nothing for a command sent again, and returns the ones the Lead refuses without failing the rest', async () => {
    const { tenantId } = await env.newTenant();
    const [sent, fresh] = [await qualifiedLead(tenantId), await qualifiedLead(tenantId)];
    await dispatchLeadCommands({ store: env.store, commands: [assign(tenantId, sent)], logger: env.logger });
    const missing = assign(tenantId, randomUUID());

    const outcome = await dispatchLeadCommands({
      store: env.store,
      commands: [assign(tenantId, sent), missing, assign(tenantId, fresh)],
      logger: env.logger,
    });

    expect(outcome).toEqual({ appended: 1, refused: [{ command: missing, reason: 'lead does not exist' }] });
    expect((await typesOf(sent)).filter((type) => type === 'LeadAssigned')).toHaveLength(1);
    expect(await typesOf(fresh)).toContain('LeadAssigned');
  });

  async function rescore(tenantId: string, leadId: string): Promise<void> {
    const command: ScoreLead = {
      type: 'ScoreLead',
      data: {
        leadId,
        tenantId,
        score: 95,
        grade: 'A',
        components: { fit: 95, engagement: 95, predictive: null },
        breakdown: [],
        ruleSetVersion: 1,
        trigger: 'activity',
        mql: { threshold: 60 },
      },
      metadata: { now: env.clock() },
    };
    await handleCommand({
      store: env.store,
      streamId: streamIdFor('lead', leadId),
      decider: leadDecider,
      command,
      metadata: { tenantId, producer: 'routing-test' },
    });
  }
});
