import type { JsonSchema } from './json-schema.arbitrary.ts';

export type WriteMethod = 'POST' | 'PUT' | 'PATCH';

export type OperationParameter = {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
};

/** One POST, PUT or PATCH operation of an OpenAPI document, as the fuzzer needs it. */
export type WriteOperation = {
  method: WriteMethod;
  /** The OpenAPI path, e.g. `/v1/leads/{leadId}/accept`. */
  path: string;
  parameters: OperationParameter[];
  /** The request body, when the operation declares one; JSON when its media types include `application/json`. */
  body?: { mediaType: string; schema: JsonSchema; examples: unknown[] };
};

type OpenApiOperation = {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: {
    content?: Record<
      string,
      { schema?: JsonSchema; example?: unknown; examples?: Record<string, { value?: unknown }> }
    >;
  };
};

/** What the fuzzer reads of an OpenAPI 3 document. */
export type OpenApiDocument = { paths?: Record<string, Record<string, OpenApiOperation>> };

const writeMethods: readonly WriteMethod[] = ['POST', 'PUT', 'PATCH'];

function bodyOf(operation: OpenApiOperation): WriteOperation['body'] {
  const content = operation.requestBody?.content;
  if (content === undefined) return undefined;
  const mediaTypes = Object.keys(content);
  const mediaType = mediaTypes.includes('application/json') ? 'application/json' : mediaTypes[0];
  if (mediaType === undefined) return undefined;
  const entry = content[mediaType] ?? {};
  const examples = [
    ...(entry.example === undefined ? [] : [entry.example]),
    ...Object.values(entry.examples ?? {}).map((example) => example.value),
  ];
  return { mediaType, schema: entry.schema ?? {}, examples };
}

/** Every POST, PUT and PATCH operation of `document`, in document order. */
export function writeOperationsOf(document: OpenApiDocument): WriteOperation[] {
  const operations: WriteOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths ?? {})) {
    for (const [name, operation] of Object.entries(methods)) {
      const method = name.toUpperCase() as WriteMethod;
      if (!writeMethods.includes(method)) continue;
      const parameters = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path' || parameter.in === 'query' || parameter.in === 'header')
        .map((parameter) => ({
          name: parameter.name,
          in: parameter.in as OperationParameter['in'],
          required: parameter.required === true,
          schema: parameter.schema ?? {},
        }));
      const body = bodyOf(operation);
      operations.push({ method, path, parameters, ...(body === undefined ? {} : { body }) });
    }
  }
  return operations;
}
