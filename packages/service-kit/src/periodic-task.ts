import type { Logger } from './create-logger.ts';

/** A tick that runs on a schedule between `start()` and `stop()`, never two at once. */
export type PeriodicTask = {
  /** Runs one tick now (tests call it with a fixed clock); resolves with what the tick reports done. */
  tick(): Promise<number>;
  start(): void;
  /** Stops the schedule and waits for a running tick. */
  stop(): Promise<void>;
};

/**
 * The one scheduler behind every timer loop (first-response and stage SLAs, rescoring, recomputes,
 * outbox sweeps). A tick that did a full batch (`done >= fullBatch`) is followed at once by another, so
 * a backlog drains at full speed; otherwise the next waits `intervalMs`. A failing tick is logged and
 * the schedule goes on: durable work (due-time rows, outbox rows) stays where it was and is retried.
 */
export function createPeriodicTask(options: {
  name: string;
  intervalMs: number;
  tick: () => Promise<number>;
  logger: Logger;
  /** A tick reporting at least this much runs again without waiting (default: never). */
  fullBatch?: number;
}): PeriodicTask {
  const { logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let started = false;

  const schedule = (delayMs: number): void => {
    if (!started) return;
    timer = setTimeout(() => {
      running = options
        .tick()
        .then(
          (done) => done >= (options.fullBatch ?? Number.POSITIVE_INFINITY),
          (error: unknown) => {
            logger.error({ err: error, task: options.name }, `${options.name} failed; retrying on schedule`);
            return false;
          },
        )
        .then((more) => schedule(more ? 0 : options.intervalMs))
        .finally(() => (running = undefined));
    }, delayMs);
    timer.unref();
  };

  return {
    tick: options.tick,
    start() {
      if (started) return;
      started = true;
      // The first tick runs at once: after a restart, due work should not wait a whole interval.
      schedule(0);
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      await running;
    },
  };
}
