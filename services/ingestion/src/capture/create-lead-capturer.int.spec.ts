import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '@l2o/event-store';
import type { EventStore, StreamAppend } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { startIngestionTestApp } from '../ingestion-test-app.fixture.ts';
import type { IngestionTestApp } from '../ingestion-test-app.fixture.ts';
import { createIngestionSettingsRepository } from '../settings/ingestion-settings.repository.ts';
import type { IngestionSettings } from '../settings/ingestion-settings.repository.ts';
import { createLeadCapturer } from './create-lead-capturer.ts';
import type { BulkLeadCapturer } from './create-lead-capturer.ts';
import type { CaptureInput, LeadCapturer } from './lead-capturer.ts';

describe('createLeadCapturer', () => {
  let env: IngestionTestApp;
  let capturer: BulkLeadCapturer;
  const settings = () => createIngestionSettingsRepository({ pool: env.pool, ttlMs: 0 });

  beforeAll(async () => {
    env = await startIngestionTestApp();
    capturer = createLeadCapturer({ pool: env.pool, store: env.store, clock: () => env.now, settings: settings() });
  });
  afterAll(async () => {
    await env.close();
  });

  function newTenantId(): string {
    return `acme-${randomUUID()}`;
  }

  function capture(tenantId: string, submission: unknown, extra: Partial<CaptureInput> = {}) {
    return capturer.capture({ tenantId, submission, defaultChannel: 'api', ...extra });
  }

  async function configure(tenantId: string, tenantSettings: IngestionSettings): Promise<void> {
    await settings().put({ tenantId, settings: tenantSettings, now: env.now });
  }

  describe('with a new person', () => {
    it('captures a lead with the normalized fields, the touchpoint and the metadata', async () => {
      const tenantId = newTenantId();
      const result = await capture(
        tenantId,
        {
          email: ' Ada@Example.COM ',
          firstName: '  Ada ',
          company: { website: 'www.example.com/about', country: 'United Kingdom' },
          consent: { marketing: false, optedOut: true },
          touchpoint: { utm: { source: 'google', medium: 'cpc', campaign: 'spring' }, referrer: 'https://google.com/' },
        },
        {
          correlationId: 'corr-1',
          causationId: 'cause-1',
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
      );

      expect(result).toEqual({ status: 'accepted', leadId: expect.any(String) });
      const [event, ...rest] = await env.eventsOf(tenantId);
      expect(rest).toEqual([]);
      expect(event?.type).toBe('LeadCaptured');
      expect(event?.data).toEqual({
        leadId: result.status === 'accepted' ? result.leadId : '',
        tenantId,
        capturedAt: env.now.toISOString(),
        contact: { email: 'ada@example.com', firstName: 'Ada' },
        company: { domain: 'example.com', website: 'https://www.example.com/about', country: 'GB' },
        consent: { marketing: false, optedOut: true },
        touchpoint: {
          channel: 'api',
          source: 'google',
          medium: 'cpc',
          campaign: 'spring',
          utm: { source: 'google', medium: 'cpc', campaign: 'spring' },
          referrer: 'https://google.com/',
          occurredAt: env.now.toISOString(),
        },
      });
      const metadata = await env.pool.query<{ metadata: unknown }>(
        `SELECT metadata FROM events WHERE metadata->>'tenantId' = $1`,
        [tenantId],
      );
      expect(metadata.rows[0]?.metadata).toEqual({
        tenantId,
        producer: 'ingestion',
        correlationId: 'corr-1',
        causationId: 'cause-1',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
    });
  });

  describe('de-duplication', () => {
    it('matches by email whatever its case and spaces, recording a touch and filling only empty fields', async () => {
      const tenantId = newTenantId();
      const first = await capture(tenantId, { email: 'ada@example.com', firstName: 'Ada' });
      const second = await capture(tenantId, {
        email: '  ADA@Example.com ',
        firstName: 'Adaline',
        jobTitle: 'CTO',
        touchpoint: { channel: 'web_form', source: 'webinar' },
      });

      expect(first.status).toBe('accepted');
      const leadId = first.status === 'accepted' ? first.leadId : '';
      expect(second).toEqual({ status: 'merged', leadId, matchedBy: 'email' });
      const events = await env.eventsOf(tenantId);
      expect(events.map((event) => event.type)).toEqual(['LeadCaptured', 'LeadTouchRecorded', 'LeadProfileUpdated']);
      expect(events[1]?.data).toMatchObject({
        leadId,
        matchedBy: 'email',
        touchpoint: { channel: 'web_form', source: 'webinar' },
      });
      expect(events[2]?.data).toMatchObject({ leadId, source: 'capture', contact: { jobTitle: 'CTO' } });
      expect(JSON.stringify(events[2]?.data)).not.toContain('Adaline');
    });

    it("matches by phone written nationally in the tenant's default country and internationally", async () => {
      const tenantId = newTenantId();
      await configure(tenantId, {
        defaultCountry: 'GB',
        matchRules: ['email', 'phone', 'external_id', 'domain_and_name'],
      });
      const first = await capture(tenantId, { phone: '020 7946 0000', firstName: 'Ada' });
      const second = await capture(tenantId, { phone: '+44 20 7946 0000', email: 'ada@example.com' });

      expect(first.status).toBe('accepted');
      expect(second).toEqual({
        status: 'merged',
        leadId: first.status === 'accepted' ? first.leadId : '',
        matchedBy: 'phone',
      });
      const events = await env.eventsOf(tenantId);
      expect(events[0]?.data).toMatchObject({ contact: { phone: '+442079460000' } });
      expect(events.map((event) => event.type)).toEqual(['LeadCaptured', 'LeadTouchRecorded', 'LeadProfileUpdated']);
      expect(events[2]?.data).toMatchObject({ contact: { email: 'ada@example.com' } });
    });

    it('matches by source and external id when the capture has its own capture id', async () => {
      const tenantId = newTenantId();
      const first = await capture(tenantId, {
        email: 'ada@example.com',
        externalId: { source: 'hubspot', id: '51234' },
      });
      const second = await capture(
        tenantId,
        { email: 'ada.lovelace@example.org', externalId: { source: ' HubSpot ', id: '51234 ' } },
        { captureId: 'row-2' },
      );

      expect(second).toEqual({
        status: 'merged',
        leadId: first.status === 'accepted' ? first.leadId : '',
        matchedBy: 'external_id',
      });
    });

    it('matches by company domain (from the website or the email) and name', async () => {
      const tenantId = newTenantId();
      const first = await capture(tenantId, { email: 'ada@engines.co.uk', firstName: 'Ada', lastName: 'Lovelace' });
      const second = await capture(tenantId, {
        phone: '+14155550123',
        firstName: ' ada ',
        lastName: 'LOVELACE',
        company: { website: 'https://www.engines.co.uk/team' },
      });

      expect(second).toEqual({
        status: 'merged',
        leadId: first.status === 'accepted' ? first.leadId : '',
        matchedBy: 'domain_and_name',
      });
    });

    it('does not match by a rule the tenant switched off', async () => {
      const tenantId = newTenantId();
      await configure(tenantId, { matchRules: ['phone'] });
      const first = await capture(tenantId, { email: 'ada@example.com' });
      const second = await capture(tenantId, { email: 'ada@example.com' });

      expect(first.status).toBe('accepted');
      expect(second.status).toBe('accepted');
      expect(second).not.toEqual(first);
      expect(await env.identitiesOf(tenantId)).toEqual([]);
    });

    it('lets the strongest rule win when keys point at different leads', async () => {
      const tenantId = newTenantId();
      const byEmail = await capture(tenantId, { email: 'ada@example.com' });
      const byPhone = await capture(tenantId, { phone: '+14155550123' });
      const both = await capture(tenantId, { phone: '+14155550123', email: 'ada@example.com' });

      expect(byPhone.status).toBe('accepted');
      expect(both).toEqual({
        status: 'merged',
        leadId: byEmail.status === 'accepted' ? byEmail.leadId : '',
        matchedBy: 'email',
      });
    });

    it('never matches a lead of another tenant', async () => {
      const email = `${randomUUID()}@example.com`;
      const first = await capture(newTenantId(), { email });
      const second = await capture(newTenantId(), { email });

      expect(first.status).toBe('accepted');
      expect(second.status).toBe('accepted');
    });
  });

  describe('with concurrent captures of one person', () => {
    it('creates one lead and 49 touches for 50 captures through two replicas with their own pools', async () => {
      const tenantId = newTenantId();
      const replicas: Array<{ pool: pg.Pool; capturer: LeadCapturer }> = [0, 1].map(() => {
        const pool = createPool({ connectionString: env.databaseUrl, schema: env.schema, max: 8 });
        const store = createPostgresEventStore({ pool, schema: env.schema });
        return { pool, capturer: createLeadCapturer({ pool, store, clock: () => env.now }) };
      });
      try {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            replicas[index % 2]?.capturer.capture({
              tenantId,
              submission: { email: index % 3 === 0 ? 'ADA@example.com' : 'ada@example.com' },
              defaultChannel: 'api',
            }),
          ),
        );

        const statuses = results.map((result) => result?.status);
        expect(statuses.filter((status) => status === 'accepted')).toHaveLength(1);
        expect(statuses.filter((status) => status === 'merged')).toHaveLength(49);
        expect(new Set(results.map((result) => (result && 'leadId' in result ? result.leadId : undefined))).size).toBe(
          1,
        );
        const types = (await env.eventsOf(tenantId)).map((event) => event.type);
        expect(types.filter((type) => type === 'LeadCaptured')).toHaveLength(1);
        expect(types.filter((type) => type === 'LeadTouchRecorded')).toHaveLength(49);
        expect(await env.identitiesOf(tenantId)).toHaveLength(1);
      } finally {
        await Promise.all(replicas.map((replica) => replica.pool.end()));
      }
    });
  });

  describe('idempotency', () => {
    it('answers duplicate with the original lead for a repeated capture id, and appends nothing', async () => {
      const tenantId = newTenantId();
      const first = await capture(tenantId, { email: 'ada@example.com' }, { captureId: 'key-1' });
      const again = await capture(tenantId, { email: 'ada@example.com' }, { captureId: 'key-1' });

      expect(again).toEqual({ status: 'duplicate', leadId: first.status === 'accepted' ? first.leadId : '' });
      expect(await env.eventsOf(tenantId)).toHaveLength(1);
    });

    it('answers duplicate for a repeated source external id, and appends nothing', async () => {
      const tenantId = newTenantId();
      const submission = { email: 'ada@example.com', externalId: { source: 'hubspot', id: '51234' } };
      const first = await capture(tenantId, submission);
      const again = await capture(tenantId, { ...submission, firstName: 'Ada' });

      expect(again).toEqual({ status: 'duplicate', leadId: first.status === 'accepted' ? first.leadId : '' });
      expect((await env.eventsOf(tenantId)).map((event) => event.type)).toEqual(['LeadCaptured']);
      expect((await env.eventsOf(tenantId))[0]?.data).toMatchObject({ captureId: 'external:hubspot:51234' });
    });
  });

  describe('with a submission it refuses', () => {
    const refused: Array<{ name: string; submission: unknown; field: string; code?: string }> = [
      { name: 'not an object', submission: 'ada@example.com', field: 'body' },
      { name: 'neither email nor phone', submission: { firstName: 'Ada' }, field: 'email' },
      { name: 'a malformed email', submission: { email: 'ada-at-example.com' }, field: 'email' },
      { name: 'an impossible phone', submission: { phone: '+44 12' }, field: 'phone' },
      {
        name: 'an unknown country',
        submission: { email: 'a@b.com', company: { country: 'Atlantis' } },
        field: 'company.country',
      },
      {
        name: 'a negative company size',
        submission: { email: 'a@b.com', company: { size: -3 } },
        field: 'company.size',
      },
      {
        name: 'an unknown channel',
        submission: { email: 'a@b.com', touchpoint: { channel: 'fax' } },
        field: 'touchpoint.channel',
      },
      {
        name: 'a time without offset',
        submission: { email: 'a@b.com', touchpoint: { occurredAt: '2025-03-14 09:00' } },
        field: 'touchpoint.occurredAt',
      },
      {
        name: 'a website that is no web address',
        submission: { email: 'a@b.com', company: { website: 'ftp://files.example.com' } },
        field: 'company.website',
      },
      {
        name: 'marketing consent of a person who opted out',
        submission: { email: 'a@b.com', consent: { marketing: true, optedOut: true } },
        field: 'consent.marketing',
        code: 'rule_violation',
      },
    ];

    it.each(refused)(
      'rejects $name naming $field with a reason, and appends nothing and claims no key',
      async ({ submission, field, code }) => {
        const tenantId = newTenantId();
        const result = await capture(tenantId, submission);

        expect(result).toMatchObject({ status: 'rejected', code: code ?? 'validation_failed' });
        expect(result.status === 'rejected' ? result.errors[0] : undefined).toEqual({
          field,
          reason: expect.any(String),
        });
        expect(await env.eventsOf(tenantId)).toEqual([]);
        expect(await env.identitiesOf(tenantId)).toEqual([]);
      },
    );
  });

  describe('with a submission the Lead refuses for a known person', () => {
    it('claims none of its new keys', async () => {
      const tenantId = newTenantId();
      await capture(tenantId, { email: 'ada@example.com' });
      const known = await env.identitiesOf(tenantId);

      const result = await capture(tenantId, {
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        consent: { marketing: true, optedOut: true },
      });

      expect(result).toMatchObject({ status: 'rejected', code: 'rule_violation' });
      expect(await env.identitiesOf(tenantId)).toEqual(known);
      expect(await env.eventsOf(tenantId)).toHaveLength(1);
    });
  });

  describe('captureMany', () => {
    it('captures a person listed twice once, then records a touch, in list order', async () => {
      const tenantId = newTenantId();
      const results = await capturer.captureMany([
        { tenantId, submission: { email: 'ada@example.com' }, defaultChannel: 'csv_import' },
        { tenantId, submission: { email: 'grace@example.org' }, defaultChannel: 'csv_import' },
        { tenantId, submission: { email: 'ADA@example.com', phone: '+14155550123' }, defaultChannel: 'csv_import' },
        { tenantId, submission: { phone: '+1 415 555 0123', firstName: 'Ada' }, defaultChannel: 'csv_import' },
        { tenantId, submission: { email: 'broken' }, defaultChannel: 'csv_import' },
      ]);

      const ada = results[0]?.status === 'accepted' ? results[0].leadId : '';
      expect(results).toEqual([
        { status: 'accepted', leadId: ada },
        { status: 'accepted', leadId: expect.any(String) },
        { status: 'merged', leadId: ada, matchedBy: 'email' },
        { status: 'merged', leadId: ada, matchedBy: 'phone' },
        { status: 'rejected', code: 'validation_failed', errors: [{ field: 'email', reason: expect.any(String) }] },
      ]);
      const identities = await env.identitiesOf(tenantId);
      expect(identities.filter((identity) => identity.leadId === ada).map((identity) => identity.kind)).toEqual([
        'email',
        'phone',
      ]);
    });

    it('answers as capture would for known leads and repeated capture ids', async () => {
      const tenantId = newTenantId();
      const known = await capture(tenantId, { email: 'known@example.com' }, { captureId: 'once' });
      const results = await capturer.captureMany([
        { tenantId, submission: { email: 'known@example.com' }, defaultChannel: 'api', captureId: 'once' },
        { tenantId, submission: { email: 'known@example.com' }, defaultChannel: 'api' },
      ]);

      const leadId = known.status === 'accepted' ? known.leadId : '';
      expect(results).toEqual([
        { status: 'duplicate', leadId },
        { status: 'merged', leadId, matchedBy: 'email' },
      ]);
    });

    it('sends the new leads of a multi-stream append through their streams when another capture got there first', async () => {
      const tenantId = newTenantId();
      let interfered = false;
      // Another replica captures the first new lead between the identity claim and the bulk append.
      const store: Pick<EventStore, 'readStream' | 'appendToStream' | 'appendToStreams'> = {
        readStream: (streamId, options) => env.store.readStream(streamId, options),
        appendToStream: (streamId, events, options) => env.store.appendToStream(streamId, events, options),
        appendToStreams: async (appends: StreamAppend[]) => {
          const [first] = appends;
          if (!interfered && first !== undefined) {
            interfered = true;
            await env.store.appendToStream(
              first.streamId,
              first.events.map((event) => ({ ...event, id: randomUUID() })),
              {
                expectedVersion: 'no_stream',
              },
            );
          }
          return env.store.appendToStreams(appends);
        },
      };
      const racing = createLeadCapturer({ pool: env.pool, store, clock: () => env.now });
      const results = await racing.captureMany([
        { tenantId, submission: { email: 'first@example.com' }, defaultChannel: 'api' },
        { tenantId, submission: { email: 'second@example.com' }, defaultChannel: 'api' },
      ]);

      expect(results.map((result) => result.status)).toEqual(['merged', 'accepted']);
      const types = (await env.eventsOf(tenantId)).map((event) => event.type);
      expect(types.filter((type) => type === 'LeadCaptured')).toHaveLength(2);
      expect(types.filter((type) => type === 'LeadTouchRecorded')).toHaveLength(1);
    });

    it('works on a store without multi-stream appends', async () => {
      const tenantId = newTenantId();
      const plain = createLeadCapturer({
        pool: env.pool,
        store: {
          readStream: env.store.readStream.bind(env.store),
          appendToStream: env.store.appendToStream.bind(env.store),
        },
        clock: () => env.now,
      });
      const results = await plain.captureMany([
        { tenantId, submission: { email: 'a@example.com' }, defaultChannel: 'api' },
        { tenantId, submission: { email: 'a@example.com' }, defaultChannel: 'api' },
      ]);

      expect(results.map((result) => result.status)).toEqual(['accepted', 'merged']);
    });
  });

  describe('when the append fails after the keys were claimed', () => {
    function failingStore(failures: { single: boolean; multi: boolean }) {
      const failure = () => new Error('the store is unreachable');
      return {
        readStream: env.store.readStream.bind(env.store),
        appendToStream: failures.single
          ? async () => Promise.reject(failure())
          : env.store.appendToStream.bind(env.store),
        appendToStreams: failures.multi
          ? async () => Promise.reject(failure())
          : env.store.appendToStreams.bind(env.store),
      };
    }

    it('releases the claims of a capture, so no key points at a lead that does not exist', async () => {
      const tenantId = newTenantId();
      const failing = createLeadCapturer({
        pool: env.pool,
        store: failingStore({ single: true, multi: true }),
        clock: () => env.now,
      });

      await expect(
        failing.capture({
          tenantId,
          submission: { email: 'ada@example.com', phone: '+14155550123' },
          defaultChannel: 'api',
        }),
      ).rejects.toThrow('the store is unreachable');

      expect(await env.identitiesOf(tenantId)).toEqual([]);
      expect(await env.eventsOf(tenantId)).toEqual([]);
    });

    it('releases the claims of every new lead of a bulk append, and keeps those of the leads that exist', async () => {
      const tenantId = newTenantId();
      const known = await capture(tenantId, { email: 'known@example.com' });
      const failing = createLeadCapturer({
        pool: env.pool,
        store: failingStore({ single: false, multi: true }),
        clock: () => env.now,
      });

      await expect(
        failing.captureMany([
          { tenantId, submission: { email: 'ada@example.com' }, defaultChannel: 'csv_import' },
          { tenantId, submission: { email: 'grace@example.org' }, defaultChannel: 'csv_import' },
          { tenantId, submission: { email: 'known@example.com' }, defaultChannel: 'csv_import' },
        ]),
      ).rejects.toThrow('the store is unreachable');

      expect(await env.identitiesOf(tenantId)).toEqual([
        { kind: 'email', value: 'known@example.com', leadId: known.status === 'accepted' ? known.leadId : '' },
      ]);
    });

    it('claims the keys again for a lead captured on a claim released meanwhile', async () => {
      const tenantId = newTenantId();
      const claimedLeadId = randomUUID();
      await env.pool.query(
        `INSERT INTO lead_identities (tenant_id, kind, value, lead_id) VALUES ($1, 'email', 'ada@example.com', $2)`,
        [tenantId, claimedLeadId],
      );
      // The replica that claimed the key releases it after this capture resolved the lead, before it appends.
      const releasing = createLeadCapturer({
        pool: env.pool,
        store: {
          readStream: async (streamId, options) => {
            await env.pool.query('DELETE FROM lead_identities WHERE tenant_id = $1', [tenantId]);
            return env.store.readStream(streamId, options);
          },
          appendToStream: env.store.appendToStream.bind(env.store),
        },
        clock: () => env.now,
      });

      const result = await releasing.capture({
        tenantId,
        submission: { email: 'ada@example.com' },
        defaultChannel: 'api',
      });

      expect(result).toEqual({ status: 'accepted', leadId: claimedLeadId });
      expect(await env.identitiesOf(tenantId)).toEqual([
        { kind: 'email', value: 'ada@example.com', leadId: claimedLeadId },
      ]);
    });
  });

  describe('after a crash between claiming the keys and appending', () => {
    it('captures the lead the keys were claimed for on the next submission', async () => {
      const tenantId = newTenantId();
      const claimedLeadId = randomUUID();
      await env.pool.query(
        `INSERT INTO lead_identities (tenant_id, kind, value, lead_id) VALUES ($1, 'email', 'ada@example.com', $2)`,
        [tenantId, claimedLeadId],
      );

      const result = await capture(tenantId, { email: 'Ada@example.com' });

      expect(result).toEqual({ status: 'accepted', leadId: claimedLeadId });
      expect((await env.eventsOf(tenantId)).map((event) => event.type)).toEqual(['LeadCaptured']);
    });
  });
});
