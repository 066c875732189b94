import { describe, expect, it } from 'vitest';
import { leadCapturedV1Example } from '@l2o/contracts';
import { parseConsumedEvent } from './consumed-event.ts';
import { PermanentError } from './errors.ts';
import { makeEvent } from './kafka-test-support.ts';

const captured = makeEvent({
  subject: leadCapturedV1Example.leadId,
  streamversion: 1,
  type: 'l2o.lead.captured.v1',
  tenantid: leadCapturedV1Example.tenantId,
  data: leadCapturedV1Example,
});

describe('parseConsumedEvent', () => {
  it('gives the name and data of an event of a followed type', () => {
    expect(parseConsumedEvent(captured, ['LeadCaptured'])).toEqual({
      type: 'LeadCaptured',
      data: leadCapturedV1Example,
    });
  });

  it('throws a PermanentError with the reason for an event it cannot take', () => {
    const act = () => parseConsumedEvent({ ...captured, tenantid: 'globex' }, ['LeadCaptured']);
    expect(act).toThrow(PermanentError);
    expect(act).toThrow(`event ${captured.id}: data of tenant ${leadCapturedV1Example.tenantId} under tenant globex`);
  });
});
