// Creates, lists and revokes tenant API keys in the platform's database:
//   node scripts/api-key.ts create --tenant acme --name crm-sync --scopes ingest,read_reports
//   node scripts/api-key.ts list --tenant acme
//   node scripts/api-key.ts revoke <keyId>
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/l2o) and DATABASE_SCHEMA (default l2o) pick the database.
import { parseArgs } from 'node:util';
import { createPool } from '@l2o/pg';
import { apiScopeDescriptions, apiScopes, createApiKey, isApiScope, listApiKeys, revokeApiKey } from '@l2o/tenancy';
import type { ApiScope } from '@l2o/tenancy';

const usage = `usage:
  node scripts/api-key.ts create --tenant <tenantId> --name <name> --scopes <scope,...>
  node scripts/api-key.ts list --tenant <tenantId>
  node scripts/api-key.ts revoke <keyId>

scopes:
${Object.entries(apiScopeDescriptions)
  .map(([scope, description]) => `  ${scope.padEnd(17)} ${description}`)
  .join('\n')}`;

class UsageError extends Error {
  override name = 'UsageError';
}

type Command =
  | { command: 'create'; tenantId: string; name: string; scopes: ApiScope[] }
  | { command: 'list'; tenantId: string }
  | { command: 'revoke'; keyId: string };

function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${option} is required`);
  return value;
}

function parseScopes(value: string): ApiScope[] {
  const scopes = value
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
  const unknown = scopes.filter((scope) => !isApiScope(scope));
  if (unknown.length > 0) throw new UsageError(`unknown scope ${unknown.join(', ')}; expected ${apiScopes.join(', ')}`);
  if (scopes.length === 0) throw new UsageError(`--scopes needs at least one of ${apiScopes.join(', ')}`);
  return scopes.filter(isApiScope);
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { tenant: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseCommand(args: string[]): Command {
  const [command, ...rest] = args;
  const { values, positionals } = parseOptions(rest);
  const noPositionals = () => {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals.join(' ')}`);
  };
  switch (command) {
    case 'create':
      noPositionals();
      return {
        command,
        tenantId: required(values.tenant, '--tenant'),
        name: required(values.name, '--name'),
        scopes: parseScopes(required(values.scopes, '--scopes')),
      };
    case 'list':
      noPositionals();
      if (values.name !== undefined || values.scopes !== undefined) throw new UsageError('list takes only --tenant');
      return { command, tenantId: required(values.tenant, '--tenant') };
    case 'revoke': {
      if (values.tenant !== undefined || values.name !== undefined || values.scopes !== undefined) {
        throw new UsageError('revoke takes only the key id');
      }
      const [keyId, ...extra] = positionals;
      if (keyId === undefined) throw new UsageError('revoke needs the key id (see list)');
      if (extra.length > 0) throw new UsageError(`unexpected argument ${extra.join(' ')}`);
      return { command, keyId };
    }
    case undefined:
      throw new UsageError('a command is required');
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

async function run(command: Command): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/l2o';
  const schema = process.env.DATABASE_SCHEMA ?? 'l2o';
  const pool = createPool({ connectionString: databaseUrl, schema, max: 1, applicationName: 'l2o-api-key-cli' });
  try {
    switch (command.command) {
      case 'create': {
        const created = await createApiKey({
          pool,
          tenantId: command.tenantId,
          name: command.name,
          scopes: command.scopes,
        });
        console.log(created.apiKey);
        console.error(
          `created key ${created.keyId} for tenant ${created.tenantId} (${created.scopes.join(', ')}); ` +
            'it is shown only now: store it in a secret manager',
        );
        return;
      }
      case 'list': {
        const keys = await listApiKeys({ pool, tenantId: command.tenantId });
        if (keys.length === 0) console.error(`tenant ${command.tenantId} has no API keys`);
        for (const key of keys) {
          const state = key.revokedAt === null ? 'active' : `revoked ${key.revokedAt.toISOString()}`;
          console.log(
            [key.keyId, key.name, key.scopes.join(','), `created ${key.createdAt.toISOString()}`, state].join('\t'),
          );
        }
        return;
      }
      case 'revoke': {
        const outcome = await revokeApiKey({ pool, keyId: command.keyId });
        if (outcome === 'not_found') throw new Error(`no API key ${command.keyId}`);
        console.error(
          outcome === 'revoked'
            ? `revoked key ${command.keyId}; services stop accepting it once their key cache expires (30 s by default)`
            : `key ${command.keyId} was already revoked`,
        );
        return;
      }
      default:
        command satisfies never;
    }
  } finally {
    await pool.end();
  }
}

try {
  await run(parseCommand(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`api-key: ${error.message}\n\n${usage}`);
    process.exit(2);
  }
  const reason = error instanceof Error ? error.message : String(error);
  const hint = /relation "api_keys" does not exist/.test(reason) ? ' (run node scripts/prepare.ts first)' : '';
  console.error(`api-key: ${reason}${hint}`);
  process.exit(1);
}
