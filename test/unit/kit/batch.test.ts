import { closeSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, it, expect } from 'vitest';
import { batchConfig, batchFileName, BatchWriter } from '../../../src/kit/output/batch.js';
import { OutputError, UserError } from '../../../src/kit/core/errors.js';
import { ErrorPolicyGuard } from '../../../src/kit/run/errorpolicy.js';
import { parseJson } from '../../../src/kit/core/jsontext.js';
import type { JsonObject } from '../../../src/kit/core/json.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';

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

  it('integers beyond 2^53 are written with every digit', () => {
    const dir = tmp();
    const w = new BatchWriter({ compression: 'none', dir, prefix: '', batchSize: 100 }, 'tap-x');
    w.add('a', parseJson('{"id": 12345678901234567891, "o": {"n": [98765432109876543210]}}') as JsonObject);
    const [m] = w.flush();
    expect(readFileSync(fileURLToPath(m!.manifest[0]!), 'utf8')).toBe('{"id":12345678901234567891,"o":{"n":[98765432109876543210]}}\n');
  });

  it('file names stay in the root whatever the stream (alias) and prefix say', () => {
    expect(batchFileName({ prefix: '../p/', tapName: 'tap-x', stream: '../../etc/x', run: 'r', n: 1, ext: '.jsonl' })).toBe('.._p_tap-x--.._.._etc_x-r-1.jsonl');
    expect(batchFileName({ prefix: '', tapName: 'tap-x', stream: 'a/b\\c\u0000d é', run: 'r', n: 2, ext: '.jsonl.gz' })).toBe('tap-x--a_b_c_d__-r-2.jsonl.gz');
    expect(batchFileName({ prefix: 'p'.repeat(300), tapName: 'tap-x', stream: 's'.repeat(300), run: 'r', n: 3, ext: '.jsonl' }).length).toBeLessThan(255);
    const root = tmp();
    const dir = path.join(root, 'batches');
    const w = new BatchWriter(batchConfig({ storage: { root: `file://${dir}`, prefix: '../' } })!, 'tap-x');
    w.add('../../escaped', { id: 1 });
    const [m] = w.flush();
    const file = fileURLToPath(m!.manifest[0]!);
    expect(path.dirname(file)).toBe(dir);
    expect(readdirSync(root)).toEqual(['batches']);
    expect(readdirSync(dir)).toEqual([path.basename(file)]);
  });

  it('a file that cannot be created: one OutputError naming it, the other unannounced files deleted, nothing written after', () => {
    const dir = tmp();
    const w = new BatchWriter({ compression: 'gzip', dir, prefix: '', batchSize: 2 }, 'tap-x');
    const done = w.add('a', { id: 1 }) ?? w.add('a', { id: 2 });
    w.add('b', { id: 1 });
    expect(readdirSync(dir)).toHaveLength(2);
    // The folder goes away under the run (an operator, a cleanup job): creating the next file fails for real.
    rmSync(dir, { recursive: true });
    let error: unknown;
    try {
      w.add('c', { id: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(new RegExp(`^BATCH: cannot create ${dir}/tap-x--c-[0-9a-f-]+-3\\.jsonl\\.gz \\(ENOENT: no such file or directory\\); the files no BATCH message announced were deleted$`));
    expect(done).toBeDefined();
    expect(() => w.add('b', { id: 2 })).toThrow(error as Error);
    expect(() => w.flush()).toThrow(error as Error);
  });

  // Finds the descriptor through /proc (Linux).
  it.skipIf(process.platform !== 'linux')('a write that fails while completing files deletes every file of that flush, announced by none', () => {
    const dir = tmp();
    const w = new BatchWriter({ compression: 'none', dir, prefix: '', batchSize: 100 }, 'tap-x');
    w.add('a', { id: 1 });
    w.add('b', { id: 1 });
    expect(readdirSync(dir)).toHaveLength(2);
    // b's descriptor closed under it: the OS refuses its write (EBADF) when b's file is completed, after a's.
    const fdOf = (name: string) => Number(readdirSync('/proc/self/fd').find((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`).endsWith(name); } catch { return false; } }));
    const b = readdirSync(dir).find((f) => f.includes('--b-'))!;
    closeSync(fdOf(b));
    expect(() => w.flush()).toThrow(/^BATCH: cannot write .*--b-.* \(EBADF: bad file descriptor\); the files no BATCH message announced were deleted$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a process that exits with files open (a closed stdout, a forced stop) deletes them on the way out', () => {
    const dir = tmp();
    const before = new Set(process.listeners('exit'));
    const w = new BatchWriter({ compression: 'gzip', dir, prefix: '', batchSize: 2 }, 'tap-x');
    const done = [w.add('a', { id: 1 }), w.add('a', { id: 2 }), w.add('b', { id: 1 })].filter(Boolean);
    const hooks = process.listeners('exit').filter((l) => !before.has(l));
    expect(hooks).toHaveLength(1);
    // What process.exit() runs:
    (hooks[0] as () => void)();
    expect(readdirSync(dir).map((f) => path.join(dir, f))).toEqual([fileURLToPath(done[0]!.manifest[0]!)]);
    expect(process.listeners('exit').filter((l) => !before.has(l))).toEqual([]);
    // A writer whose files were all announced leaves no hook behind.
    const w2 = new BatchWriter({ compression: 'gzip', dir, prefix: '', batchSize: 2 }, 'tap-x');
    w2.add('c', { id: 1 });
    w2.flush();
    expect(process.listeners('exit').filter((l) => !before.has(l))).toEqual([]);
  });

  it('a write failure is never skipped as a bad record (error_policy: skip)', () => {
    const log = new Logger('tap-x', { redactor: new Redactor(), out: { write: () => true } as unknown as NodeJS.WriteStream, level: 'error', format: 'text' });
    const guard = new ErrorPolicyGuard('skip', log);
    expect(guard.skipRecord('users', new UserError("stream 'users': field 'id' must be integer"))).toBe(true);
    expect(guard.skipRecord('users', new OutputError('BATCH: cannot write /x (ENOSPC: no space left on device)'))).toBe(false);
  });
});
