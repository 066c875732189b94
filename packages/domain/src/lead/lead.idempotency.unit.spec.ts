import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadActivityTypes, leadChannels, leadMatchKinds, parseEventData } from '@l2o/contracts';
import type { CaptureLead, RecordActivity } from './lead.commands.ts';

/** The commands that carry capture ids. */
type CaptureCommand = CaptureLead | RecordActivity;
import { leadDecider } from './lead.decider.ts';
import type { LeadEvent } from './lead.events.ts';
import type { Lead } from './lead.state.ts';

const leadId = '3f1e2d4c-8b7a-4c6d-9e5f-1a2b3c4d5e6f';
const tenantId = 'acme';

// A small pool of capture ids, so that lists repeat some of them.
const captureIdArb = fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'csv:9f2e', 'intake:0b6f'), {
  nil: undefined,
  freq: 8,
});
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const timeArb = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const contactArb = fc
  .record({
    email: optional(fc.constantFrom('ada@example.com', 'ada@home.example', 'a.lovelace@engines.example')),
    phone: optional(fc.constantFrom('+442079460000', '+14155550123')),
    firstName: optional(fc.constantFrom('Ada', 'Augusta')),
    lastName: optional(fc.constantFrom('Lovelace', 'King')),
    jobTitle: optional(fc.constantFrom('Analyst', 'Countess')),
  })
  .filter((contact) => contact.email !== undefined || contact.phone !== undefined);

const consentArb = optional(
  fc
    .boolean()
    .chain((optedOut) => (optedOut ? fc.constant(false) : fc.boolean()).map((marketing) => ({ marketing, optedOut }))),
);

const captureArb: fc.Arbitrary<Omit<CaptureLead, 'metadata'>> = fc.record({
  type: fc.constant('CaptureLead' as const),
  data: fc.record({
    leadId: fc.constant(leadId),
    tenantId: fc.constant(tenantId),
    contact: contactArb,
    company: fc.record({
      name: optional(fc.constantFrom('Analytical Engines Ltd', 'Engines Inc')),
      country: optional(fc.constantFrom('GB', 'FR')),
      size: optional(fc.constantFrom(12, 120)),
    }),
    consent: consentArb,
    touchpoint: fc.record({ channel: fc.constantFrom(...leadChannels), occurredAt: timeArb }),
    externalIds: optional(
      fc.uniqueArray(fc.record({ source: fc.constantFrom('hubspot', 'crm'), id: fc.constantFrom('1', '2') }), {
        maxLength: 4,
        selector: (externalId) => `${externalId.source}:${externalId.id}`,
      }),
    ),
    customFields: optional(
      fc.dictionary(
        fc.constantFrom('seats', 'region', 'budget'),
        fc.oneof(fc.integer(), fc.constant(null), fc.string({ minLength: 1, maxLength: 8 })),
      ),
    ),
  }),
  captureId: captureIdArb,
  matchedBy: optional(fc.constantFrom(...leadMatchKinds)),
});

const activityArb: fc.Arbitrary<Omit<RecordActivity, 'metadata'>> = fc.record({
  type: fc.constant('RecordActivity' as const),
  data: fc.record({
    leadId: fc.constant(leadId),
    tenantId: fc.constant(tenantId),
    activity: fc.record({ type: fc.constantFrom(...leadActivityTypes), occurredAt: timeArb }),
  }),
  captureId: captureIdArb,
});

/** Commands that start with a capture (activities need a lead), each with its own decision time. */
const commandsArb: fc.Arbitrary<CaptureCommand[]> = fc
  .tuple(
    captureArb,
    fc.array(fc.oneof({ arbitrary: captureArb, weight: 3 }, { arbitrary: activityArb, weight: 1 }), { maxLength: 20 }),
  )
  .chain(([first, rest]) =>
    fc.tuple(
      ...[first, ...rest].map((command) => timeArb.map((now) => ({ ...command, metadata: { now: new Date(now) } }))),
    ),
  )
  .map((commands) => commands as CaptureCommand[]);

/** Decides each command on the state its predecessors left, appending what it yields. */
function run(commands: readonly CaptureCommand[], from: { lead: Lead; events: LeadEvent[] }) {
  let { lead } = from;
  const events = [...from.events];
  const steps: Array<{ command: CaptureCommand; decided: LeadEvent[]; lead: Lead }> = [];
  for (const command of commands) {
    const decided = leadDecider.decide(command, lead);
    lead = decided.reduce(leadDecider.evolve, lead);
    events.push(...decided);
    steps.push({ command, decided, lead });
  }
  return { lead, events, steps };
}

const known = (fields: object) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

const start = () => ({ lead: leadDecider.initialState(), events: [] as LeadEvent[] });

describe('Lead, for any sequence of captures and activities', () => {
  it('yields no event when the same commands with capture ids are replayed', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const withIds = commands.map((command, index) => ({ ...command, captureId: command.captureId ?? `n${index}` }));
        const first = run(withIds, start());
        const replay = run(withIds, first);
        expect(replay.events).toEqual(first.events);
        // The stream rebuilt from its events decides the same: nothing new.
        const rebuilt = first.events.reduce(leadDecider.evolve, leadDecider.initialState());
        expect(rebuilt).toEqual(first.lead);
        expect(run(withIds, { lead: rebuilt, events: [] }).events).toEqual([]);
      }),
    );
  });

  it('applies each capture id once however the commands repeat', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const { events } = run(commands, start());
        const ids = events.flatMap((event) =>
          'captureId' in event.data && event.data.captureId !== undefined ? [event.data.captureId] : [],
        );
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });

  it('applies every opt-out it is given and never loses one', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        let optedOut = false;
        for (const { command, decided, lead } of run(commands, start()).steps) {
          const applied = decided.length > 0;
          if (applied && command.type === 'CaptureLead' && command.data.consent?.optedOut) optedOut = true;
          expect(lead.status === 'active' && lead.profile.consent?.optedOut === true).toBe(optedOut);
        }
      }),
    );
  });

  it('never overwrites a known contact or company field', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        run(commands, start()).steps.reduce<Lead>((before, { lead: after }) => {
          if (before.status === 'active' && after.status === 'active') {
            expect(after.profile.contact).toMatchObject(known(before.profile.contact));
            expect(after.profile.company).toMatchObject(known(before.profile.company));
          }
          return after;
        }, leadDecider.initialState());
      }),
    );
  });

  it('yields only events its public contracts accept', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        for (const event of run(commands, start()).events) {
          expect(() => parseEventData(event.type, 1, event.data), event.type).not.toThrow();
        }
      }),
    );
  });
});
