import { describe, expect, it } from 'vitest';
import { requestWithApiKey } from './request-with-api-key.ts';
import type { InjectableApp, TestResponse } from './request-with-api-key.ts';

const answer: TestResponse = { statusCode: 204, headers: {}, body: '', json: () => undefined as never };

function recordingApp(): InjectableApp & { received: unknown[] } {
  const received: unknown[] = [];
  return {
    received,
    inject: async (request) => {
      received.push(request);
      return answer;
    },
  };
}

describe('requestWithApiKey', () => {
  it('sends the API key as a bearer token with the body as payload', async () => {
    const app = recordingApp();
    const response = await requestWithApiKey(app, {
      method: 'POST',
      url: '/v1/leads',
      apiKey: 'l2o_key',
      body: { email: 'ada@engines.example' },
    });
    expect(response).toBe(answer);
    expect(app.received).toEqual([
      {
        method: 'POST',
        url: '/v1/leads',
        headers: { authorization: 'Bearer l2o_key' },
        payload: { email: 'ada@engines.example' },
      },
    ]);
  });

  it('sends a GET without payload when neither method nor body is given, with the extra headers', async () => {
    const app = recordingApp();
    await requestWithApiKey(app, {
      url: '/v1/leads/1',
      apiKey: 'l2o_key',
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(app.received).toEqual([
      { method: 'GET', url: '/v1/leads/1', headers: { authorization: 'Bearer l2o_key', 'idempotency-key': 'k-1' } },
    ]);
  });
});
