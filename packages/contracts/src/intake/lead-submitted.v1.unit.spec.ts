import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asyncApiDocument, eventJsonSchema } from '../generate-docs.ts';
import { issuesOf } from '../schema-test-support.ts';
import {
  intakeCloudEventAttributesSchema,
  leadSubmissionV1Example,
  leadSubmissionV1Schema,
  leadSubmittedV1,
} from './lead-submitted.v1.ts';

const attributes = {
  specversion: '1.0',
  id: 'partner-portal-7f3a2c',
  type: 'l2o.lead-intake.submitted.v1',
  source: '/partner/portal',
  time: '2025-03-14T09:26:53Z',
  datacontenttype: 'application/json',
  tenantid: 'acme',
};

describe('LeadSubmitted v1 (intake)', () => {
  describe('the envelope', () => {
    it('needs neither a subject nor a stream version', () => {
      expect(intakeCloudEventAttributesSchema.parse(attributes)).toEqual(attributes);
    });

    it('strips a stream version, which means nothing outside a stream', () => {
      expect(intakeCloudEventAttributesSchema.parse({ ...attributes, streamversion: 3 })).not.toHaveProperty(
        'streamversion',
      );
    });

    it('bounds the id, which becomes the capture id of the lead', () => {
      expect(issuesOf(intakeCloudEventAttributesSchema, { ...attributes, id: 'x'.repeat(128) })).toEqual([]);
      expect(
        issuesOf(intakeCloudEventAttributesSchema, { ...attributes, id: 'x'.repeat(129) }).map((issue) => issue.field),
      ).toEqual(['id']);
    });

    it.each(['id', 'subject', 'tenantid', 'source', 'correlationid'])('refuses a NUL in %s', (attribute) => {
      const candidate = { ...attributes, [attribute]: 'x\u0000y' };
      expect(issuesOf(intakeCloudEventAttributesSchema, candidate).map((issue) => issue.field)).toEqual([attribute]);
    });

    it.each(['id', 'tenantid', 'source', 'time', 'type'])('requires %s', (attribute) => {
      const { [attribute as keyof typeof attributes]: _removed, ...rest } = attributes;
      expect(issuesOf(intakeCloudEventAttributesSchema, rest).map((issue) => issue.field)).toEqual([attribute]);
    });
  });

  describe('the data', () => {
    it('accepts the example, whose values are as entered', () => {
      expect(issuesOf(leadSubmissionV1Schema, leadSubmissionV1Example)).toEqual([]);
    });

    it('requires an email or a phone', () => {
      expect(issuesOf(leadSubmissionV1Schema, { firstName: 'Ada' })).toEqual([
        { field: 'email', message: 'an email or a phone is required' },
      ]);
      expect(issuesOf(leadSubmissionV1Schema, { phone: '020 7946 0000' })).toEqual([]);
    });

    it.each([
      ['firstName', { email: 'a@example.com', firstName: 'Ada\u0000' }, 'firstName'],
      ['company.name', { email: 'a@example.com', company: { name: '\ud800Engines' } }, 'company.name'],
      [
        'touchpoint.utm.campaign',
        { email: 'a@example.com', touchpoint: { utm: { campaign: 'x\udc00' } } },
        'touchpoint.utm.campaign',
      ],
      ['a custom field value', { email: 'a@example.com', customFields: { notes: 'a\u0000b' } }, 'customFields.notes'],
      [
        'a custom field key',
        { email: 'a@example.com', customFields: { 'no\u0000tes': 1 } },
        'customFields.no\u0000tes',
      ],
      ['externalId.id', { email: 'a@example.com', externalId: { source: 'crm', id: '7\u0000' } }, 'externalId.id'],
    ])('refuses a NUL or lone surrogate in %s', (_name, data, field) => {
      expect(issuesOf(leadSubmissionV1Schema, data).map((issue) => issue.field)).toEqual([field]);
    });

    it('accepts astral characters such as emoji in text', () => {
      expect(
        issuesOf(leadSubmissionV1Schema, { email: 'a@example.com', firstName: 'Ada 😀', customFields: { '😀': '😀' } }),
      ).toEqual([]);
    });

    it('publishes a JSON Schema that accepts the example and extra fields and carries the email-or-phone rule', () => {
      const fromSchema = z.fromJSONSchema(eventJsonSchema(leadSubmittedV1) as z.core.JSONSchema.JSONSchema);
      expect(fromSchema.safeParse(leadSubmissionV1Example).success).toBe(true);
      expect(fromSchema.safeParse({ ...leadSubmissionV1Example, addedInALaterRelease: 1 }).success).toBe(true);
      expect(eventJsonSchema(leadSubmittedV1)).toMatchObject({
        anyOf: [{ required: ['email'] }, { required: ['phone'] }],
      });
    });
  });

  it('is documented as a channel ingestion receives on, without the aggregate headers', () => {
    const document = asyncApiDocument() as {
      channels: Record<string, { address: string }>;
      operations: Record<string, { action: string; channel: { $ref: string } }>;
      components: { messages: Record<string, { headers: { required: string[] } }> };
    };
    expect(document.channels.leadIntake?.address).toBe('l2o.lead-intake.v1');
    expect(document.operations.receiveLeadSubmissions).toMatchObject({
      action: 'receive',
      channel: { $ref: '#/channels/leadIntake' },
    });
    const required = document.components.messages.LeadSubmittedV1?.headers.required;
    expect(required).toEqual(expect.arrayContaining(['ce_id', 'ce_tenantid', 'ce_type', 'ce_source', 'ce_time']));
    expect(required).not.toContain('ce_subject');
    expect(required).not.toContain('ce_streamversion');
  });
});
