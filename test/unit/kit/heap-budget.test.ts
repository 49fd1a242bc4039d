import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
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
    // Held arrays, promoted to the old generation by the scavenges their allocation brings (up to 80 MB).
    for (let i = 0; i < 10_000 && collections === 0; i++) {
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

  it('leaves short-lived garbage to the young generation: only old-generation growth collects', async () => {
    // In a process of its own with a 16 MB young generation: ~5 MB of young arrays, held, are no
    // growth of the old generation. Counting the whole heap, they called for a full collection.
    const dir = mkdtempSync(join(tmpdir(), 'heap-budget-'));
    try {
      const budgetFile = join(dir, 'heap-budget.mjs');
      await build({ entryPoints: [fileURLToPath(new URL('../../../src/kit/run/heap-budget.ts', import.meta.url))], outfile: budgetFile, bundle: true, format: 'esm', platform: 'node', logLevel: 'silent' });
      const script = join(dir, 'young.mjs');
      writeFileSync(script, `
        import { HeapBudget } from './heap-budget.mjs';
        const real = globalThis.gc;
        let collections = 0;
        globalThis.gc = () => { collections++; real(); };
        const budget = new HeapBudget(4 * 1024 * 1024);
        budget.check();
        const held = [];
        for (let i = 0; i < 600; i++) { held.push(Array.from({ length: 1000 }, (_, j) => j + i)); budget.check(); }
        process.stdout.write(JSON.stringify({ collections, held: held.length }));
      `);
      const out = execFileSync(process.execPath, ['--min-semi-space-size=16', '--max-semi-space-size=16', '--expose-gc', script], { encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({ collections: 0, held: 600 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
