/** What int specs read of a response to an injected request. */
export type TestResponse = {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = unknown>(): T;
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An HTTP app that answers requests without a socket, as Fastify's `inject` does. */
export type InjectableApp = {
  inject(request: {
    method: Method;
    url: string;
    headers: Record<string, string>;
    payload?: string | object;
  }): Promise<TestResponse>;
};

/** A request of a tenant's client: `body` is the payload (objects as JSON), `headers` come on top of the key's. */
export type ApiKeyRequest = {
  /** Default `GET`. */
  method?: Method;
  url: string;
  apiKey: string;
  body?: unknown;
  headers?: Record<string, string>;
};

/** Injects a request authenticated as a tenant's client is: `Authorization: Bearer <apiKey>`. */
export function requestWithApiKey(app: InjectableApp, request: ApiKeyRequest): Promise<TestResponse> {
  return app.inject({
    method: request.method ?? 'GET',
    url: request.url,
    headers: { authorization: `Bearer ${request.apiKey}`, ...request.headers },
    ...(request.body === undefined ? {} : { payload: request.body as string | object }),
  });
}
