import { describe, it, expect, afterEach } from 'vitest';
import { HeapBudget } from '../../../src/kit/run/heap-budget.js';

const global = globalThis as { gc?: () => void };
const original = global.gc;
afterEach(() => {
  global.gc = original;
});

describe('HeapBudget', () => {
  it('collects once the heap has grown its slack past the floor, and not before', () => {
    let collections = 0;
    global.gc = () => { collections++; };
    const budget = new HeapBudget(4 * 1024 * 1024);
    budget.check();
    expect(collections).toBe(0);
    const held: number[][] = [];
    // About 8 MB more in use than at the first check.
    for (let i = 0; i < 1000 && collections === 0; i++) {
      held.push(Array.from({ length: 1000 }, (_, j) => j + i));
      budget.check();
    }
    expect(collections).toBe(1);
    expect(held.length).toBeGreaterThan(100);
    budget.check();
    expect(collections).toBe(1);
  });

  it('does nothing where the process runs without --expose-gc', () => {
    global.gc = undefined;
    const budget = new HeapBudget(0);
    expect(() => { for (let i = 0; i < 10; i++) budget.check(); }).not.toThrow();
  });
});
