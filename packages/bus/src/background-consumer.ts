import type { ConsumerRunner } from './consumer-runner.ts';
import { silentLogger } from './logger.ts';
import type { BusLogger } from './logger.ts';

/**
 * Where a consumer started in the background stands. `joining` covers connecting, creating its
 * dead-letter topics and joining the group, which after a crash waits out the dead member's session.
 */
export type ConsumerState = 'joining' | 'consuming' | 'stopping' | 'stopped' | 'failed';

/** A consumer whose start goes on behind the service's HTTP server; see {@link startInBackground}. */
export type BackgroundConsumer = ConsumerRunner & {
  name: string;
  state(): ConsumerState;
};

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Starts a consumer without waiting for it, so a service serves HTTP while its consumer connects and
 * joins its group, and catches up behind. `start` gets the `onFatalError` to hand to the runner; it is
 * also called when `start` itself fails. `ready` settles as the runner's does. `stop()` first lets a
 * start in progress finish (the client cannot leave a group it is still joining), then stops the
 * runner, so the member leaves the group, drains in-flight work and commits what was processed.
 */
export function startInBackground(options: {
  /** Names the consumer in logs and in `/ready`. */
  name: string;
  start: (onFatalError: (error: Error) => void) => Promise<ConsumerRunner>;
  /** Called once when the consumer stops for good; the process should exit. */
  onFatalError: (error: Error) => void;
  logger?: BusLogger;
}): BackgroundConsumer {
  const { name } = options;
  const logger = options.logger ?? silentLogger;
  let state: ConsumerState = 'joining';
  let stopRequested = false;
  let failed = false;
  const fail = (error: Error): void => {
    state = 'failed';
    if (stopRequested || failed) return;
    failed = true;
    options.onFatalError(error);
  };

  const started = options.start(fail);
  const ready = started.then((runner) => runner.ready);
  ready.catch(() => undefined);
  started.then(
    (runner) =>
      runner.ready.then(
        () => {
          if (state !== 'joining') return;
          state = 'consuming';
          logger.info({ consumer: name }, 'consumer joined its group and is consuming');
        },
        // The runner has already reported a fatal failure through `fail`, or it was stopped.
        () => undefined,
      ),
    (error: unknown) => {
      if (stopRequested) return;
      logger.error({ consumer: name, err: error }, 'consumer could not start');
      fail(asError(error));
    },
  );

  let stopped: Promise<void> | undefined;
  return {
    name,
    ready,
    state: () => state,
    stop() {
      stopped ??= (async () => {
        stopRequested = true;
        if (state === 'joining') logger.info({ consumer: name }, 'waiting for the group join to finish, then leaving');
        if (state !== 'failed') state = 'stopping';
        const runner = await started.catch(() => undefined);
        try {
          await runner?.stop();
        } finally {
          if (state !== 'failed') state = 'stopped';
        }
      })();
      return stopped;
    },
  };
}
