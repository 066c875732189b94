import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScoringTestEnv } from './scoring-test-env.fixture.ts';
import type { ScoringTestEnv } from './scoring-test-env.fixture.ts';

describe('scoring app', () => {
  let env: ScoringTestEnv;

  beforeAll(async () => {
    env = await startScoringTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('documents every scoring route in its OpenAPI document', async () => {
    const response = await env.app.inject({ url: '/docs/json' });

    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/scoring/rules', '/v1/scoring/leads/{leadId}', '/v1/scoring/what-if']),
    );
  });

  it('answers 401 without an API key', async () => {
    const response = await env.app.inject({ url: '/v1/scoring/rules' });

    expect(response.statusCode).toBe(401);
  });
});
