import closeWithGrace from 'close-with-grace';
import type { Logger } from './create-logger.ts';

/** What `start` hands back: how to stop everything it started. */
export type RunningService = { stop: () => Promise<void> };

export type RunServiceOptions = {
  name: string;
  logger: Logger;
  /** Connects, starts consumers and listens; a rejection stops the process with exit code 1. */
  start: () => Promise<RunningService>;
  /** How long `stop` may take after SIGTERM or SIGINT before the process exits 1 anyway. Default 10 000. */
  shutdownTimeoutMs?: number;
};

/**
 * Runs a service process: starts it, and on SIGTERM or SIGINT stops it within the timeout and exits 0.
 * An uncaught exception or unhandled rejection is logged as fatal, the service is stopped, and the
 * process exits 1. A second signal during shutdown exits 1 at once.
 */
export async function runService(options: RunServiceOptions): Promise<void> {
  const { name, logger } = options;
  let started: Promise<RunningService | undefined> = Promise.resolve(undefined);

  closeWithGrace(
    {
      delay: options.shutdownTimeoutMs ?? 10_000,
      logger: {
        error: (problem: unknown) =>
          typeof problem === 'string'
            ? logger.error(`${name}: ${problem}`)
            : logger.error({ err: problem }, `${name} failed while stopping`),
      },
      onTimeout: (delay) => logger.fatal(`${name} did not stop within ${delay} ms, exiting`),
    },
    async ({ signal, err }) => {
      if (err !== undefined) logger.fatal({ err }, `${name} crashed, stopping`);
      else logger.info({ signal }, `${name} stopping`);
      // A signal during start-up waits for start to finish, so nothing it opened is left behind.
      const service = await started;
      await service?.stop();
      logger.info(`${name} stopped`);
    },
  );

  started = options.start().then(
    (service) => {
      logger.info(`${name} started`);
      return service;
    },
    (error: unknown) => {
      logger.fatal({ err: error }, `${name} failed to start`);
      process.exit(1);
    },
  );
  await started;
}

/**
 * Stops a service's parts one after another in the given order (HTTP server first, so in-flight
 * requests drain; then consumers, so offsets are committed; then pools). A failing step is logged
 * and the rest still run; the call then rejects so the process exits 1.
 */
export async function stopInOrder(options: {
  steps: Array<{ name: string; stop: () => Promise<void> }>;
  logger: Logger;
}): Promise<void> {
  const failures: unknown[] = [];
  for (const step of options.steps) {
    try {
      await step.stop();
      options.logger.info(`${step.name} stopped`);
    } catch (error) {
      options.logger.error({ err: error }, `${step.name} failed to stop`);
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} part(s) failed to stop`);
}

/**
 * An `onFatalError` for a part that stopped for good and does not restart itself (the bus's consumer
 * gives up once its message stream failed and could not be reopened after several tries): logs
 * `<part> stopped for good` as fatal and exits 1. Crash-only on purpose: the supervisor restarts the
 * process, with every part fresh.
 */
export function exitOnFatalError(options: { logger: Logger; part: string }): (error: Error) => never {
  return (error) => {
    options.logger.fatal({ err: error }, `${options.part} stopped for good`);
    process.exit(1);
  };
}
