import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '@l2o/contracts';
import { fromKafkaMessage, toKafkaMessage } from './cloud-event.codec.ts';
import { EnvelopeDecodeError } from './errors.ts';

const event: CloudEvent<{ leadId: string; email: string }> = {
  specversion: '1.0',
  id: '0b7a4c1e-6a52-4d7e-9a53-3c1f0c8e9f10',
  type: 'l2o.lead.captured.v1',
  source: '/l2o/ingestion',
  subject: 'lead-42',
  time: '2025-03-01T10:00:00.000Z',
  datacontenttype: 'application/json',
  tenantid: 'tenant-a',
  streamversion: 3,
  correlationid: 'corr-1',
  causationid: 'cmd-1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  tracestate: 'vendor=abc',
  data: { leadId: 'lead-42', email: 'ada@example.com' },
};

/** The message as a consumer sees it: header values and value as buffers. */
function asConsumed(message: { key: string; value: string; headers: Record<string, string> }) {
  return {
    key: Buffer.from(message.key),
    value: Buffer.from(message.value),
    headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, Buffer.from(value)])),
  };
}

function decodeError(headers: Record<string, string>, value: string | null = '{}'): EnvelopeDecodeError {
  try {
    fromKafkaMessage({ value, headers });
  } catch (error) {
    if (error instanceof EnvelopeDecodeError) return error;
    throw error;
  }
  throw new Error('expected a decode error');
}

describe('CloudEvents Kafka codec', () => {
  describe('when encoding', () => {
    it('puts the attributes in binary-mode headers and the data in the value', () => {
      const message = toKafkaMessage(event, 'lead-42');
      expect(message.key).toBe('lead-42');
      expect(JSON.parse(message.value)).toEqual(event.data);
      expect(message.headers).toEqual({
        ce_specversion: '1.0',
        ce_id: event.id,
        ce_type: 'l2o.lead.captured.v1',
        ce_source: '/l2o/ingestion',
        ce_subject: 'lead-42',
        ce_time: '2025-03-01T10:00:00.000Z',
        'content-type': 'application/json',
        ce_tenantid: 'tenant-a',
        ce_streamversion: '3',
        ce_correlationid: 'corr-1',
        ce_causationid: 'cmd-1',
        traceparent: event.traceparent,
        tracestate: 'vendor=abc',
      });
    });

    it('leaves out the optional attributes an event does not have', () => {
      const { correlationid: _c, causationid: _k, traceparent: _t, tracestate: _s, ...bare } = event;
      const headers = toKafkaMessage(bare, 'lead-42').headers;
      expect(Object.keys(headers)).not.toEqual(expect.arrayContaining(['ce_correlationid']));
      expect(headers).not.toHaveProperty('traceparent');
      expect(headers).not.toHaveProperty('ce_causationid');
    });
  });

  describe('when decoding', () => {
    it('round-trips every attribute and the data', () => {
      expect(fromKafkaMessage(asConsumed(toKafkaMessage(event, 'lead-42')))).toEqual(event);
    });

    it('accepts a content type with parameters', () => {
      const message = toKafkaMessage(event, 'lead-42');
      message.headers['content-type'] = 'application/json; charset=utf-8';
      expect(fromKafkaMessage(message).datacontenttype).toBe('application/json');
    });

    it('drops an invalid traceparent instead of rejecting the event', () => {
      const message = toKafkaMessage(event, 'lead-42');
      message.headers.traceparent = 'not-a-trace';
      const decoded = fromKafkaMessage(message);
      expect(decoded.traceparent).toBeUndefined();
      expect(decoded.tracestate).toBeUndefined();
    });

    it.each([
      'ce_id',
      'ce_type',
      'ce_source',
      'ce_subject',
      'ce_time',
      'ce_tenantid',
      'ce_streamversion',
      'ce_specversion',
      'content-type',
    ])('names the missing header %s', (header) => {
      const headers = toKafkaMessage(event, 'lead-42').headers;
      delete headers[header];
      const error = decodeError(headers);
      expect(error.header).toBe(header);
      expect(error.message).toContain(`missing header ${header}`);
    });

    it.each([
      ['ce_streamversion', 'three'],
      ['ce_streamversion', '-1'],
      ['ce_time', 'yesterday'],
      ['ce_specversion', '0.3'],
      ['content-type', 'application/xml'],
      ['ce_id', ''],
    ])('names the invalid header %s (%j)', (header, value) => {
      const headers = { ...toKafkaMessage(event, 'lead-42').headers, [header]: value };
      const error = decodeError(headers);
      expect(error.header).toBe(header);
      expect(error.message).toContain(`invalid header ${header}`);
    });

    it('rejects a header that appears twice', () => {
      const message = toKafkaMessage(event, 'lead-42');
      expect(() =>
        fromKafkaMessage({ value: message.value, headers: { ...message.headers, ce_id: ['a', 'b'] } }),
      ).toThrow(/invalid header ce_id: present 2 times/);
    });

    it('reports every bad header in one message', () => {
      const headers = toKafkaMessage(event, 'lead-42').headers;
      delete headers.ce_id;
      delete headers.ce_tenantid;
      expect(decodeError(headers).message).toBe('missing header ce_id; missing header ce_tenantid');
    });

    it('rejects a value that is not JSON', () => {
      const headers = toKafkaMessage(event, 'lead-42').headers;
      expect(decodeError(headers, '{not json').message).toMatch(/^message value is not valid JSON/);
    });

    it('rejects a tombstone', () => {
      const headers = toKafkaMessage(event, 'lead-42').headers;
      expect(decodeError(headers, null).message).toMatch(/missing message value/);
    });
  });

  describe('when decoding an intake message', () => {
    // As an external producer writes it: no stream version, no subject.
    const intakeHeaders = {
      ce_specversion: '1.0',
      ce_id: 'partner-7f3a',
      ce_type: 'l2o.lead-intake.submitted.v1',
      ce_source: '/partner/portal',
      ce_time: '2025-03-01T10:00:00Z',
      ce_tenantid: 'tenant-a',
      'content-type': 'application/json',
    };
    const submission = { email: 'ada@example.com' };

    function intakeError(headers: Record<string, string>): EnvelopeDecodeError {
      try {
        fromKafkaMessage({ value: JSON.stringify(submission), headers }, { envelope: 'intake' });
      } catch (error) {
        if (error instanceof EnvelopeDecodeError) return error;
        throw error;
      }
      throw new Error('expected a decode error');
    }

    it('accepts it without ce_subject and ce_streamversion, the subject falling back to the id', () => {
      const consumed = asConsumed({ key: 'partner-7f3a', value: JSON.stringify(submission), headers: intakeHeaders });
      const decoded = fromKafkaMessage(consumed, { envelope: 'intake' });
      expect(decoded).toEqual({
        specversion: '1.0',
        id: 'partner-7f3a',
        type: 'l2o.lead-intake.submitted.v1',
        source: '/partner/portal',
        subject: 'partner-7f3a',
        time: '2025-03-01T10:00:00Z',
        datacontenttype: 'application/json',
        tenantid: 'tenant-a',
        streamversion: 0,
        data: submission,
      });
    });

    it("keeps the producer's ce_subject and ignores a ce_streamversion, valid or not", () => {
      const headers = { ...intakeHeaders, ce_subject: 'crm-record-9', ce_streamversion: 'seven' };
      const decoded = fromKafkaMessage({ value: JSON.stringify(submission), headers }, { envelope: 'intake' });
      expect(decoded.subject).toBe('crm-record-9');
      expect(decoded.streamversion).toBe(0);
    });

    it('still rejects the same message as an aggregate event, naming the headers it lacks', () => {
      expect(decodeError(intakeHeaders).message).toBe('missing header ce_subject; missing header ce_streamversion');
    });

    it.each(['ce_id', 'ce_tenantid', 'ce_type', 'ce_source', 'ce_time', 'ce_specversion', 'content-type'])(
      'names the missing header %s',
      (header) => {
        const headers: Record<string, string> = { ...intakeHeaders };
        delete headers[header];
        const error = intakeError(headers);
        expect(error.header).toBe(header);
        expect(error.message).toBe(`missing header ${header}`);
      },
    );

    it.each([
      ['ce_id', ''],
      ['ce_tenantid', ''],
      ['ce_subject', ''],
      ['ce_time', 'yesterday'],
    ])('names the invalid header %s (%j)', (header, value) => {
      const error = intakeError({ ...intakeHeaders, [header]: value });
      expect(error.header).toBe(header);
      expect(error.message).toContain(`invalid header ${header}`);
    });
  });
});
