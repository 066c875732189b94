import { describe, expect, it } from 'vitest';
import { dlqTopic, withNamespace } from '@l2o/contracts';
import { toDeadLetterMessage } from './dead-letter.ts';
import { PermanentError } from './errors.ts';

describe('toDeadLetterMessage', () => {
  const message = { key: Buffer.from('lead-1'), value: Buffer.from('{"x":1}'), headers: { ce_id: Buffer.from('e-1') } };

  it('keeps key, value and headers and adds where and why it failed', () => {
    const deadLetter = toDeadLetterMessage({
      message,
      topic: 'l2o.lead.v1',
      partition: 2,
      offset: '17',
      error: new PermanentError('lead does not exist'),
      attempts: 1,
      failedAt: new Date('2025-03-01T10:00:00Z'),
    });
    expect(deadLetter.key).toBe(message.key);
    expect(deadLetter.value).toBe(message.value);
    expect(deadLetter.headers).toEqual({
      ce_id: message.headers.ce_id,
      dlq_reason: 'lead does not exist',
      dlq_error: 'PermanentError',
      dlq_original_topic: 'l2o.lead.v1',
      dlq_original_partition: '2',
      dlq_original_offset: '17',
      dlq_attempts: '1',
      dlq_failed_at: '2025-03-01T10:00:00.000Z',
    });
  });

  it('truncates a very long reason', () => {
    const deadLetter = toDeadLetterMessage({
      message,
      topic: 't',
      partition: 0,
      offset: '0',
      error: new Error('x'.repeat(100_000)),
      attempts: 5,
      failedAt: new Date(),
    });
    expect(String(deadLetter.headers?.dlq_reason).length).toBeLessThanOrEqual(8_001);
  });
});

describe('dead-letter topic names', () => {
  it('gives each group its own topic, inside the namespace of the original', () => {
    expect(dlqTopic(withNamespace('l2o.lead.v1', 'ci-42'), 'projections')).toBe('ci-42.l2o.lead.v1.dlq.projections');
    expect(dlqTopic(withNamespace('l2o.lead.v1', ''), 'scoring')).toBe('l2o.lead.v1.dlq.scoring');
  });

  it('rejects a group id that cannot be part of a topic name', () => {
    expect(() => dlqTopic('l2o.lead.v1', 'my group')).toThrow(/invalid dead-letter topic name/);
  });
});
