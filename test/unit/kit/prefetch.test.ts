import { describe, it, expect } from 'vitest';
import { prefetch } from '../../../src/kit/prefetch.js';

/** A source that records when each item is requested. */
function source(items: number[], failAt?: number) {
  const requested: number[] = [];
  let returned = false;
  const gen = (async function* () {
    try {
      for (const [i, item] of items.entries()) {
        requested.push(i);
        await new Promise((r) => setTimeout(r, 1));
        if (i === failAt) throw new Error(`page ${i} failed`);
        yield item;
      }
    } finally {
      returned = true;
    }
  })();
  return { gen, requested, returned: () => returned };
}

describe('prefetch', () => {
  it('yields every item in order, asking for the next one while the current one is handled', async () => {
    const s = source([10, 20, 30]);
    const seen: Array<[number, number]> = [];
    for await (const item of prefetch(s.gen)) seen.push([item, s.requested.length]);
    expect(seen.map(([item]) => item)).toEqual([10, 20, 30]);
    // When item 10 is handed over, item 20 has already been requested.
    expect(seen[0]?.[1]).toBe(2);
  });

  it('passes a failure of the prefetched item to the consumer, without an unhandled rejection', async () => {
    const s = source([1, 2, 3], 1);
    const got: number[] = [];
    await expect((async () => {
      for await (const item of prefetch(s.gen)) got.push(item);
    })()).rejects.toThrow('page 1 failed');
    expect(got).toEqual([1]);
  });

  it('closes the source when the consumer stops early', async () => {
    const s = source([1, 2, 3, 4]);
    for await (const item of prefetch(s.gen)) if (item === 2) break;
    expect(s.returned()).toBe(true);
  });
});

describe('prefetch, abandoned (issue 9 #14)', () => {
  it('a consumer failure cancels the page in flight instead of waiting for it', async () => {
    let cancel: () => void = () => {};
    let waitedOut = false;
    const gen = (async function* () {
      yield 1;
      // The prefetched page: would wait "minutes" (forever) unless cancelled.
      await new Promise<void>((resolve, reject) => {
        cancel = () => reject(new Error('aborted'));
        void resolve;
      });
      waitedOut = true;
      yield 2;
    })();
    await expect((async () => {
      for await (const item of prefetch(gen, () => cancel())) if (item === 1) throw new Error('record 1 is bad');
    })()).rejects.toThrow('record 1 is bad');
    expect(waitedOut).toBe(false);
  });
});
