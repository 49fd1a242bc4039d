#!/usr/bin/env node
// `npm run demo`: for every tap, starts the embedded playground on a free port (a fresh one per
// tap, so each tap's changes are its own), runs the tap against it (discover, full sync, then an
// incremental sync after the playground changed a few records), and prints what was extracted: per
// stream the records of the full sync, then those of the incremental sync split into changed (new
// or different) and re-sent (identical to the full sync's: the record at the bookmark is sent again,
// at least once, and the target's upsert makes it a no-op), and one sample record. The raw Singer
// output, catalogs and states stay in .demo-output/.
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
  { tap: 'tap-harness', config: (url) => ({ api_token: TOKEN, account_id: 'playground-account', base_url: url, dora: { ou_ids: ['demo-collection'], widget_id: 'demo-mttr-widget' } }) },
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
function runTap(tap, args, outFile, previous) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(join(root, 'bin', tap), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOGLEVEL: 'warn' } });
    const out = createWriteStream(outFile);
    const counts = new Map();
    const keys = new Map();
    const seen = new Map(); // stream -> key -> record JSON (the demo's sources are small)
    const changed = new Map();
    const samples = new Map();
    let state = null;
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    createInterface({ input: child.stdout }).on('line', (line) => {
      out.write(line + '\n');
      const msg = JSON.parse(line);
      if (msg.type === 'SCHEMA') keys.set(msg.stream, msg.key_properties);
      if (msg.type === 'STATE') state = msg.value;
      if (msg.type !== 'RECORD') return;
      counts.set(msg.stream, (counts.get(msg.stream) ?? 0) + 1);
      if (!samples.has(msg.stream)) samples.set(msg.stream, msg.record);
      const key = JSON.stringify((keys.get(msg.stream) ?? []).map((k) => msg.record[k]));
      const text = JSON.stringify(msg.record);
      if (!seen.has(msg.stream)) seen.set(msg.stream, new Map());
      seen.get(msg.stream).set(key, text);
      if (previous && previous.seen.get(msg.stream)?.get(key) !== text) changed.set(msg.stream, (changed.get(msg.stream) ?? 0) + 1);
    });
    child.on('close', (code) => {
      out.end();
      if (code !== 0) reject(new Error(`${tap} ${args.join(' ')} exited ${code}:\n${stderr}`));
      else resolve({ counts, changed, seen, samples, state, seconds: (performance.now() - t0) / 1000 });
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

/** One line of a sample record, cut to the terminal's width. */
function sample(record) {
  const width = Math.max(60, (process.stdout.columns || 110) - 8);
  const text = JSON.stringify(record);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

const started = performance.now();
let playground;
process.on('exit', () => playground?.kill('SIGTERM'));
try {
  for (const { tap, label = tap, config } of TAPS) {
    if (!existsSync(join(root, 'bin', tap))) continue;
    const started = await startPlayground();
    playground = started.child;
    const url = started.url;
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
    const second = await runTap(tap, ['--config', configFile, '--catalog', join(dir, 'catalog.json'), '--state', join(dir, 'state1.json')], join(dir, 'run2.singer.jsonl'), first);
    writeFileSync(join(dir, 'state2.json'), JSON.stringify(second.state, null, 2));

    console.log(`== ${label} (playground on ${url})`);
    const streams = [...new Set([...first.counts.keys(), ...second.counts.keys()])];
    const width = Math.max(8, ...streams.map((s) => s.length));
    console.log(`  ${' '.repeat(width)}             incremental sync, after 5 changes at the source`);
    console.log(`  ${'stream'.padEnd(width)}  full sync  changed or new  re-sent unchanged`);
    for (const s of streams) {
      const inc = second.counts.get(s) ?? 0;
      const changed = second.changed.get(s) ?? 0;
      console.log(`  ${s.padEnd(width)}  ${String(first.counts.get(s) ?? 0).padStart(9)}  ${String(changed).padStart(14)}  ${String(inc - changed).padStart(17)}`);
    }
    const total = [...first.counts.values()].reduce((a, b) => a + b, 0);
    console.log(`  full sync: ${total} records in ${first.seconds.toFixed(2)}s; incremental: ${second.seconds.toFixed(2)}s`);
    console.log('  re-sent unchanged: the records at each bookmark, sent again (at least once); the target\'s upsert on the key makes them no-ops.');
    console.log(`  bookmarks: ${bookmarks(second.state).join(', ') || '(none)'}`);
    console.log('  one record per stream:');
    for (const s of streams) if (first.samples.has(s)) console.log(`    ${s}: ${sample(first.samples.get(s))}`);
    console.log(`  raw output: ${dir}/ (run1/run2 .singer.jsonl, catalog.json, state1/state2.json)\n`);
    playground.kill('SIGTERM');
    playground = undefined;
  }
} finally {
  playground?.kill('SIGTERM');
}
console.log(`demo finished in ${((performance.now() - started) / 1000).toFixed(1)}s`);
