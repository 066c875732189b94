import { leadCapturedV1Example } from '@l2o/contracts';
import type { CaptureLead, ScoreLead } from '@l2o/domain';

/** A CaptureLead of the contract's example lead as `leadId` of `tenantId`, its company in `country` with `employees`. */
export function captureLeadCommand(options: {
  leadId: string;
  tenantId: string;
  now: Date;
  country?: string | undefined;
  employees?: number | undefined;
}): CaptureLead {
  const { leadId, tenantId, now, country = 'GB', employees = 120 } = options;
  const { capturedAt: _capturedAt, captureId: _captureId, ...example } = leadCapturedV1Example;
  return {
    type: 'CaptureLead',
    data: { ...example, leadId, tenantId, company: { ...example.company, country, size: employees } },
    metadata: { now },
  };
}

/** A score over the MQL threshold, as scoring sends it: the Lead appends LeadScored and LeadQualified. */
export function qualifyLeadCommand(options: { leadId: string; tenantId: string; now: Date }): ScoreLead {
  const { leadId, tenantId, now } = options;
  return {
    type: 'ScoreLead',
    data: {
      leadId,
      tenantId,
      score: 80,
      grade: 'A',
      components: { fit: 80, engagement: 80, predictive: null },
      breakdown: [],
      ruleSetVersion: 1,
      trigger: 'captured',
      mql: { threshold: 60 },
    },
    metadata: { now },
  };
}
