import { describe, expect, test } from 'vitest';
import { batched } from '../../server/cache/batch.ts';

/** A run that records each batch it was given and answers `value:<key>` for keys not in `missing`. */
function recorder(missing: string[] = []) {
  const batches: Array<Array<[string, string]>> = [];
  let release: (() => void) | undefined;
  const run = async (items: Map<string, string>) => {
    batches.push([...items]);
    if (release === undefined && batches.length === 1) await new Promise<void>((r) => (release = r));
    return new Map([...items.keys()].filter((k) => !missing.includes(k)).map((k) => [k, `value:${k}`]));
  };
  return { run, batches, release: () => release?.() };
}

describe('batched: concurrent calls share one statement', () => {
  test('calls in one turn go in one batch; each gets its own key’s result, a missing key undefined', async () => {
    const calls: Array<[string, string]> = [];
    const load = batched(async (items: Map<string, string>) => {
      calls.push(...items);
      return new Map([
        ['a', 1],
        ['b', 2],
      ]);
    });
    await expect(Promise.all([load('a', 'x'), load('b', 'y'), load('c', 'z')])).resolves.toEqual([1, 2, undefined]);
    expect(calls).toEqual([
      ['a', 'x'],
      ['b', 'y'],
      ['c', 'z'],
    ]);
  });

  test('calls made while a batch runs wait for the next one, all together', async () => {
    const r = recorder();
    const load = batched(r.run);
    const first = load('a', '1');
    await new Promise((resolve) => setImmediate(resolve));
    const later = [load('b', '2'), load('c', '3'), load('b', '4')];
    r.release();
    await expect(first).resolves.toBe('value:a');
    await expect(Promise.all(later)).resolves.toEqual(['value:b', 'value:c', 'value:b']);
    // The same key twice is one entry of its batch, with the last item given.
    expect(r.batches).toEqual([
      [['a', '1']],
      [
        ['b', '4'],
        ['c', '3'],
      ],
    ]);
  });

  test('a failed batch rejects its own callers only; the next batch runs', async () => {
    let n = 0;
    const load = batched(async (items: Map<string, number>) => {
      n += 1;
      if (n === 1) throw new Error('store down');
      return new Map([...items.keys()].map((k) => [k, k.toUpperCase()]));
    });
    const failed = Promise.allSettled([load('a', 0), load('b', 0)]);
    expect((await failed).map((s) => s.status)).toEqual(['rejected', 'rejected']);
    await expect(load('c', 0)).resolves.toBe('C');
  });

  test('more keys than max: the rest go in the following batches', async () => {
    const sizes: number[] = [];
    const load = batched(
      async (items: Map<number, null>) => {
        sizes.push(items.size);
        return new Map([...items.keys()].map((k) => [k, k * 2]));
      },
      { max: 4 },
    );
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => load(i, null)));
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    expect(sizes).toEqual([4, 4, 2]);
  });
});
