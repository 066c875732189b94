import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogue } from './catalogue.ts';
import { asyncApiDocument, eventDocsDir, eventJsonSchema, generateEventDocs } from './generate-docs.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

type Message = {
  name: string;
  headers: { properties: { ce_type: { const: string } } };
  payload: Record<string, unknown>;
};
type Channel = { address: string; messages: Record<string, { $ref: string }> };
const document = asyncApiDocument() as {
  asyncapi: string;
  channels: Record<string, Channel>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: { messages: Record<string, Message> };
};

describe('generated event documents', () => {
  it('are up to date on disk (run `node packages/contracts/src/generate-docs.ts`)', async () => {
    const files = generateEventDocs();
    for (const file of files) expect(await readFile(`${root}/${file.path}`, 'utf8'), file.path).toBe(file.content);
    const schemaFiles = files
      .filter((file) => file.path.includes('/schemas/'))
      .map((file) => file.path.split('/').pop());
    expect((await readdir(`${root}/${eventDocsDir}/schemas`)).sort()).toEqual(schemaFiles.sort());
  });

  it('is an AsyncAPI 3.0 document whose operations point at its channels', () => {
    expect(document.asyncapi).toBe('3.0.0');
    for (const operation of Object.values(document.operations)) {
      expect(['send', 'receive']).toContain(operation.action);
      expect(Object.keys(document.channels)).toContain(operation.channel.$ref.replace('#/channels/', ''));
    }
  });

  it.each(catalogue.map((entry) => [entry.cloudEventType, entry] as const))(
    'documents %s on its topic',
    (_type, entry) => {
      const channel = Object.values(document.channels).find((candidate) => candidate.address === entry.topic);
      const id = `${entry.name}V${entry.schemaVersion}`;
      expect(channel?.messages[id]).toEqual({ $ref: `#/components/messages/${id}` });
      const message = document.components.messages[id];
      expect(message?.name).toBe(entry.name);
      expect(message?.headers.properties.ce_type.const).toBe(entry.cloudEventType);
    },
  );

  it.each(catalogue.map((entry) => [entry.cloudEventType, entry] as const))(
    'publishes a JSON Schema for %s that accepts the example and extra fields',
    (_type, entry) => {
      const fromSchema = z.fromJSONSchema(eventJsonSchema(entry) as z.core.JSONSchema.JSONSchema);
      expect(fromSchema.safeParse(entry.example).success).toBe(true);
      expect(fromSchema.safeParse({ ...entry.example, addedInALaterRelease: 1 }).success).toBe(true);
      const payload = z.fromJSONSchema(
        document.components.messages[`${entry.name}V${entry.schemaVersion}`]?.payload ?? {},
      );
      expect(payload.safeParse(entry.example).success).toBe(true);
    },
  );

  it('carries the LeadCaptured rules into its JSON Schema', () => {
    const [leadCaptured] = catalogue;
    const fromSchema = z.fromJSONSchema(eventJsonSchema(leadCaptured) as z.core.JSONSchema.JSONSchema);
    expect(fromSchema.safeParse({ ...leadCaptured.example, leadId: 'not-a-uuid' }).success).toBe(false);
    expect(eventJsonSchema(leadCaptured)).toMatchObject({
      required: expect.arrayContaining(['leadId', 'tenantId', 'capturedAt', 'contact', 'touchpoint']),
      properties: { contact: { anyOf: [{ required: ['email'] }, { required: ['phone'] }] } },
    });
  });

  it('carries the rule that a LeadProfileUpdated changes at least one field into its JSON Schema', () => {
    const entry = catalogue.find((candidate) => candidate.name === 'LeadProfileUpdated');
    if (entry === undefined) throw new Error('LeadProfileUpdated is not in the catalogue');
    expect(eventJsonSchema(entry)).toMatchObject({
      required: ['leadId', 'tenantId', 'updatedAt', 'source'],
      anyOf: ['contact', 'company', 'consent', 'externalIds', 'customFields'].map((field) => ({ required: [field] })),
      properties: {
        contact: { minProperties: 1 },
        company: { minProperties: 1 },
        customFields: { minProperties: 1 },
        externalIds: { minItems: 1 },
      },
    });
  });
});
