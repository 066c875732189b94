import { pino } from 'pino';
import { createLogger } from '../create-logger.ts';
import { exitOnFatalError, runService } from '../run-service.ts';

// A service process for run-service.unit.spec.ts; argv[2] picks how it behaves.
const mode = process.argv[2] ?? 'normal';
// Written synchronously, so the lines come out in the order they were logged: with the default
// asynchronous stdout, the exit's flush can write the last lines before the one still being written.
const logger = createLogger({ name: 'fixture', destination: pino.destination({ dest: 1, sync: true }) });

await runService({
  name: 'fixture',
  logger,
  shutdownTimeoutMs: 500,
  start: async () => {
    if (mode === 'fail-start') throw new Error('database unreachable');
    const keepAlive = setInterval(() => {}, 60_000);
    if (mode === 'crash') setImmediate(() => Promise.reject(new Error('handler blew up')));
    if (mode === 'part-fatal') {
      setImmediate(() => exitOnFatalError({ logger, part: 'lead consumer' })(new Error('coordinator gone')));
    }
    return {
      stop: async () => {
        logger.info('stop called');
        if (mode === 'hang') await new Promise(() => {});
        clearInterval(keepAlive);
      },
    };
  },
});
