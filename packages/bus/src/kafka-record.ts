import type { Message, MessageToProduce } from '@platformatic/kafka';
import type { MessageHeaders } from './cloud-event.codec.ts';
import type { DeadLetterMessage } from './dead-letter.ts';

/** A consumed record as the codec, the trace context and the dead-letter copy read it. */
export type KafkaRecord = {
  key: Buffer | null;
  value: Buffer | null;
  headers: MessageHeaders;
  /** The offset as a decimal string. */
  offset: string;
};

/**
 * The record of a message consumed without deserializers. A header the record repeats keeps all of its
 * values, so the codec can refuse it as ambiguous instead of silently reading one copy.
 */
export function toKafkaRecord(message: Message): KafkaRecord {
  const headers: Record<string, Buffer | Buffer[]> = {};
  for (const [name, value] of message.headerEntries) {
    // A header without a value (null on the wire) carries nothing the bus reads.
    if (value === undefined || value === null) continue;
    const header = name.toString();
    const previous = headers[header];
    if (previous === undefined) headers[header] = value;
    else headers[header] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return { key: message.key ?? null, value: message.value ?? null, headers, offset: message.offset.toString() };
}

/** A dead letter as a producer without serializers sends it; each value of a repeated header stays a header of its own. */
export function toProducedRecord(topic: string, message: DeadLetterMessage): MessageToProduce {
  const headers = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const part of Array.isArray(value) ? value : [value]) headers.set(Buffer.from(name), Buffer.from(part));
  }
  return {
    topic,
    ...(message.key === null ? {} : { key: Buffer.from(message.key) }),
    ...(message.value === null ? {} : { value: Buffer.from(message.value) }),
    headers,
  };
}
