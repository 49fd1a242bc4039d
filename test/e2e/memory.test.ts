/**
 * A sync's memory does not grow with its length: during a sync V8 collects once the heap has grown
 * by half of what was live after the last full collection (run/heap.ts), not 3-4x as it would
 * on its own, so parsed pages read ahead do not pile up as garbage. Read from V8's own trace of its
 * full collections (`--trace-gc`), on a sync of 40,000 Better Stack monitors.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, afterAll } from 'vitest';
import { ROOT, binPath, startPlayground, type PlaygroundProcess } from './helpers.js';

const MARK_COMPACT = /Mark-Compact ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/g;

let pg: PlaygroundProcess | undefined;
afterAll(async () => {
  await pg?.stop();
});

/** Heap MB before and after each full collection of a sync (V8 writes its trace to stdout, among the records). */
async function fullCollections(args: string[]): Promise<Array<{ before: number; after: number }>> {
  const child = spawn(process.execPath, ['--max-semi-space-size=2', '--trace-gc', path.join(ROOT, 'dist/bundle/betterstack/tap-betterstack.mjs'), ...args], {
    env: { PATH: process.env.PATH ?? '', LOGLEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const found: Array<{ before: number; after: number }> = [];
  let carry = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const text = carry + chunk;
    let end = 0;
    for (const m of text.matchAll(MARK_COMPACT)) {
      found.push({ before: Number(m[1]), after: Number(m[2]) });
      end = (m.index ?? 0) + m[0].length;
    }
    carry = text.slice(Math.max(end, text.length - 200));
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code, stderr).toBe(0);
  return found;
}

describe('memory of a long sync', () => {
  it('a full collection comes once the heap has grown by about half of what was live, not 3x', async () => {
    pg = await startPlayground({ args: ['--monitors', '40000'] });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'memory-'));
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ api_key: pg.token, base_url: pg.url }));
    const discovered = spawnSync(binPath('tap-betterstack'), ['--config', config, '--discover'], { encoding: 'utf8' });
    const catalog = JSON.parse(discovered.stdout) as { streams: Array<{ tap_stream_id: string; metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
    for (const entry of catalog.streams) {
      const top = entry.metadata.find((m) => m.breadcrumb.length === 0);
      if (top) top.metadata.selected = entry.tap_stream_id === 'monitors';
    }
    const catalogFile = path.join(dir, 'catalog.json');
    writeFileSync(catalogFile, JSON.stringify(catalog));

    const collections = await fullCollections(['--config', config, '--catalog', catalogFile]);
    expect(collections.length).toBeGreaterThanOrEqual(6);
    // Each collection's heap against what the previous one left (the first two: start-up).
    const growth = collections.slice(2).map((c, i) => c.before / (collections[i + 1] as { after: number }).after).sort((a, b) => a - b);
    const median = growth[Math.floor(growth.length / 2)] as number;
    // Bounded: about 1.5x (young generation included); V8's own factor: 3x and more.
    expect(median).toBeLessThan(2.2);
  });
});
