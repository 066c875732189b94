import { describe, expect, it } from 'vitest';
import { captureResponse } from './capture-lead.routes.ts';

describe('captureResponse', () => {
  const leadId = '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b';

  it('answers 201 to a new lead and 200 to a merged or duplicate one', () => {
    expect(captureResponse({ status: 'accepted', leadId })).toEqual({
      status: 201,
      body: { leadId, status: 'captured' },
    });
    expect(captureResponse({ status: 'merged', leadId, matchedBy: 'phone' })).toEqual({
      status: 200,
      body: { leadId, status: 'merged', matchedBy: 'phone' },
    });
    expect(captureResponse({ status: 'duplicate', leadId })).toEqual({
      status: 200,
      body: { leadId, status: 'duplicate' },
    });
  });

  it('answers 400 to an invalid lead and 409 to one the Lead refused, with the first field and every error', () => {
    const errors = [
      { field: 'email', reason: 'is not an email address' },
      { field: 'phone', reason: 'is too short' },
    ];
    expect(captureResponse({ status: 'rejected', errors })).toEqual({
      status: 400,
      body: { status: 400, code: 'validation_failed', field: 'email', reason: 'is not an email address', errors },
    });
    expect(captureResponse({ status: 'rejected', errors: errors.slice(0, 1), code: 'rule_violation' })).toMatchObject({
      status: 409,
      body: { code: 'rule_violation', field: 'email' },
    });
  });
});
