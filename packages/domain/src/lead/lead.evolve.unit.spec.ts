import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LeadEvent } from './lead.events.ts';
import { captureLead, capturedFrom, given, later } from './lead.fixture.ts';

const at = later.toISOString();

describe('Lead evolve', () => {
  const command = captureLead({
    captureId: 'c-1',
    data: { externalIds: [{ source: 'hubspot', id: '1' }], customFields: { seats: 10 } },
  });
  const { leadId } = command.data;
  const captured = capturedFrom(command);
  const touchpoint = { channel: 'api' as const, occurredAt: at };

  it('starts an active lead with the captured profile and capture id', () => {
    expect(given([captured])).toEqual({
      status: 'active',
      leadId,
      tenantId: 'acme',
      capturedAt: command.metadata.now.toISOString(),
      profile: {
        contact: { email: 'ada@example.com', firstName: 'Ada' },
        company: { name: 'Analytical Engines Ltd', country: 'GB' },
        consent: { marketing: true, optedOut: false },
        externalIds: [{ source: 'hubspot', id: '1' }],
        customFields: { seats: 10 },
      },
      appliedCaptureIds: ['c-1'],
      lifecycle: { stage: 'new', previousOwnerIds: [], responseSlaBreaches: 0 },
    });
  });

  it('rebuilds the applied capture ids from captures, touches, activities and absorbed merges, each once', () => {
    const mergedLeadId = randomUUID();
    const stream: LeadEvent[] = [
      captured,
      {
        type: 'LeadTouchRecorded',
        data: { leadId, tenantId: 'acme', recordedAt: at, touchpoint, matchedBy: 'email', captureId: 'c-2' },
      },
      { type: 'LeadTouchRecorded', data: { leadId, tenantId: 'acme', recordedAt: at, touchpoint, matchedBy: 'phone' } },
      {
        type: 'LeadActivityRecorded',
        data: {
          leadId,
          tenantId: 'acme',
          recordedAt: at,
          activity: { type: 'email_open', occurredAt: at },
          captureId: 'a-1',
        },
      },
      {
        type: 'LeadsMerged',
        data: {
          leadId,
          tenantId: 'acme',
          survivorLeadId: leadId,
          mergedLeadId,
          role: 'survivor',
          mergedAt: at,
          absorbedCaptureIds: ['m-1', 'c-2', 'm-2'],
        },
      },
    ];
    expect(given(stream)).toMatchObject({ status: 'active', appliedCaptureIds: ['c-1', 'c-2', 'a-1', 'm-1', 'm-2'] });
  });

  it('adds the fields of a profile update and keeps the rest', () => {
    const lead = given([
      captured,
      {
        type: 'LeadProfileUpdated',
        data: {
          leadId,
          tenantId: 'acme',
          updatedAt: at,
          source: 'capture',
          contact: { lastName: 'Lovelace' },
          company: { size: 120 },
          consent: { marketing: false, optedOut: true },
          externalIds: [{ source: 'salesforce', id: '9' }],
          customFields: { region: 'EMEA' },
        },
      },
    ]);
    expect(lead).toMatchObject({
      status: 'active',
      appliedCaptureIds: ['c-1'],
      profile: {
        contact: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
        company: { name: 'Analytical Engines Ltd', country: 'GB', size: 120 },
        consent: { marketing: false, optedOut: true },
        externalIds: [
          { source: 'hubspot', id: '1' },
          { source: 'salesforce', id: '9' },
        ],
        customFields: { seats: 10, region: 'EMEA' },
      },
    });
  });

  it('ends a merged lead with a pointer to its survivor', () => {
    const survivorLeadId = randomUUID();
    const merged: LeadEvent = {
      type: 'LeadsMerged',
      data: { leadId, tenantId: 'acme', survivorLeadId, mergedLeadId: leadId, role: 'merged', mergedAt: at },
    };
    expect(given([captured, merged])).toEqual({
      status: 'merged',
      leadId,
      tenantId: 'acme',
      mergedInto: survivorLeadId,
    });
  });

  it('ignores event types it does not know', () => {
    const state = given([captured]);
    const unknown = { type: 'LeadTeleported', data: {} } as unknown as LeadEvent;
    expect(given([captured, unknown])).toEqual(state);
  });
});
