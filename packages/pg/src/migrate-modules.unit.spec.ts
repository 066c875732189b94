import { describe, expect, it } from 'vitest';
import { migrateModules } from './migrate-modules.ts';

const target = { databaseUrl: 'postgres://postgres@127.0.0.1:5432/l2o', schema: 'l2o_test' };

describe('migrateModules', () => {
  it('migrates each module in the schema, the next only after the last finished', async () => {
    const log: string[] = [];
    const module = (name: string) => async (options: { databaseUrl: string; schema: string }) => {
      log.push(`${name} starts in ${options.schema}`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`${name} done`);
    };
    await migrateModules({ ...target, modules: [module('event store'), module('tenancy'), module('routing')] });
    expect(log).toEqual([
      'event store starts in l2o_test',
      'event store done',
      'tenancy starts in l2o_test',
      'tenancy done',
      'routing starts in l2o_test',
      'routing done',
    ]);
  });

  it('stops at the first module that fails', async () => {
    const reached: string[] = [];
    const failing = migrateModules({
      ...target,
      modules: [
        async () => {
          throw new Error('lock timeout');
        },
        async () => void reached.push('tenancy'),
      ],
    });
    await expect(failing).rejects.toThrow('lock timeout');
    expect(reached).toEqual([]);
  });
});
