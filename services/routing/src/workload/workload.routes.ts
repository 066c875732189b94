import type pg from 'pg';
import { z } from 'zod';
import { errorResponseSchema, tenantOf } from '@l2o/service-kit';
import type { ApiScope, FastifyPluginAsyncZod } from '@l2o/service-kit';
import { loadOn, localTime } from '../assignment/index.ts';
import type { Rep, RepLoad } from '../assignment/index.ts';
import { readReps } from '../routing-config/routing-config.repository.ts';
import { readRepLoads } from '../routing-leads/rep-loads.repository.ts';

const scope: ApiScope = 'read_reports';

const repWorkload = z.object({
  repId: z.string(),
  name: z.string(),
  active: z.boolean(),
  openLeads: z.int().describe('Leads the rep owns that are not yet converted, disqualified, rejected or recycled.'),
  assignedToday: z.int().describe('Leads assigned to the rep on their local calendar day.'),
  maxOpenLeads: z.int().optional(),
  dailyQuota: z.int().optional(),
});

const workloadResponse = z.object({ asOf: z.iso.datetime(), reps: z.array(repWorkload) }).meta({
  examples: [
    {
      asOf: '2025-04-03T09:00:00.000Z',
      reps: [
        {
          repId: 'rep-ines',
          name: 'Inês',
          active: true,
          openLeads: 7,
          assignedToday: 3,
          maxOpenLeads: 25,
          dailyQuota: 10,
        },
      ],
    },
  ],
});

/** `GET /v1/routing/workload`: each rep's open leads and today's assignments against their caps. */
export function workloadRoutes(options: { pool: pg.Pool; clock: () => Date }): FastifyPluginAsyncZod {
  const { pool, clock } = options;
  return async (app) => {
    app.get(
      '/v1/routing/workload',
      {
        config: { scope },
        schema: {
          summary: 'Read the reps’ workload',
          description: `Per rep: open leads, leads assigned today (their local day) and the caps. Needs the ${scope} scope.`,
          tags: ['routing'],
          response: { 200: workloadResponse, 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const now = clock();
        const reps = await readReps(pool, tenantId);
        const loads = await readRepLoads(pool, tenantId);
        return { asOf: now.toISOString(), reps: reps.map((rep) => workloadOf({ rep, load: loads[rep.id], now })) };
      },
    );
  };
}

function workloadOf(options: { rep: Rep; load: RepLoad | undefined; now: Date }): z.output<typeof repWorkload> {
  const { rep, now } = options;
  const load = loadOn(options.load, localTime(now, rep.timezone).day);
  return {
    repId: rep.id,
    name: rep.name,
    active: rep.active,
    openLeads: load.openLeads,
    assignedToday: load.assignedToday,
    ...(rep.maxOpenLeads === undefined ? {} : { maxOpenLeads: rep.maxOpenLeads }),
    ...(rep.dailyQuota === undefined ? {} : { dailyQuota: rep.dailyQuota }),
  };
}
