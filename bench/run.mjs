#!/usr/bin/env node
// The benchmark: each tap against the playground at a large --scale, stdout consumed by a reader
// that parses every message (as a target would), measured for wall time, records/s and peak memory.
// Usage: node bench/run.mjs [--scale N] [--runs N]     (build first: npm run build)
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { scale: { type: 'string', default: '100' }, runs: { type: 'string', default: '3' } } });
const scale = Number(values.scale);
const runs = Number(values.runs);
const TOKEN = 'bench-token';

const CASES = [
  { tap: 'tap-betterstack', config: (url) => ({ api_key: TOKEN, base_url: url }), note: 'JSON:API, 250/page, flatten + child rows' },
  { tap: 'tap-playground', config: (url) => ({ bearer_token: TOKEN, base_url: url }), note: '4 paginators, 50/page (API max)' },
  // The SDK capabilities: the same sync with stream maps, flattening, BATCH files (compare with the row above).
  { tap: 'tap-playground', config: (url) => ({ bearer_token: TOKEN, base_url: url, stream_maps: MAPS }), note: 'same + stream_maps (hash, split, filter, alias)' },
  { tap: 'tap-playground', config: (url) => ({ bearer_token: TOKEN, base_url: url, stream_maps: { '*': { contact: "{'email': email, 'job': job}" } }, flattening_enabled: true, flattening_max_depth: 1 }), note: 'same + a computed object, flattened' },
  { tap: 'tap-playground', config: (url, dir) => ({ bearer_token: TOKEN, base_url: url, batch_config: { encoding: { format: 'jsonl', compression: 'gzip' }, storage: { root: `file://${dir}/batches` } } }), note: 'same as BATCH gzip files (read back)' },
];
const MAPS = {
  '*': { email_hash: "sha256(email.lower()) if email else None", email: null, domain: "email.split('@')[-1] if email else None" },
  users_offset: { __filter__: "job is not None and 'engineer' not in job.lower()", __alias__: 'users_offset_mapped' },
};

function startPlayground() {
  const child = spawn(join(root, 'bin/playground'), ['--port', '0', '--token', TOKEN, '--scale', String(scale)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ url: line.replace('listening on ', ''), child }));
    child.once('exit', (code) => reject(new Error(`playground exited ${code}`)));
  });
}

/** One run: /usr/bin/time reports peak RSS; stdout is parsed line by line like a target would. */
function runOnce(tap, configFile) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', join(root, 'bin', tap), '--config', configFile],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOGLEVEL: 'warn' } });
    let records = 0;
    let bytes = 0;
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      bytes += line.length + 1;
      const m = JSON.parse(line);
      if (m.type === 'RECORD') records++;
      // A target reading BATCH files reads every line of them.
      else if (m.type === 'BATCH') for (const url of m.manifest) records += gunzipSync(readFileSync(fileURLToPath(url))).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).length;
    });
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${tap} exited ${code}: ${stderr.slice(-500)}`));
      resolve({ seconds, records, bytes, rssMb: Number(/MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024 });
    });
  });
}

const { url, child } = await startPlayground();
const dir = mkdtempSync(join(tmpdir(), 'bench-'));
console.log(`# bench: --scale ${scale}, best of ${runs} runs, ${cpus().length} cores, Node ${process.version}\n`);
console.log('| tap | records | wall (s) | records/s | MB/s out | peak RSS (MB) | notes |');
console.log('|---|---:|---:|---:|---:|---:|---|');
try {
  for (const c of CASES) {
    const configFile = join(dir, `${c.tap}-${CASES.indexOf(c)}.json`);
    writeFileSync(configFile, JSON.stringify(c.config(url, dir)));
    let best;
    for (let i = 0; i < runs; i++) {
      const r = await runOnce(c.tap, configFile);
      if (!best || r.seconds < best.seconds) best = r;
    }
    console.log(`| ${c.tap} | ${best.records.toLocaleString('en')} | ${best.seconds.toFixed(2)} | ${Math.round(best.records / best.seconds).toLocaleString('en')} | ${(best.bytes / 1e6 / best.seconds).toFixed(1)} | ${best.rssMb.toFixed(0)} | ${c.note} |`);
  }
} finally {
  child.kill('SIGTERM');
}
