import { describe, expect, it } from 'vitest';
import type { LeadTouchpoint, OpportunityStage } from '@l2o/contracts';
import type { ActiveLead } from '@l2o/domain';
import { opportunityOpening } from './opportunity-opening.ts';

const now = new Date('2025-04-07T14:05:00.000Z');
const firstStage: OpportunityStage = {
  id: 'qualification',
  name: 'Qualification',
  probability: 10,
  forecastCategory: 'pipeline',
  position: 0,
};
const terms = { by: 'rep-ines', amount: 48_000, currency: 'EUR', expectedCloseDate: '2025-06-30' };

function lead(profile: Partial<ActiveLead['profile']> = {}): ActiveLead {
  return {
    status: 'active',
    leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
    tenantId: 'acme',
    capturedAt: '2025-03-14T09:26:53.000Z',
    profile: {
      contact: { email: 'ada@example.com', phone: '+442079460000', firstName: 'Ada', lastName: 'Lovelace' },
      company: { name: 'Analytical Engines Ltd', website: 'https://example.com', size: 120, country: 'GB' },
      externalIds: [],
      customFields: {},
      ...profile,
    },
    appliedCaptureIds: [],
    lifecycle: {
      stage: 'sql',
      owner: { ownerId: 'rep-ines', poolId: 'emea', assignedAt: '2025-03-15T08:00:00.000Z' },
      previousOwnerIds: [],
      responseSlaBreaches: 0,
    },
  };
}

const open = (options: { lead?: ActiveLead; touchpoint?: LeadTouchpoint; name?: string } = {}) =>
  opportunityOpening({
    lead: options.lead ?? lead(),
    touchpoint: options.touchpoint,
    terms: { ...terms, ...(options.name === undefined ? {} : { name: options.name }) },
    opportunityId: 'b5aa9e68-2b92-5c34-ab3d-6bae41a072f8',
    pipelineId: 'new-business',
    firstStage,
    now,
  });

describe('opportunity opening', () => {
  it('carries the terms, the owner and the first stage', () => {
    expect(open().data).toMatchObject({
      tenantId: 'acme',
      leadId: '0b6f3c2e-5d4a-4f1b-9c8e-2a7d6e5f4c3b',
      ownerId: 'rep-ines',
      amount: 48_000,
      currency: 'EUR',
      expectedCloseDate: '2025-06-30',
      pipelineId: 'new-business',
      stage: firstStage,
      fields: {},
    });
  });

  it('takes the lead’s company and contact in the shape the opportunity contract has', () => {
    const { company, contact } = open().data;

    expect(company).toEqual({ name: 'Analytical Engines Ltd', country: 'GB', employees: 120 });
    expect(contact).toEqual({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
  });

  it('takes the channel and campaign of the capture, the campaign from the UTM when the touchpoint has none', () => {
    const touchpoint: LeadTouchpoint = {
      channel: 'ad',
      utm: { campaign: 'spring-webinar' },
      occurredAt: '2025-03-14T09:26:41.000Z',
    };

    expect(open({ touchpoint }).data.source).toEqual({ channel: 'ad', campaign: 'spring-webinar' });
    expect(open().data).not.toHaveProperty('source');
  });

  it('is named as the rep says, else after the company, else after the person', () => {
    const personOnly = lead({ company: {}, contact: { email: 'ada@example.com', firstName: 'Ada' } });
    const emailOnly = lead({ company: {}, contact: { email: 'ada@example.com' } });

    expect(open({ name: 'Engines: analytics platform' }).data.name).toBe('Engines: analytics platform');
    expect(open().data.name).toBe('Analytical Engines Ltd');
    expect(open({ lead: personOnly }).data.name).toBe('Ada');
    expect(open({ lead: emailOnly }).data.name).toBe('ada@example.com');
  });

  it('clips a long name to 300 characters without splitting an emoji', () => {
    const emoji = lead({
      company: {},
      contact: { email: 'ada@example.com', firstName: 'Adam', lastName: '😀'.repeat(200) },
    });

    const { name } = open({ lead: emoji }).data;

    expect(name).toBe(`Adam ${'😀'.repeat(147)}`);
    expect(name.isWellFormed()).toBe(true);
  });
});
