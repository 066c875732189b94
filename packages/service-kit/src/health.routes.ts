import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponseSchema } from './http-error.ts';
import type { ErrorResponse } from './http-error.ts';

/**
 * A dependency the service needs to do its work (PostgreSQL, Kafka), or a part whose state `/ready`
 * reports (a consumer `joining` its group); `check` rejects while it cannot serve.
 */
export type ReadinessCheck = {
  name: string;
  /**
   * Rejects when the dependency cannot serve; should give up when `signal` aborts (the check timed out).
   * May resolve with a short state, reported beside the check's status.
   */
  check: (options: { signal: AbortSignal }) => Promise<string | void>;
};

/**
 * `/health`, `/ready` and `/metrics`, left out of request logs, the request histogram and traces: the
 * orchestrator and Prometheus call them every few seconds whatever the traffic, and would drown real requests.
 */
export const probePaths: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

const checkResult = z.object({
  name: z.string(),
  status: z.enum(['ok', 'failed']),
  reason: z.string().optional(),
  state: z.string().optional(),
});
type CheckResult = z.output<typeof checkResult>;

async function runCheck(readiness: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const reason = new Error(`no answer within ${timeoutMs} ms`);
      // Rejected before aborting, so the timeout (not the check's reaction to the abort) is the reason given.
      reject(reason);
      controller.abort(reason);
    }, timeoutMs);
  });
  try {
    const state = await Promise.race([readiness.check({ signal: controller.signal }), timeout]);
    return { name: readiness.name, status: 'ok', ...(typeof state === 'string' ? { state } : {}) };
  } catch (error) {
    return { name: readiness.name, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /health` (the process is alive) and `GET /ready` (every dependency answers within the timeout). */
export function healthRoutes(options: { checks: ReadinessCheck[]; timeoutMs: number }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { public: true },
        schema: {
          summary: 'The process is alive',
          tags: ['operations'],
          security: [],
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/ready',
      {
        config: { public: true },
        schema: {
          summary: 'Every dependency is reachable',
          tags: ['operations'],
          security: [],
          response: {
            200: z.object({ status: z.literal('ok'), checks: z.array(checkResult) }),
            503: errorResponseSchema.extend({ checks: z.array(checkResult) }),
          },
        },
      },
      async (_request, reply) => {
        const checks = await Promise.all(options.checks.map((check) => runCheck(check, options.timeoutMs)));
        const failed = checks.filter((check) => check.status === 'failed');
        if (failed.length === 0) return reply.code(200).send({ status: 'ok', checks });
        const reason = `unreachable: ${failed.map((check) => `${check.name} (${check.reason ?? 'failed'})`).join(', ')}`;
        const body: ErrorResponse & { checks: CheckResult[] } = { status: 503, code: 'not_ready', reason, checks };
        return reply.code(503).send(body);
      },
    );
  };
}
