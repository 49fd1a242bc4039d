/**
 * What a bundle loads at start-up (scripts/bundle.mjs): `--about` and `--discover` import neither
 * ajv nor Node's crypto, worker_threads and assert modules, and the taps with a fixed settings
 * schema validate it with validators compiled at build time, giving the lines ajv gives.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { builtinModules } from 'node:module';
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
      // The tap's own entry (esbuild marks each chunk a dynamic import() starts as an entry point too).
      const entry = Object.keys(m.outputs).find((f) => m.outputs[f]?.entryPoint === `src/taps/${tap}/main.ts`) as string;
      const [table, bytes] = tableChunk(m);
      for (const start of [entry, table]) {
        const { inputs, builtins } = staticClosure(m, start);
        expect([...inputs].filter((i) => i.includes('node_modules/ajv/dist/core') || i.includes('node_modules/ajv/dist/compile/'))).toEqual([]);
        expect([...builtins].filter((b) => ['crypto', 'worker_threads', 'assert'].includes(b))).toEqual([]);
      }
      expect(bytes).toBeGreaterThan(1000);
    });
  }

  for (const tap of ['betterstack', 'harness', 'playground', 'rest']) {
    it(`tap-${tap}: the command line lists no folder (yargs' package.json search) and never loads Node's assert`, () => {
      const m = meta(tap);
      const entry = Object.keys(m.outputs).find((f) => m.outputs[f]?.entryPoint === `src/taps/${tap}/main.ts`) as string;
      const inputs = Object.keys(m.outputs[entry]?.inputs ?? {});
      expect(inputs.some((i) => i.includes('node_modules/yargs/'))).toBe(true);
      expect(inputs.filter((i) => i.includes('node_modules/escalade/'))).toEqual([]);
      const text = readFileSync(path.join(ROOT, entry), 'utf8');
      expect(text).not.toMatch(/require\("(node:)?assert"\)/);
      expect(text).not.toMatch(/readdirSync/);
    });

    it(`tap-${tap}: jsonpath-plus and node:vm are loaded by the first query path, not by the entry`, () => {
      const m = meta(tap);
      const entry = Object.keys(m.outputs).find((f) => m.outputs[f]?.entryPoint === `src/taps/${tap}/main.ts`) as string;
      const { inputs, builtins } = staticClosure(m, entry);
      // Its CommonJS build, which the bundle wraps to run on the first require(); the ES module build
      // would run (and import node:vm) as the entry loads.
      expect([...inputs].filter((i) => i.includes('node_modules/jsonpath-plus/'))).toEqual(['node_modules/jsonpath-plus/dist/index-node-cjs.cjs']);
      expect(builtins.has('vm')).toBe(false);
    });
  }

  it('every launcher starts Node with the 4 MB young generation, two malloc arenas and --expose-gc (the sync\'s heap budget)', () => {
    const launchers = ['bin/tap-betterstack', 'bin/tap-harness', 'bin/tap-playground', 'bin/tap-rest', 'src/kit/scaffold/template/common/bin/tap.tmpl'];
    for (const file of launchers) {
      const first = readFileSync(path.join(ROOT, file), 'utf8').split('\n')[0] as string;
      expect(first, file).toMatch(/^#!\/usr\/bin\/env -S MALLOC_ARENA_MAX=2 node .*--max-semi-space-size=4/);
      expect(first, file).toContain('--expose-gc');
    }
    expect(readFileSync(path.join(ROOT, 'scripts/wheels.py'), 'utf8')).toMatch(/MALLOC_ARENA_MAX", "2"\)\n\s+args = \[node, "--max-semi-space-size=4", "--expose-gc", BUNDLE/);
  });

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

describe('bundles: self-contained', () => {
  // A package loaded at run time by name (require, or createRequire(import.meta.url)) is looked for in
  // node_modules, which a wheel or a global install does not have: XML and Swagger 2.0 failed so.
  for (const tap of ['betterstack', 'harness', 'playground', 'rest']) {
    it(`tap-${tap}: no chunk requires a package at run time, only Node's own modules`, () => {
      const dir = path.join(ROOT, 'dist/bundle', tap);
      const required = readdirSync(dir).filter((f) => f.endsWith('.mjs')).flatMap((f) => {
        const text = readFileSync(path.join(dir, f), 'utf8');
        // A call, not ajv's code-generation strings (`code = 'require("ajv/dist/runtime/equal")'`).
        return [...text.matchAll(/(?:(?<!['"`])\brequire|\(import\.meta\.url\))\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] as string);
      });
      expect(required.length).toBeGreaterThan(0);
      expect([...new Set(required)].filter((name) => !builtinModules.includes(name.replace(/^node:/, '')))).toEqual([]);
    });
  }

  it('tap-rest init reads a Swagger 2.0 document from the bundle copied alone', () => {
    const alone = mkdtempSync(path.join(os.tmpdir(), 'bundle-alone-'));
    try {
      cpSync(path.join(ROOT, 'dist/bundle/rest'), path.join(alone, 'dist/bundle/rest'), { recursive: true });
      const doc = path.join(alone, 'swagger.json');
      writeFileSync(doc, JSON.stringify({ swagger: '2.0', info: { title: 't', version: '1' }, host: 'api.example.com', basePath: '/v1', paths: { '/users': { get: { produces: ['application/json'], responses: { 200: { description: 'ok', schema: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } } } } } } } }));
      const run = spawnSync(process.execPath, [path.join(alone, 'dist/bundle/rest/tap-rest.mjs'), 'init', '--openapi', doc, '--out', path.join(alone, 'out')], { cwd: alone, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      expect(run.stderr).toContain('wrote 1 resource(s)');
      expect(run.status).toBe(0);
      expect(readFileSync(path.join(alone, 'out/source.yaml'), 'utf8')).toContain('base_url: https://api.example.com/v1');
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });
});
