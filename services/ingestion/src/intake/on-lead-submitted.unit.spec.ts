import { describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import type { ConsumedEvent } from '@l2o/bus';
import type { CaptureInput, CaptureResult, LeadCapturer } from '../capture/lead-capturer.ts';
import { onLeadSubmitted } from './on-lead-submitted.ts';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function consumed(event: Partial<ConsumedEvent['event']> = {}): ConsumedEvent {
  return {
    event: {
      specversion: '1.0',
      id: 'partner-7f3a',
      type: 'l2o.lead-intake.submitted.v1',
      source: '/partner/portal',
      subject: 'partner-7f3a',
      time: '2025-03-14T09:26:53Z',
      datacontenttype: 'application/json',
      tenantid: 'acme',
      streamversion: 0,
      traceparent,
      data: { email: 'ada@example.com' },
      ...event,
    },
    topic: 'l2o.lead-intake.v1',
    partition: 0,
    offset: '0',
    key: null,
    attempt: 1,
  };
}

/** A capturer that records what it was asked and answers `result`. */
function fakeCapturer(result: CaptureResult): LeadCapturer & { inputs: CaptureInput[] } {
  const inputs: CaptureInput[] = [];
  return {
    inputs,
    capture: async (input) => {
      inputs.push(input);
      return result;
    },
  };
}

async function failureOf(promise: Promise<void>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected the handler to fail');
}

describe('onLeadSubmitted', () => {
  it('captures the data for the tenant on the kafka_intake channel, idempotent by the event id', async () => {
    const capturer = fakeCapturer({ status: 'accepted', leadId: 'lead-1' });
    await onLeadSubmitted({ capturer })(consumed());
    expect(capturer.inputs).toEqual([
      {
        tenantId: 'acme',
        submission: { email: 'ada@example.com' },
        defaultChannel: 'kafka_intake',
        captureId: 'intake:partner-7f3a',
        correlationId: 'partner-7f3a',
        causationId: 'partner-7f3a',
        traceparent,
      },
    ]);
  });

  it("keeps the producer's correlation id", async () => {
    const capturer = fakeCapturer({ status: 'accepted', leadId: 'lead-1' });
    await onLeadSubmitted({ capturer })(consumed({ correlationid: 'order-77' }));
    expect(capturer.inputs[0]?.correlationId).toBe('order-77');
  });

  it.each<CaptureResult>([
    { status: 'merged', leadId: 'lead-1', matchedBy: 'email' },
    { status: 'duplicate', leadId: 'lead-1' },
  ])('is done when the capture is $status', async (result) => {
    await expect(onLeadSubmitted({ capturer: fakeCapturer(result) })(consumed())).resolves.toBeUndefined();
  });

  it('dead-letters a rejected submission with every field and reason', async () => {
    const capturer = fakeCapturer({
      status: 'rejected',
      code: 'validation_failed',
      errors: [
        { field: 'email', reason: 'Invalid email address' },
        { field: 'company.country', reason: 'is not a known country' },
      ],
    });
    const error = await failureOf(onLeadSubmitted({ capturer })(consumed()));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe(
      'lead submission rejected: email: Invalid email address; company.country: is not a known country',
    );
  });

  it('dead-letters a submission the lead refuses, saying so', async () => {
    const capturer = fakeCapturer({
      status: 'rejected',
      code: 'rule_violation',
      errors: [{ field: 'consent.marketing', reason: 'an opted-out person cannot consent to marketing' }],
    });
    const error = await failureOf(onLeadSubmitted({ capturer })(consumed()));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/^lead submission refused by the lead: consent\.marketing: /);
  });

  it('dead-letters a type it does not know instead of skipping it, and captures nothing', async () => {
    const capturer = fakeCapturer({ status: 'accepted', leadId: 'lead-1' });
    const error = await failureOf(onLeadSubmitted({ capturer })(consumed({ type: 'l2o.lead-intake.submited.v1' })));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe(
      'unsupported ce_type "l2o.lead-intake.submited.v1": expected l2o.lead-intake.submitted.v1',
    );
    expect(capturer.inputs).toEqual([]);
  });
});
