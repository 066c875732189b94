import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, withServiceOutput } from '@l2o/testing';
import { captureStrongLead, startPlatform, type E2ePlatform } from './e2e-platform.fixture.ts';

/** The bound the platform promises: a service killed and restarted serves HTTP again within this. */
const servingBoundMs = 5_000;
/**
 * Longer than the services' default, so the dead member's session is sure to outlast the restart and
 * the checks below see a group still rebalancing however slow the machine is.
 */
const sessionTimeoutMs = 20_000;

type ReadyAnswer = { status: number | string; checks: Array<{ name: string; status: string; state?: string }> };

const crashed = ['projections', 'scoring', 'routing'] as const;
type Crashed = (typeof crashed)[number];
/** Consumers each service runs, each in a group of its own. */
const consumerCount: Record<Crashed, number> = { projections: 1, scoring: 2, routing: 1 };
const allIn = (name: Crashed, state: string): string[] => Array.from({ length: consumerCount[name] }, () => state);

// After a SIGKILL the broker keeps the dead member in the group until its session times out, and a
// restarted member waits that long for its partitions. The services must serve meanwhile.
describe('a service killed and restarted', () => {
  let platform: E2ePlatform;
  let leadBeforeCrash = '';

  const get = (name: string, path: string, withKey = true): Promise<Response> =>
    fetch(platform.url(name, path), withKey ? { headers: { authorization: `Bearer ${platform.apiKey}` } } : {});

  /** Waits until the query API shows the lead scored and assigned: scoring, routing and projections all applied it. */
  async function assignedInQueryApi(leadId: string): Promise<Record<string, unknown>> {
    return waitFor(
      `lead ${leadId} scored and assigned in the query API`,
      async () => {
        const response = await get('projections', `/v1/leads/${leadId}`);
        if (response.status !== 200) return undefined;
        const lead = (await response.json()) as Record<string, unknown>;
        return lead.status === 'assigned' ? lead : undefined;
      },
      // A restarted member gets its partitions back only when the dead member's session has timed out.
      { timeoutMs: sessionTimeoutMs + 40_000 },
    );
  }

  async function readyAnswer(name: string): Promise<{ httpStatus: number; body: ReadyAnswer }> {
    const response = await get(name, '/ready', false);
    return { httpStatus: response.status, body: (await response.json()) as ReadyAnswer };
  }

  const consumerStates = (body: ReadyAnswer): string[] =>
    body.checks.filter((check) => check.name.endsWith('consumer')).map((check) => check.state ?? check.status);

  /** An authenticated read each service answers from its own database. */
  const queryRoute: Record<Crashed, () => string> = {
    projections: () => `/v1/leads/${leadBeforeCrash}`,
    scoring: () => `/v1/scoring/leads/${leadBeforeCrash}`,
    routing: () => '/v1/routing/workload',
  };

  beforeAll(async () => {
    platform = await startPlatform({
      label: 'e2e-crash',
      services: ['relay', 'ingestion', ...crashed],
      partitions: 2,
      scopes: ['ingest', 'read_reports'],
      env: { KAFKA_SESSION_TIMEOUT_MS: String(sessionTimeoutMs) },
    });

    // A lead all the way through before the crash: every consumer has joined and owns its partitions.
    await withServiceOutput(Object.values(platform.services), async () => {
      leadBeforeCrash = await captureStrongLead(platform, 'before');
      await assignedInQueryApi(leadBeforeCrash);
      for (const name of crashed) {
        await waitFor(`${name}'s consumers to be consuming before the crash`, async () => {
          const states = consumerStates((await readyAnswer(name)).body);
          return JSON.stringify(states) === JSON.stringify(allIn(name, 'consuming'));
        });
      }
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('serves health and its query API within 5 s while its group rebalances, then catches up', async () => {
    await Promise.all(crashed.map((name) => platform.services[name]?.crash()));

    // One restart at a time, as a supervisor restarts one crashed pod: three node processes starting
    // together on a small machine would measure the machine, not the service.
    const servedAfterMs: Partial<Record<Crashed, number>> = {};
    const healthAfterMs: Partial<Record<Crashed, number>> = {};
    const readyWhileRebalancing: Partial<Record<Crashed, { httpStatus: number; body: ReadyAnswer }>> = {};
    for (const name of crashed) {
      const restarted = performance.now();
      const service = platform.start(name);
      await withServiceOutput([service], () =>
        waitFor(
          `${name} to answer /health and ${queryRoute[name]()}`,
          async () => {
            const [health, query] = await Promise.all([get(name, '/health', false), get(name, queryRoute[name]())]);
            if (health.status === 200) healthAfterMs[name] ??= Math.round(performance.now() - restarted);
            return health.status === 200 && query.status === 200;
          },
          // Waits past the bound so a slow start fails the assertion below with the time it took.
          { timeoutMs: 60_000, intervalMs: 50 },
        ),
      );
      servedAfterMs[name] = Math.round(performance.now() - restarted);
      readyWhileRebalancing[name] = await readyAnswer(name);
    }

    console.info(`served again after a SIGKILL and restart (ms): ${JSON.stringify(servedAfterMs)}`);
    for (const name of crashed) {
      const states = consumerStates(readyWhileRebalancing[name]?.body ?? { status: 0, checks: [] });
      // The dead member's session outlasts the restart, so the new members cannot have their partitions yet.
      expect(states, `${name}'s consumers when it first served: HTTP must not wait for the group`).toEqual(
        allIn(name, 'joining'),
      );
      expect(
        servedAfterMs[name],
        `${name} served /health and ${queryRoute[name]()} ${servedAfterMs[name]} ms after its restart ` +
          `(/health first at ${healthAfterMs[name]} ms); the bound is ${servingBoundMs} ms. Its consumers were ` +
          'still joining, so the time went to starting the process (module loading, migrations), not to the group.',
      ).toBeLessThan(servingBoundMs);
      const ready = readyWhileRebalancing[name];
      expect(ready?.httpStatus, `${name}'s /ready while its group rebalanced: ${JSON.stringify(ready?.body)}`).toBe(
        200,
      );
      expect(ready?.body.checks).toEqual(
        expect.arrayContaining([
          { name: 'postgresql', status: 'ok' },
          { name: 'kafka', status: 'ok' },
        ]),
      );
    }

    await withServiceOutput(Object.values(platform.services), async () => {
      const leadAfterRestart = await captureStrongLead(platform, 'after');
      const lead = await assignedInQueryApi(leadAfterRestart);
      expect(lead).toMatchObject({
        leadId: leadAfterRestart,
        status: 'assigned',
        ownerId: expect.stringMatching(/^rep-/),
      });
      expect(lead.score).toEqual(expect.any(Number));
      const scored = await get('scoring', `/v1/scoring/leads/${leadAfterRestart}`);
      expect(scored.status).toBe(200);
      for (const name of crashed) {
        const { httpStatus, body } = await readyAnswer(name);
        expect(httpStatus).toBe(200);
        expect(consumerStates(body), `${name}'s consumers once caught up`).toEqual(allIn(name, 'consuming'));
      }
    });
  });
});
