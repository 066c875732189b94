import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { fastify, LogController } from 'fastify';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawServerDefault,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { apiKeyAuthHook } from './api-key-auth.ts';
import type { AuthOptions } from './api-key-auth.ts';
import type { Logger } from './create-logger.ts';
import type { MetricsRegistry } from './create-metrics.ts';
import { toErrorResponse } from './error-response.ts';
import { healthRoutes, probePaths } from './health.routes.ts';
import type { ReadinessCheck } from './health.routes.ts';
import type { ErrorResponse } from './http-error.ts';
import { metricsRoutes } from './metrics.routes.ts';
import { measureRequests } from './request-metrics.ts';
import { traceRequests } from './request-tracing.ts';

/** A Fastify instance whose route schemas are zod schemas (validated, serialized and documented from them). */
export type ServiceServer = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type BuildServerOptions = {
  /** Service name, the OpenAPI title. */
  name: string;
  version: string;
  description?: string;
  logger: Logger;
  /** Dependencies `/ready` checks; none means ready whenever alive. */
  readiness?: ReadinessCheck[];
  /** How long `/ready` waits for each check; keep it under the orchestrator's probe timeout. Default 2000. */
  readinessTimeoutMs?: number;
  /** API key authentication for every route not marked `config: { public: true }`. */
  auth?: AuthOptions;
  /** The service's routes; they can also be registered on the returned instance before `ready()`. */
  routes?: FastifyPluginAsyncZod;
  /**
   * The process's Prometheus registry (see `createMetrics`): served at `GET /metrics` and given the
   * request histogram `l2o_http_request_duration_seconds`. Without it there is no `/metrics`.
   */
  metrics?: MetricsRegistry;
};

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** Trusts a caller's `x-request-id` only when it is short and plain, so it cannot forge log lines. */
function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && requestIdPattern.test(header) ? header : randomUUID();
}

function isPublicRoute(request: FastifyRequest): boolean {
  return request.routeOptions.config.public === true || (request.routeOptions.url ?? '').startsWith('/docs');
}

// Fastify's default, named so the refusal can say it; every id the services take is shorter.
const maxParamLength = 100;

const beforeRoutingReasons: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not valid percent-encoded UTF-8; encode each path segment with encodeURIComponent',
  FST_ERR_MAX_PARAM_LENGTH: `a path parameter is longer than ${maxParamLength} characters`,
};

/**
 * Errors Fastify raises before a route is found (a URL that does not decode, a path parameter over
 * the length limit) skip the error handler; without this they answer in Fastify's own body shape.
 */
function refuseBeforeRouting(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = toErrorResponse(error);
  const body: ErrorResponse = { ...mapped, reason: beforeRoutingReasons[error.code] ?? mapped.reason };
  request.log.info({ code: body.code, reason: body.reason }, 'request refused');
  void reply.code(body.status).send(body);
}

/**
 * Builds a service's HTTP app without listening (tests `inject()` into it; `main.ts` listens):
 * zod validation and serialization, OpenAPI at `/docs` (`/docs/json`), `/health`, `/ready`,
 * request ids (`x-request-id`), optional API key auth, a SERVER span per request that continues
 * the caller's `traceparent` (see `startTelemetry`), Prometheus metrics at `/metrics` when given a
 * registry, and one error body for every error: `{status, code, field?, reason}` (see {@link ErrorResponse}).
 */
export async function buildServer(options: BuildServerOptions): Promise<ServiceServer> {
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app: ServiceServer = fastify({
    loggerInstance,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: (request) => probePaths.has(request.url),
    }),
    genReqId: requestIdOf,
    routerOptions: { maxParamLength },
    frameworkErrors: refuseBeforeRouting,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error, request, reply) => {
    const body = toErrorResponse(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, field: body.field, reason: body.reason }, 'request refused');
    return reply.code(body.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorResponse = {
      status: 404,
      code: 'not_found',
      reason: `no route for ${request.method} ${request.url}`,
    };
    return reply.code(404).send(body);
  });

  traceRequests(app);
  if (options.metrics !== undefined) measureRequests(app, options.metrics);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (options.auth !== undefined) app.addHook('onRequest', apiKeyAuthHook(options.auth, isPublicRoute));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.name,
        version: options.version,
        ...(options.description ? { description: options.description } : {}),
      },
      ...(options.auth === undefined
        ? {}
        : {
            components: {
              securitySchemes: {
                apiKey: {
                  type: 'http',
                  scheme: 'bearer',
                  description: 'A tenant API key: `Authorization: Bearer <key>`',
                },
                apiKeyHeader: {
                  type: 'apiKey',
                  in: 'header',
                  name: 'x-api-key',
                  description: 'The same key in a header',
                },
              },
            },
            security: [{ apiKey: [] }, { apiKeyHeader: [] }],
          }),
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(healthRoutes({ checks: options.readiness ?? [], timeoutMs: options.readinessTimeoutMs ?? 2000 }));
  if (options.metrics !== undefined) await app.register(metricsRoutes({ registry: options.metrics }));
  if (options.routes !== undefined) await app.register(options.routes);
  return app;
}
