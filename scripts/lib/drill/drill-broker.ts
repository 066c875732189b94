// The drill's own Kafka broker, run by scripts/kafka on a port and data folder of its own: the drill
// restarts it, which it must never do to the demo's broker or the test suite's.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const kafkaScript = fileURLToPath(new URL('../../kafka', import.meta.url));

export type DrillBroker = {
  brokers: string[];
  start: () => Promise<void>;
  stop: () => Promise<void>;
};

export function drillBroker(options: { port: number; dataDir: string }): DrillBroker {
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
  };
}
