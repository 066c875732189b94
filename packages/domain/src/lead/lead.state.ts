/** What the Lead decider knows of a lead, by lifecycle status; `none` until it is captured. */
export type Lead =
  | { status: 'none' }
  | {
      status: 'captured';
      leadId: string;
      tenantId: string;
      capturedAt: string;
      /** Canonical JSON of the captured data without `capturedAt`, to tell a redelivery from a conflicting capture. */
      captureFingerprint: string;
    };

/** The state of a lead whose stream is empty. */
export function initialState(): Lead {
  return { status: 'none' };
}
