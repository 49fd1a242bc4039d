#!/usr/bin/env node
// npm run bench: tap-betterstack (monitors only) against the Meltano Singer SDK reference tap and the
// bare Node loop on the same pre-rendered Better Stack pages, then latency-bound syncs with
// concurrency off and on. Writes bench/results.md and bench/chart.svg (--quick: bench/.work/ only).
//
//   node bench/run.mjs [--quick] [--scales 10000,100000,1000000] [--runs 3] [--latency 300] [--no-sdk] [--only startup|throughput|latency]
//   node bench/run.mjs --from bench/results.json     (re-render results.md and chart.svg without measuring)
//
// Each contestant runs under /usr/bin/time (CPU seconds and peak RSS of the whole process); its stdout
// is read by a line counter (no parsing: the reader must not be what is measured). Runs are
// interleaved (tap, SDK, bare, tap, SDK, bare, ...) and the median of each is reported.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const bench = join(root, 'bench');
const work = join(bench, '.work');
mkdirSync(work, { recursive: true });
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scales: { type: 'string' },
    runs: { type: 'string' },
    latency: { type: 'string', default: '300' },
    'no-sdk': { type: 'boolean', default: false },
    only: { type: 'string' },
    from: { type: 'string' },
  },
});
const quick = values.quick;
const scales = (values.scales ?? (quick ? '10000' : '10000,100000,1000000')).split(',').map(Number);
const runs = Number(values.runs ?? (quick ? 1 : 3));
const latencyMs = Number(values.latency);
const TOKEN = 'bench-token';
if (!values.from && !existsSync('/usr/bin/time')) {
  process.stderr.write('bench: needs GNU time at /usr/bin/time for CPU seconds and peak RSS (Debian/Ubuntu: apt-get install time)\n');
  process.exit(1);
}
const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------------------------------------
// The SDK reference tap's virtual environment, created and filled on first use.

function sdkPython() {
  if (values['no-sdk']) return undefined;
  const venv = join(bench, '.venv');
  const python = join(venv, 'bin', 'python');
  const requirements = readFileSync(join(bench, 'reference', 'requirements.txt'), 'utf8');
  const stamp = join(venv, '.requirements');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === requirements) return python;
  try {
    log(`installing the SDK reference tap into bench/.venv (${requirements.trim()}) ...`);
    if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(python, ['-m', 'pip', 'install', '-q', '-r', join(bench, 'reference', 'requirements.txt')], { stdio: 'inherit' });
    writeFileSync(stamp, requirements);
    return python;
  } catch (error) {
    log(`SDK reference tap unavailable (${error.message.split('\n')[0]}): needs python3 >= 3.10 with venv and pip; skipped`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Processes.

function startPlayground(args) {
  const child = spawn(join(root, 'bin/playground'), ['--port', '0', '--token', TOKEN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ url: line.replace('listening on ', ''), stop: () => child.kill('SIGTERM') }));
    child.once('exit', (code) => reject(new Error(`playground exited ${code}`)));
  });
}

const RECORD = Buffer.from('{"type":"RECORD"');

/** One run under /usr/bin/time; stdout counted (lines, bytes, RECORD lines), stderr kept for METRICs. */
function measure(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let records = 0;
    let bytes = 0;
    let carry = Buffer.alloc(0);
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      for (let i = data.indexOf(RECORD); i !== -1; i = data.indexOf(RECORD, i + RECORD.length)) records++;
      carry = data.subarray(Math.max(0, data.length - RECORD.length + 1));
      // A match cannot straddle: the carry is shorter than the pattern.
    });
    child.stderr.on('data', (d) => { stderr += d; if (stderr.length > 4e6) stderr = stderr.slice(-2e6); });
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (code !== 0 || !m) return reject(new Error(`${command} exited ${code}: ${stderr.slice(-800)}`));
      const requests = [...stderr.matchAll(/"metric":"http_request_count","value":(\d+)/g)].reduce((s, x) => s + Number(x[1]), 0);
      resolve({ wall, cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024, records, bytes, requests });
    });
  });
}

function median(list, key) {
  const sorted = list.map((r) => r[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function summarise(results) {
  const s = {};
  for (const key of ['wall', 'cpu', 'rssMb', 'records', 'bytes', 'requests']) s[key] = median(results, key);
  s.recordsPerSec = s.records / s.wall;
  s.mbPerSec = s.bytes / 1e6 / s.wall;
  s.cpuPerRecordUs = (s.cpu / s.records) * 1e6;
  return s;
}

/** A catalog of `tap` with only `streams` selected. */
function catalogSelecting(tap, config, streams) {
  const catalog = JSON.parse(execFileSync(join(root, 'bin', tap), ['--config', config, '--discover'], { encoding: 'utf8' }));
  for (const entry of catalog.streams) {
    const top = entry.metadata.find((m) => m.breadcrumb.length === 0);
    top.metadata.selected = streams.includes(entry.tap_stream_id);
  }
  const file = join(work, `${tap}-${streams.join('+')}.catalog.json`);
  writeFileSync(file, JSON.stringify(catalog));
  return file;
}

function writeJson(name, value) {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

// ---------------------------------------------------------------------------------------------
// Throughput: the same pre-rendered monitors pages for the three contestants.

async function throughput(python) {
  const rows = [];
  for (const scale of scales) {
    const pg = await startPlayground(['--monitors', String(scale)]);
    try {
      const config = writeJson('betterstack.json', { api_key: TOKEN, base_url: pg.url });
      const catalog = catalogSelecting('tap-betterstack', config, ['monitors']);
      const sdkConfig = writeJson('sdk.json', { api_key: TOKEN, base_url: pg.url });
      const contestants = [
        { name: 'tap-betterstack', run: () => measure(join(root, 'bin', 'tap-betterstack'), ['--config', config, '--catalog', catalog], { LOGLEVEL: 'warn' }) },
        ...(python ? [{ name: 'Singer SDK (msgspec)', run: () => measure(python, [join(bench, 'reference', 'tap_reference.py'), '--config', sdkConfig], { LOGLEVEL: 'WARNING' }) }] : []),
        { name: 'bare Node loop', run: () => measure(process.execPath, [join(bench, 'bare-loop.mjs'), pg.url, TOKEN]) },
      ];
      const results = new Map(contestants.map((c) => [c.name, []]));
      for (let i = 0; i < runs; i++) {
        for (const c of contestants) {
          const r = await c.run();
          if (r.records !== scale) throw new Error(`${c.name} wrote ${r.records} records, expected ${scale}`);
          log(`  ${scale.toLocaleString('en')} records, run ${i + 1}/${runs}, ${c.name}: ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, ${r.rssMb.toFixed(0)} MB`);
          results.get(c.name).push(r);
        }
      }
      for (const [name, list] of results) rows.push({ scale, name, ...summarise(list) });
    } finally {
      pg.stop();
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Start-up: what Meltano pays around every run (--about, --discover), against `node -e 0`.

async function startup() {
  const pg = await startPlayground([]);
  const rows = [];
  try {
    const bs = writeJson('bs-startup.json', { api_key: TOKEN, base_url: pg.url });
    const rest = writeJson('rest-startup.json', { source: join(root, 'sample-config/monitoring.source.json'), base_url: pg.url, api_key: TOKEN });
    const commands = [
      { name: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
      { name: 'tap-betterstack --about', command: join(root, 'bin/tap-betterstack'), args: ['--about'] },
      { name: 'tap-betterstack --discover', command: join(root, 'bin/tap-betterstack'), args: ['--config', bs, '--discover'] },
      { name: 'tap-harness --about', command: join(root, 'bin/tap-harness'), args: ['--about'] },
      { name: 'tap-rest --about', command: join(root, 'bin/tap-rest'), args: ['--about'] },
      { name: 'tap-rest --discover (monitoring seed)', command: join(root, 'bin/tap-rest'), args: ['--config', rest, '--discover'] },
    ];
    // CPU is counted in 10 ms steps: many short runs, interleaved, their mean.
    const n = Math.max(10, runs * 5);
    const results = new Map(commands.map((c) => [c.name, []]));
    for (let i = 0; i < n; i++) for (const c of commands) results.get(c.name).push(await measure(c.command, c.args));
    for (const c of commands) {
      const list = results.get(c.name);
      const cpu = list.reduce((a, r) => a + r.cpu, 0) / list.length;
      rows.push({ name: c.name, cpu, rssMb: median(list, 'rssMb'), wall: median(list, 'wall'), runs: list.length });
      log(`  start-up, ${c.name}: ${cpu.toFixed(3)} s CPU, ${median(list, 'rssMb').toFixed(1)} MB`);
    }
  } finally {
    pg.stop();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Latency: every request answered after `latencyMs`, concurrency off (one request at a time) and on.

const OFF = { max_parallel_streams: 1, max_parallel_requests: 1 };

async function latency() {
  const pg = await startPlayground(['--latency', String(latencyMs), '--scale', '10']);
  const rows = [];
  try {
    const bs = writeJson('bs-latency.json', { api_key: TOKEN, base_url: pg.url });
    const bsOff = writeJson('bs-latency-off.json', { api_key: TOKEN, base_url: pg.url, ...OFF });
    const play = writeJson('pg-latency.json', { bearer_token: TOKEN, base_url: pg.url });
    const playOff = writeJson('pg-latency-off.json', { bearer_token: TOKEN, base_url: pg.url, ...OFF });
    // tap-rest running the monitoring seed definition: an offset API that sends its total.
    const rest = writeJson('rest-latency.json', { source: join(root, 'sample-config/monitoring.source.json'), base_url: pg.url, api_key: TOKEN });
    const restOff = writeJson('rest-latency-off.json', { source: join(root, 'sample-config/monitoring.source.json'), base_url: pg.url, api_key: TOKEN, ...OFF });
    const fanoutCatalog = catalogSelecting('tap-playground', play, ['companies', 'departments']);
    const scenarios = [
      { name: 'tap-betterstack, every stream', tap: 'tap-betterstack', on: bs, off: bsOff, args: [] },
      { name: 'offset pages with a total (tap-rest, the monitoring seed definition)', tap: 'tap-rest', on: rest, off: restOff, args: [] },
      { name: 'parent/child fan-out (tap-playground companies → departments)', tap: 'tap-playground', on: play, off: playOff, args: ['--catalog', fanoutCatalog] },
    ];
    for (const s of scenarios) {
      const results = { off: [], on: [] };
      for (let i = 0; i < runs; i++) {
        for (const mode of ['off', 'on']) {
          const r = await measure(join(root, 'bin', s.tap), ['--config', s[mode], ...s.args], { LOGLEVEL: 'info' });
          log(`  ${s.name}, concurrency ${mode}: ${r.wall.toFixed(2)} s, ${r.requests} requests, ${r.records} records`);
          results[mode].push(r);
        }
      }
      const off = summarise(results.off);
      const on = summarise(results.on);
      rows.push({ name: s.name, off, on, serial: (off.requests * latencyMs) / 1000 });
    }
  } finally {
    pg.stop();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Report.

function machine(python) {
  const cpu = cpus();
  let sdk = 'not run';
  if (python) sdk = execFileSync(python, ['-c', 'import importlib.metadata as m, sys; print(f"singer-sdk {m.version(\'singer-sdk\')}, msgspec {m.version(\'msgspec\')}, Python {sys.version.split()[0]}")'], { encoding: 'utf8' }).trim();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux, Node ${process.version}; ${sdk}; load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

const fmt = (n, d = 0) => n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

function report(python, through, lat, started, start = []) {
  const lines = [];
  lines.push('# Benchmark results', '');
  lines.push(`Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${machineText}.`);
  lines.push(`Median of ${runs} interleaved run(s) per row. The playground server runs on the same cores.`, '');
  if (through.length) {
    lines.push('## Throughput: Better Stack monitors, pre-rendered pages of 250', '');
    lines.push('| records | contestant | wall s | records/s | MB/s out | CPU s | CPU µs/record | peak RSS MB | wall vs SDK | CPU vs bare loop |');
    lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of through) {
      const sdk = through.find((x) => x.scale === r.scale && x.name.startsWith('Singer SDK'));
      const bare = through.find((x) => x.scale === r.scale && x.name === 'bare Node loop');
      lines.push(`| ${fmt(r.scale)} | ${r.name} | ${fmt(r.wall, 2)} | ${fmt(r.recordsPerSec)} | ${fmt(r.mbPerSec, 1)} | ${fmt(r.cpu, 2)} | ${fmt(r.cpuPerRecordUs, 1)} | ${fmt(r.rssMb)} | ${sdk ? `${fmt(r.wall / sdk.wall, 2)}x` : ''} | ${bare ? `${fmt(r.cpu / bare.cpu, 2)}x` : ''} |`);
    }
    const taps = through.filter((r) => r.name === 'tap-betterstack');
    if (taps.length > 1) {
      const first = taps[0];
      const last = taps.at(-1);
      lines.push('', `tap-betterstack peak RSS at ${fmt(last.scale)} records is ${fmt(last.rssMb / first.rssMb, 2)}x its peak at ${fmt(first.scale)}.`);
    }
    lines.push('', '![throughput](chart.svg)', '');
  }
  if (start.length) {
    const node = start.find((r) => r.name === 'node -e 0');
    lines.push(`## Start-up: the commands Meltano runs around each sync (mean CPU of ${start[0].runs} runs, median peak RSS)`, '');
    lines.push('| command | CPU s | CPU vs node -e 0 | peak RSS MB | wall s |', '|---|---:|---:|---:|---:|');
    for (const r of start) lines.push(`| \`${r.name}\` | ${fmt(r.cpu, 3)} | ${node ? `${fmt(r.cpu / node.cpu, 2)}x` : ''} | ${fmt(r.rssMb, 1)} | ${fmt(r.wall, 2)} |`);
    lines.push('');
  }
  lines.push(...targets(through, lat, start));
  if (lat.length) {
    lines.push(`## Latency-bound: every request answered after ${latencyMs} ms (playground --scale 10)`, '');
    lines.push('Concurrency off: `max_parallel_streams: 1, max_parallel_requests: 1`; on: the defaults.', '');
    lines.push('| scenario | requests | requests one after another s | off: wall s | on: wall s | on vs one after another | speed-up |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of lat) {
      lines.push(`| ${r.name} | ${r.on.requests} | ${fmt(r.serial, 1)} | ${fmt(r.off.wall, 2)} | ${fmt(r.on.wall, 2)} | ${fmt(r.on.wall / r.serial, 2)}x | ${fmt(r.off.wall / r.on.wall, 1)}x |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The issue's targets, each checked against today's numbers. */
function targets(through, lat, start = []) {
  const out = [];
  const row = (target, measured, met) => out.push(`| ${target} | ${measured} | ${met ? 'met' : '**not met**'} |`);
  const node = start.find((r) => r.name === 'node -e 0');
  for (const r of start.filter((x) => /^tap-betterstack --(about|discover)$/.test(x.name))) {
    if (node) row(`\`${r.name}\`: CPU at most 2x \`node -e 0\``, `${fmt(r.cpu / node.cpu, 2)}x (${fmt(r.cpu, 3)} s vs ${fmt(node.cpu, 3)} s)`, r.cpu / node.cpu <= 2);
    row(`\`${r.name}\`: peak RSS at most 55 MB`, `${fmt(r.rssMb, 1)} MB`, r.rssMb <= 55);
  }
  const largest = Math.max(...through.map((r) => r.scale));
  const at = (name, scale = largest) => through.find((r) => r.scale === scale && r.name === name);
  const tap = at('tap-betterstack');
  // Issue 18 sets the CPU and wall targets on a sync of 100,000 monitors; the other scales are shown beside.
  const aimed = through.some((r) => r.scale === 100_000) ? 100_000 : largest;
  const ratioAt = (scale, other, key) => {
    const t = at('tap-betterstack', scale);
    const o = through.find((r) => r.scale === scale && r.name.startsWith(other));
    return t && o ? t[key] / o[key] : undefined;
  };
  /** The ratio at the aimed scale, the other scales' in brackets. */
  const measured = (other, key) => {
    const others = [...new Set(through.map((r) => r.scale))].filter((s) => s !== aimed && ratioAt(s, other, key) !== undefined).map((s) => `${fmt(ratioAt(s, other, key), 2)}x at ${fmt(s)}`);
    return `${fmt(ratioAt(aimed, other, key), 2)}x at ${fmt(aimed)} records${others.length ? ` (${others.join(', ')})` : ''}`;
  };
  const cpu = ratioAt(aimed, 'bare Node loop', 'cpu');
  if (cpu !== undefined) row(`${fmt(aimed)} monitors: CPU per record at most 1.3x the bare loop's`, measured('bare Node loop', 'cpu'), cpu <= 1.3);
  const wall = ratioAt(aimed, 'Singer SDK', 'wall');
  if (wall !== undefined) row(`${fmt(aimed)} monitors: wall time at most 0.25x the SDK's`, measured('Singer SDK', 'wall'), wall <= 0.25);
  const taps = through.filter((r) => r.name === 'tap-betterstack');
  if (taps.length) {
    const peak = Math.max(...taps.map((r) => r.rssMb));
    row('peak RSS at most 100 MB', `${fmt(peak)} MB`, peak <= 100);
    const small = taps.find((r) => r.scale === Math.min(...taps.map((x) => x.scale)));
    if (taps.length > 1 && small) row(`flat: ${fmt(largest)} records within 1.1x the peak at ${fmt(small.scale)}`, `${fmt(tap.rssMb / small.rssMb, 2)}x`, tap.rssMb / small.rssMb <= 1.1);
  }
  for (const r of lat) {
    if (r.name.startsWith('tap-betterstack')) row(`${r.name}: at most half the time its requests take one after another`, `${fmt(r.on.wall / r.serial, 2)}x`, r.on.wall / r.serial <= 0.5);
    else row(`${r.name}: at least 4x faster than one request at a time`, `${fmt(r.off.wall / r.on.wall, 1)}x`, r.off.wall / r.on.wall >= 4);
  }
  if (!out.length) return [];
  return ['## Targets (issues 10 and 18)', '', '| target | measured | |', '|---|---|---|', ...out, ''];
}

/** Records/s per scale and contestant, as horizontal bars. */
function chart(through, lat, title) {
  const colors = { 'tap-betterstack': '#2563eb', 'Singer SDK (msgspec)': '#f59e0b', 'bare Node loop': '#9ca3af' };
  const rows = [];
  for (const scale of [...new Set(through.map((r) => r.scale))]) {
    for (const r of through.filter((x) => x.scale === scale)) rows.push({ label: `${fmt(scale)} · ${r.name}`, value: r.recordsPerSec, text: `${fmt(r.recordsPerSec)} rec/s · ${fmt(r.cpu, 1)} s CPU · ${fmt(r.rssMb)} MB`, color: colors[r.name] ?? '#666' });
  }
  const latRows = lat.flatMap((r) => [
    { label: `${r.name.split(' (')[0]} · off`, value: r.off.wall, text: `${fmt(r.off.wall, 2)} s`, color: '#9ca3af' },
    { label: `${r.name.split(' (')[0]} · on`, value: r.on.wall, text: `${fmt(r.on.wall, 2)} s`, color: '#2563eb' },
  ]);
  const W = 900;
  const labelW = 330;
  const barW = W - labelW - 260;
  const rowH = 22;
  let y = 58;
  const out = [];
  const section = (heading, list) => {
    if (!list.length) return;
    out.push(`<text x="10" y="${y}" font-weight="bold">${heading}</text>`);
    y += 12;
    const max = Math.max(...list.map((r) => r.value));
    for (const r of list) {
      const w = Math.max(1, (r.value / max) * barW);
      out.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${r.label}</text>`);
      out.push(`<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${r.color}"/>`);
      out.push(`<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${r.text}</text>`);
      y += rowH;
    }
    y += 24;
  };
  section('Throughput: records/s (longer is better)', rows);
  section(`Latency ${latencyMs} ms/request: wall seconds, concurrency off vs on (shorter is better)`, latRows);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="20" font-size="14" font-weight="bold">${title}</text>
<text x="10" y="38" font-size="11" fill="#444">${machineText.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>
${out.join('\n')}
</svg>
`;
}

const started = new Date();
let python;
let through;
let lat;
let machineText;
let startRows = [];
if (values.from) {
  // Re-renders the report and chart of an earlier run (bench/results.json) without measuring again.
  const stored = JSON.parse(readFileSync(values.from, 'utf8'));
  ({ python, through, lat, start: startRows = [], machine: machineText } = stored);
  started.setTime(Date.parse(stored.started));
} else {
  python = values.only && values.only !== 'throughput' ? undefined : sdkPython();
  machineText = machine(python);
  startRows = !values.only || values.only === 'startup' ? await startup() : [];
  through = values.only && values.only !== 'throughput' ? [] : await throughput(python);
  lat = values.only && values.only !== 'latency' ? [] : await latency();
}
const text = report(python, through, lat, started, startRows);
const dir = quick ? work : bench;
writeFileSync(join(dir, 'results.md'), text + '\n');
if (!values.from) writeFileSync(join(dir, 'results.json'), JSON.stringify({ started: started.toISOString(), python: python && 'bench/.venv/bin/python', through, lat, start: startRows, machine: machineText }, null, 1) + '\n');
writeFileSync(join(dir, 'chart.svg'), chart(through, lat, `singer-taps-ts benchmark, ${started.toISOString().slice(0, 10)}, ${cpus().length} cores`));
process.stdout.write(text + '\n');
log(`written: ${join(dir, 'results.md')}, ${join(dir, 'chart.svg')}`);
