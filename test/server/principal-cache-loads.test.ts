import { describe, expect, test } from 'vitest';
import { createPrincipalCache } from '../../server/cache/principals.ts';

describe('principal cache: concurrent lookups of one key', () => {
  test('share one load while it runs, and each gets its owner', async () => {
    const cache = createPrincipalCache();
    let loads = 0;
    let release: (owner: { tenantId: string }) => void = () => {};
    const load = () => {
      loads += 1;
      return new Promise<{ tenantId: string } | undefined>((resolve) => (release = resolve));
    };
    const lookups = [cache.lookup('k', load), cache.lookup('k', load), cache.lookup('k', load)];
    release({ tenantId: 'org_acme' });
    await expect(Promise.all(lookups)).resolves.toEqual(Array(3).fill({ tenantId: 'org_acme' }));
    expect(loads).toBe(1);
    await expect(cache.lookup('k', load)).resolves.toEqual({ tenantId: 'org_acme' });
    expect(loads).toBe(1);
  });

  test('a refused key (no owner) is shared while loading but never kept: the next lookup loads again', async () => {
    const cache = createPrincipalCache();
    let loads = 0;
    const load = async () => {
      loads += 1;
      return undefined;
    };
    await expect(Promise.all([cache.lookup('k', load), cache.lookup('k', load)])).resolves.toEqual([
      undefined,
      undefined,
    ]);
    expect(loads).toBe(1);
    await cache.lookup('k', load);
    expect(loads).toBe(2);
  });

  test('a load that fails rejects every lookup that shared it, and the next one loads again', async () => {
    const cache = createPrincipalCache();
    let loads = 0;
    const load = async () => {
      loads += 1;
      if (loads === 1) throw new Error('store down');
      return { tenantId: 'org_acme' };
    };
    const shared = await Promise.allSettled([cache.lookup('k', load), cache.lookup('k', load)]);
    expect(shared.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    await expect(cache.lookup('k', load)).resolves.toEqual({ tenantId: 'org_acme' });
  });
});
