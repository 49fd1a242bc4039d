#!/usr/bin/env node
// End to end into MeltanoLabs target-postgres: the same 100k rows as RECORD messages and as BATCH
// (gzip JSONL) files, wall time of `tap | target-postgres` for each. Needs the interop tools
// (scripts/interop-setup.sh, which writes .interop/env). Usage: node bench/batch-vs-records.mjs [--rows N] [--runs N]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, runs: { type: 'string', default: '1' } } });
const rows = Number(values.rows);
const env = Object.fromEntries(readFileSync(join(root, '.interop/env'), 'utf8').trim().split('\n').map((l) => l.split('=', 2)));
const psql = (db, ...sql) => execFileSync('psql', ['-h', env.INTEROP_PG_HOST, '-p', env.INTEROP_PG_PORT, '-U', env.INTEROP_PG_USER, '-d', db, '-XAtq', ...sql.flatMap((s) => ['-c', s])], { encoding: 'utf8' });
const TOKEN = 'bench-token';
const DB = 'bench_batch';

const pg = spawn(join(root, 'bin/playground'), ['--port', '0', '--token', TOKEN, '--scale', String(rows / 200)], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => createInterface({ input: pg.stdout }).once('line', (l) => resolve(l.replace('listening on ', ''))));
const dir = mkdtempSync(join(tmpdir(), 'bench-batch-'));
try {
  psql('postgres', `drop database if exists ${DB}`, `create database ${DB}`);
  // One stream of `rows` users (users_offset).
  const catalog = JSON.parse(execFileSync(join(root, 'bin/tap-playground'), ['--config', writeJson('d.json', { base_url: url, bearer_token: TOKEN }), '--discover'], { encoding: 'utf8' }));
  for (const s of catalog.streams) for (const m of s.metadata) if (m.breadcrumb.length === 0) m.metadata.selected = s.tap_stream_id === 'users_offset';
  writeJson('catalog.json', catalog);
  console.log(`# ${rows.toLocaleString('en')} rows (users_offset) into target-postgres, best of ${values.runs}\n`);
  console.log('| path | wall (s) | rows/s |');
  console.log('|---|---:|---:|');
  const cases = [
    ['RECORD messages', {}],
    ['BATCH (gzip JSONL, 10k per file)', { batch_config: { encoding: { format: 'jsonl', compression: 'gzip' }, storage: { root: `file://${dir}/batches` } } }],
  ];
  for (const [name, extra] of cases) {
    let best = Infinity;
    for (let i = 0; i < Number(values.runs); i++) {
      const schema = `s${Math.random().toString(36).slice(2, 8)}`;
      const config = writeJson(`${schema}.json`, { base_url: url, bearer_token: TOKEN, ...extra });
      const target = writeJson(`${schema}-t.json`, { host: env.INTEROP_PG_HOST, port: Number(env.INTEROP_PG_PORT), user: env.INTEROP_PG_USER, password: 'x', database: DB, default_target_schema: schema });
      const t0 = performance.now();
      execFileSync('bash', ['-o', 'pipefail', '-c', `LOGLEVEL=warn "${join(root, 'bin/tap-playground')}" --config "${config}" --catalog "${join(dir, 'catalog.json')}" | "${env.INTEROP_TARGET_POSTGRES}" --config "${target}" > /dev/null 2>&1`]);
      best = Math.min(best, (performance.now() - t0) / 1000);
      const n = Number(psql(DB, `select count(*) from ${schema}.users_offset`).trim());
      if (n !== rows) throw new Error(`${name}: ${n} rows loaded, expected ${rows}`);
    }
    console.log(`| ${name} | ${best.toFixed(1)} | ${Math.round(rows / best).toLocaleString('en')} |`);
  }
} finally {
  pg.kill('SIGTERM');
}

function writeJson(name, value) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}
