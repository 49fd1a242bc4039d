import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, it, expect } from 'vitest';
import { batchConfig, BatchWriter } from '../../../src/kit/batch.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'batch-unit-'));

describe('BATCH files', () => {
  it('config: file:// roots (absolute, relative), defaults, and clear errors', () => {
    const dir = tmp();
    expect(batchConfig({ storage: { root: `file://${dir}/x` } })).toEqual({ compression: 'gzip', dir: `${dir}/x`, prefix: '', batchSize: 10000 });
    expect(batchConfig({ encoding: { compression: 'none' }, storage: { root: dir, prefix: 'p-' }, batch_size: 5 })).toMatchObject({ compression: 'none', prefix: 'p-', batchSize: 5 });
    expect(batchConfig(undefined)).toBeUndefined();
    expect(() => batchConfig({ storage: { root: 's3://bucket/x' } })).toThrow("only file:// storage is supported");
    expect(() => batchConfig({ encoding: { format: 'parquet' }, storage: { root: dir } })).toThrow("'parquet' is not supported");
    expect(() => batchConfig({ storage: {} })).toThrow('batch_config.storage.root is required');
  });

  it('writes raw records as gzip JSON lines, one BATCH message per file of batch_size records', () => {
    const dir = tmp();
    const w = new BatchWriter({ compression: 'gzip', dir, prefix: 'p-', batchSize: 3 }, 'tap-x');
    const messages = [];
    // Large records cross the 1 MiB chunk: the file is several gzip members, still one valid gzip stream.
    const big = 'x'.repeat(600_000);
    for (let i = 0; i < 7; i++) {
      const m = w.add('users', { id: i, big: i < 3 ? big : '' });
      if (m) messages.push(m);
    }
    messages.push(...w.flush());
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatchObject({ type: 'BATCH', stream: 'users', encoding: { format: 'jsonl', compression: 'gzip' } });
    const rows = messages.flatMap((m) => {
      const file = fileURLToPath(m.manifest[0]!);
      expect(path.basename(file)).toMatch(/^p-tap-x--users-[0-9a-f-]+-\d+\.jsonl\.gz$/);
      return gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; big: string });
    });
    expect(rows.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows[0]!.big).toHaveLength(600_000);
    expect(readdirSync(dir)).toHaveLength(3);
    expect(w.flush()).toEqual([]);
  });

  it('abandon() removes the files no BATCH message announced', () => {
    const dir = tmp();
    const w = new BatchWriter({ compression: 'gzip', dir, prefix: '', batchSize: 2 }, 'tap-x');
    const done = [w.add('a', { id: 1 }), w.add('a', { id: 2 }), w.add('a', { id: 3 }), w.add('b', { id: 1 })].filter(Boolean);
    expect(done).toHaveLength(1);
    expect(readdirSync(dir)).toHaveLength(3);
    w.abandon();
    expect(readdirSync(dir).map((f) => path.join(dir, f))).toEqual([fileURLToPath(done[0]!.manifest[0]!)]);
  });

  it('compression none writes plain JSON lines', () => {
    const dir = tmp();
    const w = new BatchWriter({ compression: 'none', dir, prefix: '', batchSize: 100 }, 'tap-x');
    w.add('a', { id: 1 });
    const [m] = w.flush('a');
    expect(m!.manifest[0]).toMatch(/\.jsonl$/);
    expect(readFileSync(fileURLToPath(m!.manifest[0]!), 'utf8')).toBe('{"id":1}\n');
  });
});
