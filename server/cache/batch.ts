type Caller<V> = { resolve: (value: V | undefined) => void; reject: (err: unknown) => void };

/**
 * Gathers the calls made while the previous batch runs (or within one turn of the event loop)
 * into one `run`: on a store that answers one query at a time (PGlite), N concurrent requests
 * then cost one statement instead of N. Each call passes a key and an item (the last item given
 * for a key wins) and resolves with its key's result, or rejects with its batch's error.
 */
export function batched<K, I, V>(
  run: (items: Map<K, I>) => Promise<Map<K, V> | undefined>,
  { max = 256 } = {},
): (key: K, item: I) => Promise<V | undefined> {
  let waiting = new Map<K, { item: I; callers: Array<Caller<V>> }>();
  let running = false;
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    if (running || waiting.size === 0) return;
    running = true;
    const entries = [...waiting];
    // Over `max` keys, the rest wait for the next statement.
    const batch = new Map(entries.slice(0, max));
    waiting = new Map(entries.slice(max));
    try {
      const found = await run(new Map([...batch].map(([key, { item }]) => [key, item])));
      for (const [key, { callers }] of batch) for (const c of callers) c.resolve(found?.get(key));
    } catch (err) {
      for (const { callers } of batch.values()) for (const c of callers) c.reject(err);
    } finally {
      running = false;
      schedule();
    }
  }

  function schedule(): void {
    if (scheduled || running || waiting.size === 0) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  return (key, item) =>
    new Promise<V | undefined>((resolve, reject) => {
      const entry = waiting.get(key);
      if (entry) {
        entry.item = item;
        entry.callers.push({ resolve, reject });
      } else waiting.set(key, { item, callers: [{ resolve, reject }] });
      schedule();
    });
}
