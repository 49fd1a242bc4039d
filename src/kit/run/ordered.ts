/**
 * Runs `fn` over `items` with up to `window` calls in flight, yielding the results in the order of
 * `items`: the head is yielded as soon as it is done while the next ones are already running. At
 * most `window` results are held, whatever the number of items (items are drawn lazily).
 */
export async function* orderedMap<T, R>(items: Iterable<T>, fn: (item: T) => Promise<R>, window: number): AsyncGenerator<R> {
  const it = items[Symbol.iterator]();
  const pending: Array<Promise<R>> = [];
  const fill = () => {
    while (pending.length < Math.max(1, window)) {
      const next = it.next();
      if (next.done) return;
      const p = fn(next.value);
      p.catch(() => {}); // awaited in order below; a later failure must not be reported as unhandled first
      pending.push(p);
    }
  };
  fill();
  for (let head = pending.shift(); head; head = pending.shift()) {
    const value = await head;
    fill();
    yield value;
  }
}
