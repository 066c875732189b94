import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MergeLeads } from './lead.commands.ts';
import type { LeadEvent } from './lead.events.ts';
import type { Lead } from './lead.state.ts';
import { decideMerge } from './lead-merge.decide.ts';
import type { MergeDecision } from './lead-merge.decide.ts';
import { LeadMergedError } from './lead-merged.error.ts';
import {
  captureAgain,
  captureLead,
  capturedFrom,
  given,
  later,
  mergeLeads,
  publishable,
  ruleViolationOf,
  when,
} from './lead.fixture.ts';

const mergedAt = later.toISOString();

/** A captured lead's stream; `data` replaces fields of the default capture. */
function leadStream(options: Parameters<typeof captureLead>[0] = {}) {
  const command = captureLead(options);
  return { leadId: command.data.leadId, stream: [capturedFrom(command)] as LeadEvent[] };
}

function merge(options: { survivor: Lead; merged: Lead; command: MergeLeads }): MergeDecision {
  const decision = decideMerge(options);
  publishable(decision.survivorEvents);
  publishable(decision.mergedEvents);
  return decision;
}

describe('Lead merge', () => {
  const survivor = leadStream({
    captureId: 's-1',
    data: {
      contact: { email: 'ada@example.com', firstName: 'Ada' },
      company: { name: 'Analytical Engines Ltd' },
      consent: { marketing: true, optedOut: false },
      externalIds: [{ source: 'hubspot', id: '1' }],
      customFields: { seats: 10 },
    },
  });
  const merged = leadStream({
    captureId: 'm-1',
    data: {
      contact: { email: 'ada@home.example', phone: '+442079460000', firstName: 'Augusta', lastName: 'Lovelace' },
      company: { name: 'Engines Inc', country: 'GB' },
      consent: { marketing: false, optedOut: false },
      externalIds: [
        { source: 'hubspot', id: '1' },
        { source: 'salesforce', id: '2' },
      ],
      customFields: { seats: 99, region: 'EMEA' },
    },
  });
  const command = mergeLeads({ survivorLeadId: survivor.leadId, mergedLeadId: merged.leadId, reason: 'same person' });
  const ids = {
    tenantId: 'acme',
    survivorLeadId: survivor.leadId,
    mergedLeadId: merged.leadId,
    mergedAt,
    reason: 'same person',
  };

  describe('of two active leads of one tenant', () => {
    it('records the merge on both and fills the survivor’s unknown fields from the merged lead', () => {
      expect(merge({ survivor: given(survivor.stream), merged: given(merged.stream), command })).toEqual({
        survivorEvents: [
          {
            type: 'LeadsMerged',
            data: { leadId: survivor.leadId, ...ids, role: 'survivor', absorbedCaptureIds: ['m-1'] },
          },
          {
            type: 'LeadProfileUpdated',
            data: {
              leadId: survivor.leadId,
              tenantId: 'acme',
              updatedAt: mergedAt,
              source: 'merge',
              contact: { phone: '+442079460000', lastName: 'Lovelace' },
              company: { country: 'GB' },
              externalIds: [{ source: 'salesforce', id: '2' }],
              customFields: { region: 'EMEA' },
            },
          },
        ],
        mergedEvents: [{ type: 'LeadsMerged', data: { leadId: merged.leadId, ...ids, role: 'merged' } }],
      });
    });

    it('records only the merge when the merged lead knows nothing new', () => {
      const twin = leadStream({ data: { contact: { email: 'ada@example.com' }, company: {}, consent: undefined } });
      const decision = merge({
        survivor: given(survivor.stream),
        merged: given(twin.stream),
        command: mergeLeads({ survivorLeadId: survivor.leadId, mergedLeadId: twin.leadId }),
      });
      expect(decision.survivorEvents).toEqual([
        {
          type: 'LeadsMerged',
          data: {
            leadId: survivor.leadId,
            tenantId: 'acme',
            survivorLeadId: survivor.leadId,
            mergedLeadId: twin.leadId,
            role: 'survivor',
            mergedAt,
          },
        },
      ]);
      expect(Object.keys(decision.survivorEvents[0]?.data ?? {})).not.toContain('reason');
    });

    it('carries the merged lead’s opt-out to the survivor', () => {
      const optedOut = leadStream({ data: { consent: { marketing: false, optedOut: true } } });
      const { survivorEvents } = merge({
        survivor: given(survivor.stream),
        merged: given(optedOut.stream),
        command: mergeLeads({ survivorLeadId: survivor.leadId, mergedLeadId: optedOut.leadId }),
      });
      expect(survivorEvents[1]?.data).toEqual(
        expect.objectContaining({ consent: { marketing: false, optedOut: true } }),
      );
    });

    it('leaves the merged lead pointing at the survivor, which treats the merged lead’s captures as duplicates', () => {
      const { survivorEvents, mergedEvents } = merge({
        survivor: given(survivor.stream),
        merged: given(merged.stream),
        command,
      });
      const survivorAfter = [...survivor.stream, ...survivorEvents];
      expect(given([...merged.stream, ...mergedEvents])).toEqual({
        status: 'merged',
        leadId: merged.leadId,
        tenantId: 'acme',
        mergedInto: survivor.leadId,
      });
      expect(given(survivorAfter)).toMatchObject({ status: 'active', appliedCaptureIds: ['s-1', 'm-1'] });
      expect(when(survivorAfter, captureAgain({ leadId: survivor.leadId }, { captureId: 'm-1' }))).toEqual([]);
    });
  });

  describe('when it cannot or need not happen', () => {
    const mergedStreams = () => {
      const decision = decideMerge({ survivor: given(survivor.stream), merged: given(merged.stream), command });
      return {
        survivor: given([...survivor.stream, ...decision.survivorEvents]),
        merged: given([...merged.stream, ...decision.mergedEvents]),
      };
    };

    it('does nothing when the lead was already merged into this survivor', () => {
      expect(decideMerge({ ...mergedStreams(), command })).toEqual({ survivorEvents: [], mergedEvents: [] });
    });

    it('refuses a merge into itself', () => {
      const self = mergeLeads({ survivorLeadId: survivor.leadId, mergedLeadId: survivor.leadId });
      const state = given(survivor.stream);
      expect(ruleViolationOf(() => decideMerge({ survivor: state, merged: state, command: self }))).toMatchObject({
        message: 'a lead cannot be merged into itself',
        field: 'mergedLeadId',
      });
    });

    it('refuses leads of another tenant than the caller’s', () => {
      const foreign = leadStream({ data: { tenantId: 'globex' } });
      const violation = ruleViolationOf(() =>
        decideMerge({
          survivor: given(survivor.stream),
          merged: given(foreign.stream),
          command: mergeLeads({ survivorLeadId: survivor.leadId, mergedLeadId: foreign.leadId }),
        }),
      );
      expect(violation).toMatchObject({ message: 'lead belongs to another tenant', field: 'mergedLeadId' });
    });

    it('refuses a lead already merged into another one', () => {
      const third = leadStream();
      const violation = ruleViolationOf(() =>
        decideMerge({
          survivor: given(third.stream),
          merged: mergedStreams().merged,
          command: mergeLeads({ survivorLeadId: third.leadId, mergedLeadId: merged.leadId }),
        }),
      );
      expect(violation).not.toBeInstanceOf(LeadMergedError);
      expect(violation).toMatchObject({ field: 'mergedLeadId' });
    });

    it('points at the survivor’s own survivor when the survivor was merged', () => {
      const other = leadStream();
      const violation = ruleViolationOf(() =>
        decideMerge({
          survivor: mergedStreams().merged,
          merged: given(other.stream),
          command: mergeLeads({ survivorLeadId: merged.leadId, mergedLeadId: other.leadId }),
        }),
      );
      expect(violation).toBeInstanceOf(LeadMergedError);
      expect(violation).toMatchObject({ field: 'survivorLeadId', survivorLeadId: survivor.leadId });
    });

    it.each(['survivorLeadId', 'mergedLeadId'] as const)('refuses a %s that does not exist', (field) => {
      const missing = { status: 'none' } as const;
      const states =
        field === 'survivorLeadId'
          ? { survivor: missing, merged: given(merged.stream) }
          : { survivor: given(survivor.stream), merged: missing };
      const ids = { survivorLeadId: survivor.leadId, mergedLeadId: merged.leadId, [field]: randomUUID() };
      expect(ruleViolationOf(() => decideMerge({ ...states, command: mergeLeads(ids) }))).toMatchObject({
        message: 'lead does not exist',
        field,
      });
    });
  });
});
