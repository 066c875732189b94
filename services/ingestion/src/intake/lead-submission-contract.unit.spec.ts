import { describe, expect, it } from 'vitest';
import { leadSubmissionV1Example, leadSubmissionV1Schema } from '@l2o/contracts';
import { leadSubmissionSchema, parseLeadSubmission } from '../capture/lead-submission.schema.ts';

// The intake contract (packages/contracts) and the capture pipeline each hold the submission's shape;
// these checks fail when one gains a field the other lacks.
describe('the intake contract and the capture pipeline', () => {
  it('accept the example the contract publishes', () => {
    expect(parseLeadSubmission(leadSubmissionV1Example)).toMatchObject({ ok: true });
  });

  it('name the same fields', () => {
    const contract = leadSubmissionV1Schema.shape;
    const pipeline = leadSubmissionSchema.shape;
    expect(Object.keys(contract).sort()).toEqual(Object.keys(pipeline).sort());
    expect(Object.keys(contract.company.unwrap().shape).sort()).toEqual(
      Object.keys(pipeline.company.unwrap().shape).sort(),
    );
    expect(Object.keys(contract.touchpoint.unwrap().shape).sort()).toEqual(
      Object.keys(pipeline.touchpoint.unwrap().shape).sort(),
    );
  });
});
