#!/usr/bin/env node
// In-process cost of the output pipeline: N records through the plain MessageWriter (what a sync
// with no stream_maps, flattening or batch_config uses) and through stream maps / flattening / BATCH,
// to a sink that discards the bytes. Usage: node bench/output.mjs [--records N]   (build first)
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MessageWriter, Logger, Redactor } from '../src/kit/dist/index.js';
import { outputWriter } from '../src/kit/dist/output/output.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '200000' } } });
const N = Number(values.records);
const schema = { type: 'object', properties: { id: { type: 'string' }, name: { type: ['null', 'string'] }, email: { type: ['null', 'string'] }, job: { type: ['null', 'string'] }, updatedAt: { type: ['null', 'string'], format: 'date-time' } } };
const record = (i) => ({ id: `id-${i}`, name: `Name ${i}`, email: `user${i}@example.com`, job: i % 3 ? 'Engineer' : 'Writer', updatedAt: '2025-01-01T00:00:00Z' });
const dir = mkdtempSync(join(tmpdir(), 'bench-output-'));
const STAMP = { timeExtracted: '2025-01-01T00:00:00Z' };
const quiet = new Logger('bench', { redactor: new Redactor(), out: { write: () => true }, level: 'error', format: 'text' });
const CASES = [
  ['no maps (plain writer)', {}],
  ['hash an email (sha256 of lower-case)', { stream_maps: { users: { email_hash: 'sha256(email.lower()) if email else None', email: null } } }],
  ['filter + alias + 2 computed columns', { stream_maps: { users: { __filter__: "'Eng' in (job or '')", __alias__: 'people', domain: "email.split('@')[-1]", n: 'len(name)' } } }],
  ['flattening (a computed object)', { stream_maps: { users: { contact: "{'email': email, 'job': job}" } }, flattening_enabled: true, flattening_max_depth: 1 }],
  ['BATCH gzip files', { batch_config: { storage: { root: `file://${dir}` }, batch_size: 50000 } }],
];
console.log(`# output pipeline: ${N.toLocaleString('en')} records, Node ${process.version}\n`);
console.log('| case | records/s | vs plain |');
console.log('|---|---:|---:|');
let base;
for (const [name, settings] of CASES) {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const sink = new Writable({ write(_c, _e, cb) { cb(); } });
    const plain = new MessageWriter(sink);
    const w = await outputWriter(plain, { settings, tapName: 'bench', log: quiet });
    w.write({ type: 'SCHEMA', stream: 'users', schema, key_properties: ['id'] });
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      w.record('users', record(i), STAMP);
      if (i % 1000 === 0) await w.ready();
    }
    await w.close();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const rate = N / best;
  base ??= rate;
  console.log(`| ${name} | ${Math.round(rate).toLocaleString('en')} | ${(rate / base * 100).toFixed(0)}% |`);
}
rmSync(dir, { recursive: true, force: true });
