// A Kafka broker of a script's own, run by scripts/kafka on a port and data folder of its own: the
// drill restarts it and the end-to-end benchmark loads it, which neither may do to the demo's broker
// or the test suite's.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const kafkaScript = fileURLToPath(new URL('../../kafka', import.meta.url));

export type LocalBroker = {
  brokers: string[];
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** The broker's JVM, while it runs. */
  pid: () => Promise<number | undefined>;
};

export function localBroker(options: { port: number; dataDir: string }): LocalBroker {
  const env = { ...process.env, KAFKA_PORT: String(options.port), KAFKA_DATA_DIR: options.dataDir };
  const kafka = async (command: 'start' | 'stop') => {
    try {
      await run(kafkaScript, [command], { env, timeout: 120_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`scripts/kafka ${command} on port ${options.port} failed: ${stderr.trim() || String(error)}`, {
        cause: error,
      });
    }
  };
  return {
    brokers: [`127.0.0.1:${options.port}`],
    start: () => kafka('start'),
    stop: () => kafka('stop'),
    // scripts/kafka execs the JVM in place of the shell whose pid it records.
    pid: () =>
      readFile(join(options.dataDir, 'broker.pid'), 'utf8').then(
        (text) => Number(text.trim()) || undefined,
        () => undefined,
      ),
  };
}
