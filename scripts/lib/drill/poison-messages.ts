// Messages no consumer can ever process, sent to the intake topic with a plain Kafka producer the way
// a broken external producer would, followed by one valid submission on the same key: the intake must
// dead-letter each poison message exactly once and move on to the valid one.
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { Message } from 'kafkajs';
import { leadSubmittedV1Type } from '@l2o/contracts';

const { Kafka, logLevel } = kafkajs;

/** Marks every message the drill injects, so the dead-letter topics can be matched against what was sent. */
export const poisonHeader = 'drill_poison';

export const poisonKinds = [
  'invalid-json',
  'missing-ce-headers',
  'nul-in-field',
  'unknown-tenant',
  'unsupported-type',
  'no-email-or-phone',
] as const;
export type PoisonKind = (typeof poisonKinds)[number];

export type InjectedIntake = {
  poison: Array<{ kind: PoisonKind; id: string }>;
  /** The valid submission sent after the poison; its capture shows the partition moved on. */
  control: { id: string; email: string };
  sentAt: number;
};

function headers(options: { id: string; tenantId: string; kind: string; type?: string }): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: options.id,
    ce_type: options.type ?? leadSubmittedV1Type,
    ce_source: '/l2o/fault-drill',
    ce_time: new Date().toISOString(),
    ce_tenantid: options.tenantId,
    'content-type': 'application/json',
    [poisonHeader]: options.kind,
  };
}

function submission(email: string, firstName = 'Poison'): string {
  return JSON.stringify({ email, firstName, lastName: 'Drill', touchpoint: { source: 'fault-drill' } });
}

function poisonMessage(options: {
  kind: PoisonKind;
  id: string;
  tenantId: string;
  runId: string;
  key: string;
}): Message {
  const { kind, id, tenantId, runId, key } = options;
  const email = `${kind}.${runId}@poison.example`;
  switch (kind) {
    case 'invalid-json':
      return { key, value: '{"email": "broken', headers: headers({ id, tenantId, kind }) };
    case 'missing-ce-headers':
      return { key, value: submission(email), headers: { [poisonHeader]: kind } };
    case 'nul-in-field':
      return { key, value: submission(email, 'Nul\u0000Byte'), headers: headers({ id, tenantId, kind }) };
    case 'unknown-tenant':
      return { key, value: submission(email), headers: headers({ id, tenantId: `unknown-${runId}`, kind }) };
    case 'unsupported-type':
      return {
        key,
        value: submission(email),
        headers: headers({ id, tenantId, kind, type: 'l2o.lead-intake.bogus.v1' }),
      };
    case 'no-email-or-phone':
      return { key, value: JSON.stringify({ firstName: 'Nobody' }), headers: headers({ id, tenantId, kind }) };
  }
}

/** Sends one message of each poison kind and then a valid submission, all on one key (one partition, in order). */
export async function injectPoison(options: {
  brokers: string[];
  topic: string;
  tenantId: string;
  runId: string;
}): Promise<InjectedIntake> {
  const key = `drill-poison-${options.runId}`;
  const poison = poisonKinds.map((kind) => ({ kind, id: randomUUID() }));
  const control = { id: randomUUID(), email: `control.${options.runId}@intake.example` };
  const messages: Message[] = [
    ...poison.map(({ kind, id }) => poisonMessage({ kind, id, tenantId: options.tenantId, runId: options.runId, key })),
    {
      key,
      value: submission(control.email, 'Control'),
      headers: headers({ id: control.id, tenantId: options.tenantId, kind: 'control' }),
    },
  ];
  const producer = new Kafka({
    brokers: options.brokers,
    clientId: 'l2o-fault-drill',
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  try {
    await producer.send({ topic: options.topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
  return { poison, control, sentAt: Date.now() };
}
