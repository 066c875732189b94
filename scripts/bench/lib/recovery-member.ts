// One consumer group member of scripts/bench/consumer-recovery.ts, in a process of its own so the
// benchmark can SIGKILL it. It starts the way the services do (startInBackground + runConsumer) and
// prints one JSON line per step on stdout: started, ready, handled (with the event id), stopped.
//   node scripts/bench/lib/recovery-member.ts --topic T --group G --session-timeout 10000 --heartbeat 3000
// SIGTERM stops it gracefully (leaving the group), as runService does.
import { parseArgs } from 'node:util';
import { runConsumer, startInBackground } from '@l2o/bus';
import { kafkaBrokers } from '@l2o/testing';

const { values } = parseArgs({
  options: {
    topic: { type: 'string' },
    group: { type: 'string' },
    'session-timeout': { type: 'string' },
    heartbeat: { type: 'string' },
  },
});
const sessionTimeoutMs = Number(values['session-timeout']);
const heartbeatIntervalMs = Number(values.heartbeat);
if (values.topic === undefined || values.group === undefined || !(sessionTimeoutMs > heartbeatIntervalMs)) {
  console.error(
    'usage: recovery-member.ts --topic T --group G --session-timeout MS --heartbeat MS (below the timeout)',
  );
  process.exit(2);
}

const emit = (step: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ step, ...fields })}\n`);
};

// Listened for first: a SIGTERM right after the start must still stop the member gracefully.
const terminated = Promise.withResolvers<void>();
process.once('SIGTERM', () => terminated.resolve());

const consumer = startInBackground({
  name: 'recovery member',
  onFatalError: (error) => {
    emit('failed', { reason: error.message });
    process.exit(1);
  },
  start: (onFatalError) =>
    runConsumer({
      brokers: kafkaBrokers(),
      groupId: values.group ?? '',
      topics: [values.topic ?? ''],
      timing: { sessionTimeoutMs, heartbeatIntervalMs, maxWaitTimeMs: 100 },
      deadLetter: { ensureTopics: false },
      handle: async ({ event }) => emit('handled', { id: event.id }),
      onFatalError,
    }),
});
consumer.ready.then(
  () => emit('ready'),
  () => undefined,
);
void terminated.promise.then(async () => {
  const stopping = performance.now();
  const state = consumer.state();
  await consumer.stop();
  emit('stopped', { ms: Math.round(performance.now() - stopping), stateAtStop: state });
  process.exit(0);
});
emit('started');
