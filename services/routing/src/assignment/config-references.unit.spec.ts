import { describe, expect, it } from 'vitest';
import { pool, rep, rule, settings } from './assignment.fixture.ts';
import { danglingReferences } from './config-references.ts';

describe('danglingReferences', () => {
  it('finds nothing when every pool and rep exists', () => {
    const config = {
      settings: settings({ rules: [rule('r', { poolId: 'default' })], sharedPoolId: 'default' }),
      pools: [pool('default', { repIds: ['a'] })],
      reps: [rep('a')],
    };
    expect(danglingReferences(config)).toEqual([]);
  });

  it('names every missing pool and rep with where it is named', () => {
    const config = {
      settings: settings({ rules: [rule('r', { poolId: 'gone' })], defaultPoolId: 'default', sharedPoolId: 'shared' }),
      pools: [pool('default', { repIds: ['a', 'left'] })],
      reps: [rep('a')],
    };
    expect(danglingReferences(config)).toEqual([
      { path: 'sharedPoolId', id: 'shared' },
      { path: 'rules.0.poolId', id: 'gone' },
      { path: 'pools.default.members.1.repId', id: 'left' },
    ]);
  });

  it('checks only the pools’ members of a tenant without settings', () => {
    const config = { pools: [pool('default', { repIds: ['a', 'left'] })], reps: [rep('a')] };
    expect(danglingReferences(config)).toEqual([{ path: 'pools.default.members.1.repId', id: 'left' }]);
  });
});
