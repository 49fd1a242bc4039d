#!/usr/bin/env node
// `npm run demo`: starts the embedded playground on a free port, runs every tap against it
// (discover, full sync, then an incremental sync after the playground changed a few records),
// and prints what was extracted. The raw Singer output, catalogs and states stay in .demo-output/.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.demo-output');
const TOKEN = 'demo-token';
mkdirSync(outDir, { recursive: true });

const TAPS = [
  { tap: 'tap-playground', config: (url) => ({ bearer_token: TOKEN, base_url: url }) },
  { tap: 'tap-betterstack', config: (url) => ({ api_key: TOKEN, base_url: url }) },
  // tap-rest runs the two seed definitions as written (sample-config/*.source.json), and Better Stack's as YAML.
  { tap: 'tap-rest', label: 'tap-rest (monitoring.source.json)', config: (url) => ({ source: join(root, 'sample-config/monitoring.source.json'), base_url: url, api_key: TOKEN }) },
  { tap: 'tap-rest', label: 'tap-rest (incidents.source.json)', config: (url) => ({ source: join(root, 'sample-config/incidents.source.json'), base_url: `${url}/incidents-api/v1`, api_token: TOKEN }) },
  { tap: 'tap-rest', label: 'tap-rest (betterstack.source.yaml)', config: (url) => ({ source: join(root, 'sample-config/betterstack.source.yaml'), base_url: url, api_key: TOKEN }) },
];

function startPlayground() {
  const child = spawn(join(root, 'bin/playground'), ['--port', '0', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const m = /listening on (\S+)/.exec(line);
      m ? resolve({ url: m[1], child }) : reject(new Error(`unexpected playground output: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`playground exited with ${code}`)));
  });
}

/** Runs a tap, writing stdout to a file and summarising its messages as they stream by. */
function runTap(tap, args, outFile) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(join(root, 'bin', tap), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOGLEVEL: 'warn' } });
    const out = createWriteStream(outFile);
    const counts = new Map();
    let state = null;
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    createInterface({ input: child.stdout }).on('line', (line) => {
      out.write(line + '\n');
      const msg = JSON.parse(line);
      if (msg.type === 'RECORD') counts.set(msg.stream, (counts.get(msg.stream) ?? 0) + 1);
      if (msg.type === 'STATE') state = msg.value;
    });
    child.on('close', (code) => {
      out.end();
      if (code !== 0) reject(new Error(`${tap} ${args.join(' ')} exited ${code}:\n${stderr}`));
      else resolve({ counts, state, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

function capture(tap, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'bin', tap), args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOGLEVEL: 'warn' } });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${tap} ${args.join(' ')} exited ${code}`))));
  });
}

function bookmarks(state) {
  return Object.entries(state?.bookmarks ?? {})
    .filter(([, b]) => b.replication_key_value !== undefined)
    .map(([s, b]) => `${s}.${b.replication_key}=${b.replication_key_value}`);
}

const started = performance.now();
const { url, child: playground } = await startPlayground();
process.on('exit', () => playground.kill('SIGTERM'));
console.log(`playground listening on ${url}\n`);
try {
  for (const { tap, label = tap, config } of TAPS) {
    if (!existsSync(join(root, 'bin', tap))) continue;
    const dir = join(outDir, label.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/-+$/, ''));
    mkdirSync(dir, { recursive: true });
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config(url), null, 2));
    // The demo shows every stream, also those a tap leaves unselected by default.
    const catalog = JSON.parse(await capture(tap, ['--config', configFile, '--discover']));
    for (const s of catalog.streams) for (const m of s.metadata) if (m.breadcrumb.length === 0) m.metadata.selected = true;
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog, null, 2));
    const first = await runTap(tap, ['--config', configFile, '--catalog', join(dir, 'catalog.json')], join(dir, 'run1.singer.jsonl'));
    writeFileSync(join(dir, 'state1.json'), JSON.stringify(first.state, null, 2));
    await fetch(`${url}/__playground/mutate?count=5`, { method: 'POST' });
    const second = await runTap(tap, ['--config', configFile, '--catalog', join(dir, 'catalog.json'), '--state', join(dir, 'state1.json')], join(dir, 'run2.singer.jsonl'));
    writeFileSync(join(dir, 'state2.json'), JSON.stringify(second.state, null, 2));

    console.log(`== ${label}`);
    const streams = [...new Set([...first.counts.keys(), ...second.counts.keys()])];
    const width = Math.max(8, ...streams.map((s) => s.length));
    console.log(`  ${'stream'.padEnd(width)}  full sync  incremental (after 5 changes)`);
    for (const s of streams) console.log(`  ${s.padEnd(width)}  ${String(first.counts.get(s) ?? 0).padStart(9)}  ${String(second.counts.get(s) ?? 0).padStart(11)}`);
    const total = [...first.counts.values()].reduce((a, b) => a + b, 0);
    console.log(`  full sync: ${total} records in ${first.seconds.toFixed(2)}s; incremental: ${second.seconds.toFixed(2)}s`);
    console.log(`  bookmarks: ${bookmarks(second.state).join(', ') || '(none)'}`);
    console.log(`  raw output: ${dir}/ (run1/run2 .singer.jsonl, catalog.json, state1/state2.json)\n`);
  }
} finally {
  playground.kill('SIGTERM');
}
console.log(`demo finished in ${((performance.now() - started) / 1000).toFixed(1)}s`);
