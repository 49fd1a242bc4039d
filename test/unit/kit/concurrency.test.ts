import { describe, it, expect } from 'vitest';
import { orderedMap } from '../../../src/kit/run/ordered.js';
import { readAhead } from '../../../src/kit/run/read-ahead.js';
import { runBounded } from '../../../src/kit/run/scheduler.js';
import { RequestBudget } from '../../../src/kit/http/budget.js';

const tick = () => new Promise((r) => setImmediate(r));

/** Deferred promises, resolved by the test in any order. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('orderedMap', () => {
  it('keeps up to `window` calls running and yields results in input order', async () => {
    const d = [0, 1, 2, 3, 4].map(() => deferred<number>());
    const started: number[] = [];
    const out: number[] = [];
    const done = (async () => {
      for await (const v of orderedMap([0, 1, 2, 3, 4], (i) => { started.push(i); return d[i]!.promise; }, 2)) out.push(v);
    })();
    await tick();
    expect(started).toEqual([0, 1]);
    d[1]!.resolve(1);
    await tick();
    expect(out).toEqual([]); // 1 is done but 0 is not: nothing is yielded out of order
    d[0]!.resolve(0);
    await tick();
    expect(out).toEqual([0, 1]);
    expect(started).toEqual([0, 1, 2, 3]);
    d[3]!.resolve(3); d[2]!.resolve(2); await tick(); d[4]!.resolve(4);
    await done;
    expect(out).toEqual([0, 1, 2, 3, 4]);
  });

  it('a failure comes out at its place, after the results before it', async () => {
    const out: number[] = [];
    const run = (async () => {
      for await (const v of orderedMap([1, 2, 3], async (i) => { if (i === 2) throw new Error('two'); return i; }, 3)) out.push(v);
    })();
    await expect(run).rejects.toThrow('two');
    expect(out).toEqual([1]);
  });
});

describe('readAhead', () => {
  it('starts reading at once, holds at most `size` items, keeps order and failures', async () => {
    let pulled = 0;
    const source = (async function* () {
      for (let i = 0; i < 5; i++) {
        pulled++;
        if (i === 4) throw new Error('page 4 failed');
        yield i;
      }
    })();
    const ahead = readAhead(source, 2);
    await tick(); await tick();
    expect(pulled).toBe(2); // two ready; the third is pulled only when one is taken
    const seen: number[] = [];
    await expect((async () => { for await (const v of ahead) seen.push(v); })()).rejects.toThrow('page 4 failed');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('closing stops the source (its finally runs)', async () => {
    let finished = false;
    const source = (async function* () {
      try { for (let i = 0; ; i++) yield i; } finally { finished = true; }
    })();
    const ahead = readAhead(source, 1);
    for await (const v of ahead) if (v === 2) break;
    expect(finished).toBe(true);
  });
});

describe('runBounded', () => {
  it('runs at most `limit` tasks at once, in the given order', async () => {
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const tasks = [0, 1, 2, 3, 4, 5].map((i) => async () => {
      order.push(i);
      running++; peak = Math.max(peak, running);
      await tick(); await tick();
      running--;
    });
    await runBounded(tasks, 2);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('after a failure no task starts, the running ones are told, the first error is thrown', async () => {
    const started: number[] = [];
    let told = false;
    const tasks = [0, 1, 2, 3].map((i) => async () => {
      started.push(i);
      await tick();
      if (i === 0) throw new Error('first');
      if (i === 1) { await tick(); throw new Error('second'); }
    });
    await expect(runBounded(tasks, 2, () => { told = true; })).rejects.toThrow('first');
    expect(told).toBe(true);
    expect(started).toEqual([0, 1]);
  });
});

describe('RequestBudget', () => {
  it('hands out at most maxInFlight slots; a released slot goes to the next waiter', async () => {
    const budget = new RequestBudget({ maxInFlight: 2 });
    const a = await budget.slot();
    await budget.slot();
    let third = false;
    const p = budget.slot().then((release) => { third = true; return release; });
    await tick();
    expect(third).toBe(false);
    a();
    a(); // releasing twice is harmless
    await p;
    expect(third).toBe(true);
  });

  it('an exhausted server quota holds the next start until its reset; a 429 pause holds every start', async () => {
    const budget = new RequestBudget({ maxInFlight: 4 });
    budget.observe(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.05' });
    let t0 = Date.now();
    await budget.start();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    budget.observe(200, { 'ratelimit-remaining': '5', 'ratelimit-reset': '10' });
    t0 = Date.now();
    await budget.start();
    expect(Date.now() - t0).toBeLessThan(40);
    budget.pause(0.05);
    t0 = Date.now();
    await Promise.all([budget.start(), budget.start()]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
  });

  it('a 429 halves the requests allowed in flight; successes give them back little by little', async () => {
    const budget = new RequestBudget({ maxInFlight: 8 });
    budget.observe(429, {});
    expect(budget.limit).toBe(4);
    budget.observe(429, {});
    budget.observe(429, {});
    budget.observe(429, {});
    expect(budget.limit).toBe(1);
    const held = await budget.slot();
    let second = false;
    void budget.slot().then(() => { second = true; });
    await tick();
    expect(second).toBe(false);
    budget.observe(200, {});
    await tick();
    expect(budget.limit).toBe(2);
    expect(second).toBe(true);
    held();
    for (let i = 0; i < 100; i++) budget.observe(200, {});
    expect(budget.limit).toBe(8);
  });

  it('after the quota reset one request probes; the others wait for its answer', async () => {
    const budget = new RequestBudget({ maxInFlight: 4 });
    budget.observe(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.02' });
    const started: number[] = [];
    const all = [0, 1, 2].map((i) => budget.start().then(() => started.push(i)));
    await new Promise((r) => setTimeout(r, 120));
    expect(started).toHaveLength(1);
    budget.observe(200, { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '1' });
    await Promise.all(all);
    expect(started).toHaveLength(3);
  });

  it('when a pause ends, the retries waiting in it start before the fresh requests that came earlier', async () => {
    const budget = new RequestBudget({ maxInFlight: 4 });
    budget.observe(429, {});
    budget.observe(429, {});
    expect(budget.limit).toBe(1);
    budget.pause(0.05);
    const order: string[] = [];
    const fresh = ['a', 'b', 'c'].map((name) => budget.start().then(() => order.push(name)));
    const retried = budget.start(true).then(() => order.push('retry'));
    await retried;
    expect(order).toEqual(['retry']);
    for (let i = 1; i <= 3; i++) {
      budget.attemptDone();
      while (order.length === i) await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(fresh);
    expect(order).toEqual(['retry', 'a', 'b', 'c']);
  });

  it('spaces starts to maxPerSecond', async () => {
    const budget = new RequestBudget({ maxInFlight: 4, maxPerSecond: 50 });
    const t0 = Date.now();
    await Promise.all([budget.start(), budget.start(), budget.start()]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(35); // the third waits two intervals of 20 ms
  });
});

describe('RequestBudget attempts on the wire', () => {
  it('retries wait for the allowance too, and an abort frees the waiters', async () => {
    const aborter = new AbortController();
    const budget = new RequestBudget({ maxInFlight: 4, signal: aborter.signal });
    budget.observe(429, {});
    budget.observe(429, {});
    expect(budget.limit).toBe(1);
    await budget.start();
    let second = false;
    const p = budget.start().then(() => { second = true; });
    await tick();
    expect(second).toBe(false);
    budget.attemptDone();
    await p;
    expect(second).toBe(true);
    const third = budget.start();
    aborter.abort(new Error('stopped'));
    await expect(third).rejects.toThrow('stopped');
  });
});
