/**
 * What a bundle loads at start-up (scripts/bundle.mjs): `--about` and `--discover` import neither
 * ajv nor Node's crypto, worker_threads and assert modules, and the taps with a fixed settings
 * schema validate it with validators compiled at build time, giving the lines ajv gives.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { ROOT, binPath } from './helpers.js';

interface Meta {
  outputs: Record<string, { bytes: number; entryPoint?: string; inputs: Record<string, { bytesInOutput: number }>; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

const meta = (tap: string): Meta => JSON.parse(readFileSync(path.join(ROOT, 'dist/bundle', tap, 'meta.json'), 'utf8')) as Meta;

/** The files `from` loads before it runs (static imports, transitively) and the Node modules they import. */
function staticClosure(m: Meta, from: string): { files: Set<string>; inputs: Set<string>; builtins: Set<string> } {
  const files = new Set<string>();
  const builtins = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const file = todo.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const i of m.outputs[file]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) builtins.add(i.path.replace(/^node:/, ''));
      else todo.push(i.path);
    }
  }
  const inputs = new Set([...files].flatMap((f) => Object.keys(m.outputs[f]?.inputs ?? {})));
  return { files, inputs, builtins };
}

/** The output holding the table of compiled settings validators. */
function tableChunk(m: Meta): [string, number] {
  const found = Object.entries(m.outputs).find(([, o]) => 'src/kit/config/settings-compiled.ts' in o.inputs);
  if (!found) throw new Error('no settings-compiled chunk');
  return [found[0], found[1].inputs['src/kit/config/settings-compiled.ts']?.bytesInOutput ?? 0];
}

describe('bundles: start-up', () => {
  for (const tap of ['betterstack', 'harness', 'playground']) {
    it(`tap-${tap}: the entry and the settings validators load no ajv, crypto, worker_threads or assert`, () => {
      const m = meta(tap);
      const entry = Object.keys(m.outputs).find((f) => m.outputs[f]?.entryPoint) as string;
      const [table, bytes] = tableChunk(m);
      for (const start of [entry, table]) {
        const { inputs, builtins } = staticClosure(m, start);
        expect([...inputs].filter((i) => i.includes('node_modules/ajv/dist/core') || i.includes('node_modules/ajv/dist/compile/'))).toEqual([]);
        expect([...builtins].filter((b) => ['crypto', 'worker_threads', 'assert'].includes(b))).toEqual([]);
      }
      expect(bytes).toBeGreaterThan(1000);
    });
  }

  it('tap-rest: no compiled settings validators (its settings depend on the definition: ajv validates them)', () => {
    expect(tableChunk(meta('rest'))[1]).toBeLessThan(200);
  });

  it('tap-betterstack --discover: the compiled validators say what ajv says (the same lines as the unbundled tap)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bundle-settings-'));
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ api_key: 'k', base_url: 'not a url', start_date: '2025-02-29', max_retries: -1, max_parallel_requests: 65 }));
    const env = { PATH: process.env.PATH ?? '', LOG_FORMAT: 'text' };
    const bundled = spawnSync(binPath('tap-betterstack'), ['--config', config, '--discover'], { encoding: 'utf8', env });
    const sources = spawnSync(process.execPath, [path.join(ROOT, 'dist/taps/betterstack/main.js'), '--config', config, '--discover'], { encoding: 'utf8', env });
    const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => l.replace(/^\S+ /, ''));
    expect(bundled.status).toBe(1);
    expect(lines(bundled.stderr)).toEqual([
      "CRITICAL tap-betterstack config: setting 'base_url' must match format \"uri\" (got \"not a url\")",
      "CRITICAL tap-betterstack config: setting 'start_date' must match format \"date-time\" (got \"2025-02-29T00:00:00Z\")",
      "CRITICAL tap-betterstack config: setting 'max_retries' must be >= 0 (got -1)",
      "CRITICAL tap-betterstack config: setting 'max_parallel_requests' must be <= 64 (got 65)",
    ]);
    expect(lines(bundled.stderr)).toEqual(lines(sources.stderr));
    expect(bundled.stdout).toBe(sources.stdout);
  });
});
