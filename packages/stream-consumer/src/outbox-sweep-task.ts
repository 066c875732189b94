import { createPeriodicTask } from '@l2o/service-kit';
import type { Logger, PeriodicTask } from '@l2o/service-kit';
import type { StreamConsumerHandlers } from './stream-batch-handler.ts';

/**
 * The schedule every commanding consumer runs: sends again, every `intervalMs` (default 10 s), the
 * commands a committed batch kept but did not send (the process stopped, the store was unreachable).
 */
export function createOutboxSweepTask(options: {
  name: string;
  handlers: Pick<StreamConsumerHandlers, 'sweepOutbox'>;
  logger: Logger;
  intervalMs?: number;
}): PeriodicTask {
  return createPeriodicTask({
    name: options.name,
    intervalMs: options.intervalMs ?? 10_000,
    logger: options.logger,
    fullBatch: 500,
    tick: () => options.handlers.sweepOutbox(),
  });
}
