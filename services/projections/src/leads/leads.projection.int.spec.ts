import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@l2o/bus';
import { catalogue } from '@l2o/contracts';
import type { CloudEvent, EventName } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { StreamGapError } from '@l2o/stream-consumer';
import { freshProjectionsSchema } from '../projections-schema.fixture.ts';
import type { ProjectionsSchema } from '../projections-schema.fixture.ts';
import { followedAggregates } from '../read-model/apply-events.ts';
import {
  applyLeadEvent,
  leadActivityRecordedEvent,
  leadCapturedEvent,
  leadEventOf,
  leadProfileUpdatedEvent,
  leadsMergedEvent,
  leadTouchRecordedEvent,
} from './lead-event.fixture.ts';
import { leadsReadModel } from './leads.projection.ts';

/** The columns scoring, routing and the reps fill, as a freshly captured lead has them. */
const notYetScoredOrRouted = {
  stage: 'new',
  score: null,
  grade: null,
  scored_at: null,
  qualified_at: null,
  owner_id: null,
  pool_id: null,
  assigned_at: null,
  first_assigned_at: null,
  response_due_at: null,
  responded_at: null,
  last_contacted_at: null,
  recycle_count: 0,
  sla_breaches: 0,
  escalated_at: null,
  sales_qualified_at: null,
  converted_at: null,
  opportunity_id: null,
  disqualified_at: null,
  disqualification_reason: null,
};

describe('leads projection', () => {
  let db: ProjectionsSchema;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_leads');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  async function rowsOf(leadId: string): Promise<Array<Record<string, unknown>>> {
    const result = await pool.query('SELECT * FROM leads WHERE lead_id = $1', [leadId]);
    return result.rows;
  }

  async function rowOf(leadId: string): Promise<Record<string, unknown>> {
    const [row, ...others] = await rowsOf(leadId);
    if (row === undefined || others.length > 0) throw new Error(`expected one row of lead ${leadId}`);
    return row;
  }

  /** A lead captured from the LeadCaptured example, in the read model at version 1. */
  async function capturedLead(options: Parameters<typeof leadCapturedEvent>[0] = {}): Promise<CloudEvent> {
    const event = leadCapturedEvent(options);
    await applyLeadEvent({ pool, event });
    return event;
  }

  it('follows the lead streams and takes every lead event type of the catalogue and no other', () => {
    expect([...followedAggregates(leadsReadModel)]).toEqual(['lead']);
    const taken = catalogue.filter((entry) => leadsReadModel.handles(entry.name)).map((entry) => entry.cloudEventType);
    const leadTypes = catalogue.filter((entry) => entry.aggregate === 'lead').map((entry) => entry.cloudEventType);
    expect([...taken].sort()).toEqual([...leadTypes].sort());
    expect(taken).toEqual(
      expect.arrayContaining(['l2o.lead.captured.v1', 'l2o.lead.touch_recorded.v1', 'l2o.lead.leads_merged.v1']),
    );
  });

  describe('when a lead is captured', () => {
    it('adds its row at stream version 1, the capture being its first touch', async () => {
      const event = leadCapturedEvent();

      expect(await applyLeadEvent({ pool, event })).toBe('applied');

      expect(await rowsOf(event.subject)).toEqual([
        {
          tenant_id: event.tenantid,
          lead_id: event.subject,
          status: 'captured',
          merged_into: null,
          email: 'ada@example.com',
          phone: '+442079460000',
          first_name: 'Ada',
          last_name: 'Lovelace',
          job_title: 'Head of Analytics',
          company_name: 'Analytical Engines Ltd',
          company_domain: 'example.com',
          country: 'GB',
          industry: 'Software',
          company_size: 120,
          consent_marketing: true,
          opted_out: false,
          channel: 'web_form',
          source: 'website',
          campaign: 'spring-webinar',
          touch_count: 1,
          last_touch_at: new Date('2025-03-14T09:26:41.000Z'),
          last_channel: 'web_form',
          last_campaign: 'spring-webinar',
          activity_count: 0,
          last_activity_at: null,
          captured_at: new Date('2025-03-14T09:26:53.000Z'),
          updated_at: new Date(event.time),
          version: 1,
          // A date column: node-postgres reads it as local midnight, so its day is checked by the report tests.
          captured_day: expect.any(Date),
          search_text: 'ada@example.com ada lovelace analytical engines ltd',
          ...notYetScoredOrRouted,
        },
      ]);
    });

    it('takes source and campaign from the UTM parameters when the touchpoint has none', async () => {
      const event = leadCapturedEvent({
        data: {
          touchpoint: {
            channel: 'ad',
            utm: { source: 'google', campaign: 'retargeting' },
            occurredAt: '2025-03-14T09:00:00Z',
          },
        },
      });
      await applyLeadEvent({ pool, event });
      expect(await rowOf(event.subject)).toMatchObject({
        channel: 'ad',
        source: 'google',
        campaign: 'retargeting',
        last_channel: 'ad',
        last_campaign: 'retargeting',
      });
    });

    it('leaves consent and the company details null when the capture has none', async () => {
      const event = await capturedLead({ data: { company: {}, consent: undefined } });
      expect(await rowOf(event.subject)).toMatchObject({
        company_name: null,
        country: null,
        industry: null,
        company_size: null,
        consent_marketing: null,
        opted_out: null,
      });
    });
  });

  describe('when a touch is recorded', () => {
    it('counts it and makes it the last touch, keeping the first touch as captured', async () => {
      const captured = await capturedLead();
      const touch = leadTouchRecordedEvent({ lead: captured, streamversion: 2 });

      expect(await applyLeadEvent({ pool, event: touch })).toBe('applied');

      expect(await rowOf(captured.subject)).toMatchObject({
        touch_count: 2,
        last_touch_at: new Date('2025-04-02T14:04:58.000Z'),
        last_channel: 'ad',
        last_campaign: 'q2-analytics',
        channel: 'web_form',
        source: 'website',
        campaign: 'spring-webinar',
        updated_at: new Date(touch.time),
        version: 2,
      });
    });

    it('takes the campaign from the UTM parameters and clears it when the touch has none', async () => {
      const captured = await capturedLead();
      await applyLeadEvent({
        pool,
        event: leadTouchRecordedEvent({
          lead: captured,
          streamversion: 2,
          data: { touchpoint: { channel: 'api', utm: { campaign: 'utm-only' }, occurredAt: '2025-04-01T00:00:00Z' } },
        }),
      });
      expect(await rowOf(captured.subject)).toMatchObject({ last_channel: 'api', last_campaign: 'utm-only' });

      await applyLeadEvent({
        pool,
        event: leadTouchRecordedEvent({
          lead: captured,
          streamversion: 3,
          data: { touchpoint: { channel: 'partner', occurredAt: '2025-04-02T00:00:00Z' } },
        }),
      });
      expect(await rowOf(captured.subject)).toMatchObject({ last_channel: 'partner', last_campaign: null });
    });

    it('counts a touch that happened before the last one without making it the last', async () => {
      const captured = await capturedLead();
      await applyLeadEvent({ pool, event: leadTouchRecordedEvent({ lead: captured, streamversion: 2 }) });
      const older = leadTouchRecordedEvent({
        lead: captured,
        streamversion: 3,
        data: { touchpoint: { channel: 'csv_import', campaign: 'trade-fair', occurredAt: '2025-03-20T10:00:00Z' } },
      });

      await applyLeadEvent({ pool, event: older });

      expect(await rowOf(captured.subject)).toMatchObject({
        touch_count: 3,
        last_touch_at: new Date('2025-04-02T14:04:58.000Z'),
        last_channel: 'ad',
        last_campaign: 'q2-analytics',
        version: 3,
      });
    });
  });

  describe('when the profile is updated', () => {
    it('fills the columns of the fields it carries and keeps the others', async () => {
      const captured = await capturedLead({
        data: {
          contact: { email: 'ada@example.com' },
          company: { name: 'Analytical Engines Ltd' },
          consent: undefined,
        },
      });
      const update = leadProfileUpdatedEvent({
        lead: captured,
        streamversion: 2,
        changes: {
          contact: { phone: '+442079460001', jobTitle: 'CTO' },
          company: { domain: 'engines.example', country: 'FR', industry: 'Machinery', size: 450 },
          consent: { marketing: true, optedOut: false },
        },
      });

      expect(await applyLeadEvent({ pool, event: update })).toBe('applied');

      expect(await rowOf(captured.subject)).toMatchObject({
        email: 'ada@example.com',
        phone: '+442079460001',
        first_name: null,
        job_title: 'CTO',
        company_name: 'Analytical Engines Ltd',
        company_domain: 'engines.example',
        country: 'FR',
        industry: 'Machinery',
        company_size: 450,
        consent_marketing: true,
        opted_out: false,
        updated_at: new Date(update.time),
        version: 2,
      });
    });

    it('records an opt-out over the consent given at capture', async () => {
      const captured = await capturedLead();
      const before = await rowOf(captured.subject);

      await applyLeadEvent({
        pool,
        event: leadProfileUpdatedEvent({
          lead: captured,
          streamversion: 2,
          changes: { consent: { marketing: false, optedOut: true } },
        }),
      });

      expect(await rowOf(captured.subject)).toEqual({
        ...before,
        consent_marketing: false,
        opted_out: true,
        updated_at: expect.any(Date),
        version: 2,
      });
    });

    it('only advances the version for external ids and custom fields, which have no column', async () => {
      const captured = await capturedLead();
      const before = await rowOf(captured.subject);
      const update = leadProfileUpdatedEvent({
        lead: captured,
        streamversion: 2,
        changes: { externalIds: [{ source: 'salesforce', id: '00Q5e000001AbCd' }], customFields: { seats: 40 } },
      });

      await applyLeadEvent({ pool, event: update });

      expect(await rowOf(captured.subject)).toEqual({ ...before, updated_at: new Date(update.time), version: 2 });
    });
  });

  describe('when an activity is recorded', () => {
    it('counts it and keeps when the latest one happened', async () => {
      const captured = await capturedLead();
      const activity = leadActivityRecordedEvent({ lead: captured, streamversion: 2 });

      expect(await applyLeadEvent({ pool, event: activity })).toBe('applied');
      expect(await rowOf(captured.subject)).toMatchObject({
        activity_count: 1,
        last_activity_at: new Date('2025-04-03T08:14:47.000Z'),
        touch_count: 1,
        updated_at: new Date(activity.time),
        version: 2,
      });

      const earlier = leadActivityRecordedEvent({
        lead: captured,
        streamversion: 3,
        occurredAt: '2025-03-30T12:00:00Z',
      });
      await applyLeadEvent({ pool, event: earlier });
      expect(await rowOf(captured.subject)).toMatchObject({
        activity_count: 2,
        last_activity_at: new Date('2025-04-03T08:14:47.000Z'),
        version: 3,
      });
    });
  });

  describe('when two leads are merged', () => {
    it('marks the merged lead merged into the survivor and only advances the survivor’s version', async () => {
      const tenantId = `tenant-${randomUUID()}`;
      const survivor = await capturedLead({ tenantId });
      const merged = await capturedLead({ tenantId, data: { contact: { email: 'ada@home.example' } } });
      await applyLeadEvent({ pool, event: leadTouchRecordedEvent({ lead: survivor, streamversion: 2 }) });
      const survivorBefore = await rowOf(survivor.subject);
      const mergedBefore = await rowOf(merged.subject);
      const onSurvivor = leadsMergedEvent({ lead: survivor, other: merged, role: 'survivor', streamversion: 3 });
      const onMerged = leadsMergedEvent({ lead: merged, other: survivor, role: 'merged', streamversion: 2 });

      expect(await applyLeadEvent({ pool, event: onSurvivor })).toBe('applied');
      expect(await applyLeadEvent({ pool, event: onMerged })).toBe('applied');

      expect(await rowOf(survivor.subject)).toEqual({ ...survivorBefore, version: 3 });
      expect(await rowOf(merged.subject)).toEqual({
        ...mergedBefore,
        status: 'merged',
        merged_into: survivor.subject,
        updated_at: new Date(onMerged.time),
        version: 2,
      });
    });
  });

  describe('when scoring, routing and the owner move the lead', () => {
    /** Applies lifecycle events of `name` in turn to a fresh captured lead, from stream version 2. */
    async function leadThrough(...steps: Array<{ name: EventName; data?: Record<string, unknown> }>) {
      const captured = await capturedLead();
      for (const [index, step] of steps.entries()) {
        const event = leadEventOf({ lead: captured, streamversion: index + 2, ...step });
        expect(await applyLeadEvent({ pool, event }), step.name).toBe('applied');
      }
      return rowOf(captured.subject);
    }

    it('keeps the latest score and grade', async () => {
      expect(
        await leadThrough(
          { name: 'LeadScored', data: { score: 35, grade: 'D', scoredAt: '2025-04-01T00:00:00Z' } },
          { name: 'LeadScored', data: { score: 72, grade: 'B', scoredAt: '2025-04-02T00:00:00Z' } },
        ),
      ).toMatchObject({ score: 72, grade: 'B', scored_at: new Date('2025-04-02T00:00:00Z'), status: 'captured' });
    });

    it('makes a qualified lead mql and keeps its first qualification through a revocation', async () => {
      const qualified = { name: 'LeadQualified' as const, data: { qualifiedAt: '2025-04-01T00:00:00Z' } };
      expect(await leadThrough(qualified)).toMatchObject({ status: 'mql', stage: 'mql' });
      expect(await leadThrough(qualified, { name: 'LeadQualificationRevoked' })).toMatchObject({ status: 'captured' });
      expect(
        await leadThrough(
          qualified,
          { name: 'LeadQualificationRevoked' },
          { ...qualified, data: { qualifiedAt: '2025-05-01T00:00:00Z' } },
        ),
      ).toMatchObject({ status: 'mql', qualified_at: new Date('2025-04-01T00:00:00Z') });
    });

    it('shows the owner and deadline of an assigned lead, and working once the owner responded', async () => {
      const assigned = await leadThrough({ name: 'LeadQualified' }, { name: 'LeadAssigned' });
      expect(assigned).toMatchObject({
        status: 'assigned',
        owner_id: 'rep-ines',
        pool_id: 'emea-enterprise',
        assigned_at: new Date('2025-04-03T08:15:04.000Z'),
        first_assigned_at: new Date('2025-04-03T08:15:04.000Z'),
        response_due_at: new Date('2025-04-03T10:15:04.000Z'),
        responded_at: null,
      });
      const working = await leadThrough(
        { name: 'LeadQualified' },
        { name: 'LeadAssigned' },
        { name: 'LeadAccepted' },
        { name: 'LeadContacted' },
      );
      expect(working).toMatchObject({
        status: 'working',
        responded_at: new Date('2025-04-03T08:40:00.000Z'),
        last_contacted_at: new Date('2025-04-03T09:02:00.000Z'),
      });
    });

    it('takes the lead from an owner who missed the deadline and counts it, keeping the first assignment', async () => {
      const row = await leadThrough(
        { name: 'LeadQualified' },
        { name: 'LeadAssigned' },
        { name: 'LeadResponseSlaBreached' },
        { name: 'LeadRecycled' },
      );
      expect(row).toMatchObject({
        status: 'mql',
        owner_id: null,
        pool_id: 'shared',
        assigned_at: null,
        response_due_at: null,
        sla_breaches: 1,
        recycle_count: 1,
        first_assigned_at: new Date('2025-04-03T08:15:04.000Z'),
      });
      const reassigned = await leadThrough(
        { name: 'LeadQualified' },
        { name: 'LeadAssigned' },
        { name: 'LeadRejected' },
        { name: 'LeadAssigned', data: { ownerId: 'rep-omar', assignedAt: '2025-04-04T00:00:00Z', reason: 'rejected' } },
      );
      expect(reassigned).toMatchObject({
        status: 'assigned',
        owner_id: 'rep-omar',
        first_assigned_at: new Date('2025-04-03T08:15:04.000Z'),
      });
    });

    it('ends a lead as sql, converted or disqualified', async () => {
      const owned = [{ name: 'LeadQualified' as const }, { name: 'LeadAssigned' as const }];
      const opportunityId = randomUUID();
      expect(await leadThrough(...owned, { name: 'LeadSalesQualified' })).toMatchObject({ status: 'sql' });
      expect(
        await leadThrough(...owned, { name: 'LeadSalesQualified' }, { name: 'LeadConverted', data: { opportunityId } }),
      ).toMatchObject({
        status: 'converted',
        converted_at: new Date('2025-04-07T14:05:00.000Z'),
        opportunity_id: opportunityId,
      });
      expect(await leadThrough(...owned, { name: 'LeadDisqualified' })).toMatchObject({
        status: 'disqualified',
        disqualification_reason: 'Student project, no budget',
      });
    });
  });

  describe('when an event is delivered again', () => {
    it('keeps the single row as it was', async () => {
      const event = leadCapturedEvent();
      await applyLeadEvent({ pool, event });
      const before = await rowsOf(event.subject);

      expect(await applyLeadEvent({ pool, event })).toBe('duplicate');

      expect(await rowsOf(event.subject)).toEqual(before);
      expect(before).toHaveLength(1);
    });

    it('changes nothing for any event type applied a second time, at once or after later events', async () => {
      const tenantId = `tenant-${randomUUID()}`;
      const lead = leadCapturedEvent({ tenantId });
      const other = leadCapturedEvent({ tenantId });
      await applyLeadEvent({ pool, event: other });
      const stream = [
        lead,
        leadTouchRecordedEvent({ lead, streamversion: 2 }),
        leadProfileUpdatedEvent({ lead, streamversion: 3, changes: { company: { country: 'IE' } } }),
        leadActivityRecordedEvent({ lead, streamversion: 4 }),
        leadsMergedEvent({ lead, other, role: 'merged', streamversion: 5 }),
      ];

      for (const event of stream) {
        expect(await applyLeadEvent({ pool, event }), event.type).toBe('applied');
        const once = await rowsOf(lead.subject);
        expect(await applyLeadEvent({ pool, event }), event.type).toBe('duplicate');
        expect(await rowsOf(lead.subject), event.type).toEqual(once);
      }
      const final = await rowsOf(lead.subject);
      for (const event of stream) {
        expect(await applyLeadEvent({ pool, event }), event.type).toBe('duplicate');
      }

      expect(await rowsOf(lead.subject)).toEqual(final);
      expect(final).toEqual([
        expect.objectContaining({ touch_count: 2, country: 'IE', activity_count: 1, status: 'merged', version: 5 }),
      ]);
    });

    it('counts a survivor’s merge once', async () => {
      const tenantId = `tenant-${randomUUID()}`;
      const survivor = await capturedLead({ tenantId });
      const merged = await capturedLead({ tenantId });
      const onSurvivor = leadsMergedEvent({ lead: survivor, other: merged, role: 'survivor', streamversion: 2 });
      await applyLeadEvent({ pool, event: onSurvivor });

      expect(await applyLeadEvent({ pool, event: onSurvivor })).toBe('duplicate');
      expect(await rowOf(survivor.subject)).toMatchObject({ status: 'captured', version: 2 });
    });
  });

  describe('when events of the lead are missing', () => {
    it('refuses an event two versions ahead and leaves the row unchanged', async () => {
      const first = leadCapturedEvent();
      await applyLeadEvent({ pool, event: first });
      const before = await rowsOf(first.subject);
      const ahead = leadCapturedEvent({ leadId: first.subject, tenantId: first.tenantid, streamversion: 3 });

      const failure = applyLeadEvent({ pool, event: ahead });

      await expect(failure).rejects.toBeInstanceOf(StreamGapError);
      await expect(failure).rejects.toThrow(
        `leads, stream lead-${first.subject}: received version 3 but the last applied is 1; events 2..2 are missing`,
      );
      expect(await rowsOf(first.subject)).toEqual(before);
    });

    it('refuses an activity whose predecessor after a touch is missing, then goes on once it arrives', async () => {
      const captured = await capturedLead();
      await applyLeadEvent({ pool, event: leadTouchRecordedEvent({ lead: captured, streamversion: 2 }) });
      const before = await rowsOf(captured.subject);
      const missing = leadProfileUpdatedEvent({ lead: captured, streamversion: 3, changes: { company: { size: 9 } } });
      const activity = leadActivityRecordedEvent({ lead: captured, streamversion: 4 });

      const failure = applyLeadEvent({ pool, event: activity });

      await expect(failure).rejects.toBeInstanceOf(StreamGapError);
      await expect(failure).rejects.toThrow('received version 4 but the last applied is 2; events 3..3');
      expect(await rowsOf(captured.subject)).toEqual(before);

      await applyLeadEvent({ pool, event: missing });
      expect(await applyLeadEvent({ pool, event: activity })).toBe('applied');
      expect(await rowOf(captured.subject)).toMatchObject({ touch_count: 2, company_size: 9, activity_count: 1 });
    });

    it('refuses a first event that is not the stream’s first', async () => {
      const event = leadCapturedEvent({ streamversion: 2 });
      await expect(applyLeadEvent({ pool, event })).rejects.toBeInstanceOf(StreamGapError);
      expect(await rowsOf(event.subject)).toEqual([]);
    });
  });

  describe('when an event is out of place in a lead stream', () => {
    it('rejects a stream that starts with a touch as permanent', async () => {
      const lead = { subject: randomUUID(), tenantid: `tenant-${randomUUID()}` };
      const failure = applyLeadEvent({ pool, event: leadTouchRecordedEvent({ lead, streamversion: 1 }) });

      await expect(failure).rejects.toBeInstanceOf(PermanentError);
      await expect(failure).rejects.toThrow(`lead ${lead.subject}'s stream starts with LeadTouchRecorded`);
      expect(await rowsOf(lead.subject)).toEqual([]);
    });

    it('rejects a second capture of the lead as permanent and leaves the row unchanged', async () => {
      const captured = await capturedLead();
      const before = await rowsOf(captured.subject);
      const again = leadCapturedEvent({ leadId: captured.subject, tenantId: captured.tenantid, streamversion: 2 });

      await expect(applyLeadEvent({ pool, event: again })).rejects.toBeInstanceOf(PermanentError);
      expect(await rowsOf(captured.subject)).toEqual(before);
    });
  });

  describe('when an event can never be applied', () => {
    it('rejects data that breaks the contract as permanent, naming the field', async () => {
      const event = leadCapturedEvent();
      const invalid = { ...event, data: { ...event.data, capturedAt: 'yesterday' } };

      const failure = applyLeadEvent({ pool, event: invalid });

      await expect(failure).rejects.toBeInstanceOf(PermanentError);
      await expect(failure).rejects.toThrow(/capturedAt/);
      expect(await rowsOf(event.subject)).toEqual([]);
    });

    it.each([
      {
        field: 'touchpoint.channel',
        event: (lead: CloudEvent) => {
          const event = leadTouchRecordedEvent({ lead, streamversion: 2 });
          return { ...event, data: { ...event.data, touchpoint: { ...event.data.touchpoint, channel: 'fax' } } };
        },
      },
      {
        field: 'activity.occurredAt',
        event: (lead: CloudEvent) => {
          const event = leadActivityRecordedEvent({ lead, streamversion: 2 });
          return { ...event, data: { ...event.data, activity: { ...event.data.activity, occurredAt: 'soon' } } };
        },
      },
      {
        field: 'company.size',
        event: (lead: CloudEvent) =>
          leadProfileUpdatedEvent({ lead, streamversion: 2, changes: { company: { size: -1 } } }),
      },
      {
        // PostgreSQL refuses NUL in text and jsonb: refused by the schema, it is permanent, not a retried SQL error.
        field: 'contact.firstName',
        event: (lead: CloudEvent) =>
          leadProfileUpdatedEvent({ lead, streamversion: 2, changes: { contact: { firstName: 'Ada\u0000' } } }),
      },
      {
        field: 'leadId',
        event: (lead: CloudEvent) => {
          const other = { subject: randomUUID(), tenantid: lead.tenantid };
          const event = leadsMergedEvent({ lead, other, role: 'merged', streamversion: 2 });
          return { ...event, data: { ...event.data, mergedLeadId: randomUUID() } };
        },
      },
    ])('rejects invalid $field as permanent and leaves the row unchanged', async ({ field, event: invalidOf }) => {
      const captured = await capturedLead();
      const before = await rowsOf(captured.subject);

      const failure = applyLeadEvent({ pool, event: invalidOf(captured) });

      await expect(failure).rejects.toBeInstanceOf(PermanentError);
      await expect(failure).rejects.toThrow(field);
      expect(await rowsOf(captured.subject)).toEqual(before);
    });

    it('rejects an envelope whose subject is not the lead in the data as permanent', async () => {
      const event = { ...leadCapturedEvent(), subject: randomUUID() };
      await expect(applyLeadEvent({ pool, event })).rejects.toBeInstanceOf(PermanentError);
      expect(await rowsOf(event.subject)).toEqual([]);
    });

    it('rejects a later event whose tenant is not the one in the data as permanent', async () => {
      const captured = await capturedLead();
      const touch = leadTouchRecordedEvent({ lead: captured, streamversion: 2 });
      const event = { ...touch, data: { ...touch.data, tenantId: 'someone-else' } };

      await expect(applyLeadEvent({ pool, event })).rejects.toBeInstanceOf(PermanentError);
      expect(await rowOf(captured.subject)).toMatchObject({ version: 1 });
    });

    it('rejects a type that is not a lead event of the catalogue as permanent', async () => {
      const captured = await capturedLead();
      const event = { ...leadTouchRecordedEvent({ lead: captured, streamversion: 2 }), type: 'l2o.lead.teleported.v1' };

      await expect(applyLeadEvent({ pool, event })).rejects.toBeInstanceOf(PermanentError);
      expect(await rowOf(captured.subject)).toMatchObject({ version: 1 });
    });
  });
});
