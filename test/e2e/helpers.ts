/**
 * End-to-end helpers: spawn the real binaries (bin/playground, bin/tap-*), parse their stdout as
 * Singer messages, and check those messages against the Singer protocol (`checkSingerOutput`).
 *
 * Nothing here imports the kit: the tests see the taps exactly as Meltano or a shell would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin');

/** Path of a binary in bin/ (`tap-playground`, `playground`, ...). */
export function binPath(name: string): string {
  return path.join(BIN, name);
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one we start is killed when the test worker exits, whatever happens.

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** An environment without the caller's tap settings or log level, so runs are hermetic. */
function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^TAP_/.test(k) || k === 'LOGLEVEL' || k === 'LOG_LEVEL') continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Secrets: every configured secret (playground tokens, `randomSecret()`s, and the values of
// token/secret/password/key settings in every config file a test writes) is looked for, with its
// encodings, in the stdout and stderr of every tap run. A run that shows one fails its test.

const SECRETS = new Set<string>();
const SECRET_KEY = /token|secret|password|api_?key|client_key/i;

/** Registers a value that must never appear in a tap's output. */
export function registerSecret(value: string): void {
  if (value.length >= 6) SECRETS.add(value);
}

function registerSecretsIn(value: unknown, key = ''): void {
  // A template (`{config.api_token}` in a definition file) names a secret, it is not one.
  if (typeof value === 'string' && SECRET_KEY.test(key) && !/\{[^}]*\}/.test(value)) registerSecret(value);
  else if (Array.isArray(value)) value.forEach((v) => registerSecretsIn(v, key));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) registerSecretsIn(v, k);
}

/** A secret's forms a leak could take: as is, URL-encoded, JSON-escaped, hex, and base64 at any alignment (Basic auth). */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('hex')]);
  for (let k = 0; k < 3; k++) {
    for (const encoding of ['base64', 'base64url'] as const) {
      const b = Buffer.from('x'.repeat(k) + secret).toString(encoding).replace(/=+$/, '');
      // Only the characters that depend on the secret alone, whatever precedes or follows it.
      const core = b.slice(Math.ceil((k * 4) / 3) + (k ? 1 : 0), b.length - 3);
      if (core.length >= 8) forms.add(core);
    }
  }
  return [...forms];
}

/** Lines of `text` holding a configured secret in any of its forms. */
export function secretLeaks(text: string): string[] {
  const out: string[] = [];
  for (const secret of SECRETS) {
    for (const form of secretForms(secret)) if (text.includes(form)) out.push(`${JSON.stringify(secret.slice(0, 3))}... as ${JSON.stringify(form)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The playground mock server.

export interface PlaygroundOptions {
  /** Default: a random, distinctive token. */
  token?: string;
  seed?: number;
  scale?: number;
  /** `--fault STATUS:EVERY[:RETRY_AFTER]` values. */
  faults?: string[];
  /** Any other flags. */
  args?: string[];
  /** Milliseconds to wait for the `listening on` line. */
  startTimeoutMs?: number;
}

export interface PlaygroundProcess {
  url: string;
  token: string;
  child: ChildProcess;
  /** GET /__playground/stats */
  stats(): Promise<Record<string, Record<string, number>>>;
  /** POST /__playground/mutate?count=N; returns `changed` per mock. */
  mutate(count: number): Promise<Record<string, number>>;
  /** GET /__playground/requests: the last requests the server answered (method, path with query, body). */
  requests(): Promise<Array<{ method: string; path: string; body: string }>>;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `bin/playground --port 0 --token T` and resolves once it prints its URL. */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<PlaygroundProcess> {
  const token = options.token ?? `pg-token-${randomBytes(8).toString('hex')}`;
  registerSecret(token);
  const args = [binPath('playground'), '--port', '0', '--token', token];
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  if (options.scale !== undefined) args.push('--scale', String(options.scale));
  for (const f of options.faults ?? []) args.push('--fault', f);
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`playground did not print its URL within ${options.startTimeoutMs ?? 15_000} ms; stderr: ${err}`));
    }, options.startTimeoutMs ?? 15_000);
    const onData = (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const first = out.slice(0, nl);
      const m = /^listening on (http:\/\/\S+)$/.exec(first);
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (m) resolve(m[1] as string);
      else reject(new Error(`playground's first stdout line is not 'listening on URL': ${JSON.stringify(first)}`));
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`playground exited (${code}) before listening; stderr: ${err}`));
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
  });
  child.stdout!.resume();

  const admin = async (method: string, route: string): Promise<unknown> => {
    const res = await fetch(`${url}/__playground/${route}`, { method });
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`${method} /__playground/${route}: HTTP ${res.status} ${JSON.stringify(body)}`);
    return body;
  };

  return {
    url,
    token,
    child,
    stats: async () => (await admin('GET', 'stats')) as Record<string, Record<string, number>>,
    mutate: async (count: number) => ((await admin('POST', `mutate?count=${count}`)) as { changed: Record<string, number> }).changed,
    requests: async () => ((await admin('GET', 'requests')) as { requests: Array<{ method: string; path: string; body: string }> }).requests,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Running a tap.

export interface SchemaMessage {
  type: 'SCHEMA';
  stream: string;
  schema: JsonSchema;
  key_properties: string[];
  bookmark_properties?: string[];
}
export interface RecordMessage {
  type: 'RECORD';
  stream: string;
  record: Record<string, unknown>;
  time_extracted?: string;
  version?: number;
}
export interface StateMessage {
  type: 'STATE';
  value: StateValue;
}
export interface ActivateVersionMessage {
  type: 'ACTIVATE_VERSION';
  stream: string;
  version: number;
}
export type SingerMessage = SchemaMessage | RecordMessage | StateMessage | ActivateVersionMessage;

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  [key: string]: unknown;
}

export interface Bookmark {
  replication_key?: string;
  replication_key_value?: string | number;
  [key: string]: unknown;
}
export interface StateValue {
  bookmarks: Record<string, Bookmark>;
  [key: string]: unknown;
}

export interface TapRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Non-empty stdout lines. */
  lines: string[];
  /** stdout lines parsed as JSON (empty when `json: false`). */
  messages: SingerMessage[];
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

export interface TapRunOptions {
  /** Extra environment variables (undefined removes one). */
  env?: Record<string, string | undefined>;
  /** Parse every stdout line as JSON and fail when one is not (default true). */
  json?: boolean;
  /** Kill the tap and fail after this many ms (default 30 s). */
  timeoutMs?: number;
  /** Called for every complete stdout line as it arrives. */
  onLine?: (line: string, child: ChildProcess) => void;
  /** The working directory (default: the repository root). */
  cwd?: string;
  /** A command the tap runs under (`['sh', '-c', 'ulimit -f 16; exec "$0" "$@"']`): it gets node, the tap and its arguments. */
  prefix?: string[];
}

export interface SpawnedTap {
  child: ChildProcess;
  result: Promise<TapRun>;
}

/** Spawns `bin/<tap>` with `args`; `result` settles when it exits (rejects on a non-JSON stdout line). */
export function spawnTap(tap: string, args: string[], options: TapRunOptions = {}): SpawnedTap {
  const started = performance.now();
  const [command, ...before] = options.prefix ?? [process.execPath];
  const child = spawn(command as string, [...before, ...(options.prefix ? [process.execPath] : []), binPath(tap), ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (!options.onLine) return;
    pending += d;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      options.onLine(line, child);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const result = new Promise<TapRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${tap} ${args.join(' ')} did not exit within ${timeoutMs} ms\nstderr:\n${stderr.slice(-4000)}`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const rawLines = stdout.split('\n');
      if (rawLines[rawLines.length - 1] === '') rawLines.pop();
      const lines = rawLines.filter((l) => l !== '');
      const run: TapRun = { code, signal, stdout, lines, messages: [], stderr, ms };
      const leaks = secretLeaks(stdout + stderr);
      if (leaks.length > 0) {
        reject(new Error(`${tap} ${args.join(' ')}: a configured secret appears in its output: ${leaks.slice(0, 3).join('; ')}`));
        return;
      }
      if (options.json !== false) {
        const bad: string[] = [];
        if (stdout !== '' && !stdout.endsWith('\n')) bad.push(`stdout does not end with a newline (last line cut short?): ${JSON.stringify(rawLines.at(-1)?.slice(-200))}`);
        rawLines.forEach((line, i) => {
          try {
            run.messages.push(JSON.parse(line) as SingerMessage);
          } catch {
            bad.push(`stdout line ${i + 1} is not JSON: ${JSON.stringify(line.slice(0, 300))}`);
          }
        });
        if (bad.length > 0) {
          reject(new Error(`${tap} ${args.join(' ')} (exit ${code}): ${bad.slice(0, 5).join('\n')}\nstderr:\n${stderr.slice(-2000)}`));
          return;
        }
      }
      resolve(run);
    });
  });
  return { child, result };
}

/** Runs a tap to completion. */
/**
 * Runs a tap and sends it `signal` once `count` stdout lines containing `marker` went by; resolves
 * with the run and whether the signal was sent.
 */
export async function runTapUntil(tap: string, args: string[], marker: string, count: number, signal: NodeJS.Signals = 'SIGTERM', options: TapRunOptions = {}): Promise<{ run: TapRun; signalled: boolean }> {
  let signalled = false;
  let seen = 0;
  const { result } = spawnTap(tap, args, {
    timeoutMs: 60_000,
    ...options,
    onLine: (line, child) => {
      if (!signalled && line.includes(marker) && ++seen >= count) {
        signalled = true;
        child.kill(signal);
      }
    },
  });
  return { run: await result, signalled };
}

export function runTap(tap: string, args: string[], options: TapRunOptions = {}): Promise<TapRun> {
  return spawnTap(tap, args, options).result;
}

// ---------------------------------------------------------------------------------------------
// Temporary files.

/** A private temp directory (under os.tmpdir()) for config, catalog and state files. */
export class TempFiles {
  readonly dir: string;
  private n = 0;

  constructor(prefix = 'singer-e2e-') {
    this.dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  }

  /** A path in the directory (unique when `name` is omitted); the file is not created. */
  path(name?: string): string {
    return path.join(this.dir, name ?? `file-${++this.n}`);
  }

  /** Writes `value` as JSON and returns the path. */
  json(name: string, value: unknown): string {
    registerSecretsIn(value);
    return this.text(name, JSON.stringify(value, null, 2));
  }

  /** Writes text and returns the path. */
  text(name: string, content: string): string {
    const file = this.path(name);
    writeFileSync(file, content);
    return file;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Selecting messages.

export const schemasOf = (messages: SingerMessage[], stream?: string): SchemaMessage[] =>
  messages.filter((m): m is SchemaMessage => m.type === 'SCHEMA' && (stream === undefined || m.stream === stream));

export const recordsOf = (messages: SingerMessage[], stream?: string): Array<Record<string, unknown>> =>
  messages.filter((m): m is RecordMessage => m.type === 'RECORD' && (stream === undefined || m.stream === stream)).map((m) => m.record);

export const statesOf = (messages: SingerMessage[]): StateValue[] =>
  messages.filter((m): m is StateMessage => m.type === 'STATE').map((m) => m.value);

/** Record counts per stream. */
export function recordCounts(messages: SingerMessage[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of messages) if (m.type === 'RECORD') out[m.stream] = (out[m.stream] ?? 0) + 1;
  return out;
}

/** The log lines of one level (`CRITICAL`, `WARN`, ...) in a tap's stderr. */
export function logLines(stderr: string, level: string): string[] {
  return stderr.split('\n').filter((l) => l.includes(` ${level} `));
}

/** Strings sorted, for order-free comparisons. */
export const sorted = (values: Iterable<string>): string[] => [...values].sort();

/** A value's JSON type: `null`, `array`, or its typeof. */
export const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Lines of text that look like a Node stack trace (`    at fn (file:1:2)`). */
export function stackTraceLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at /.test(l));
}

// ---------------------------------------------------------------------------------------------
// The Singer conformance checker.

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsImport as unknown as { default?: AddFormats }).default ?? (addFormatsImport as unknown as AddFormats);

const TYPES = new Set(['SCHEMA', 'RECORD', 'STATE', 'ACTIVATE_VERSION']);
/** RFC 3339, UTC (`Z` or `+00:00`). */
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|\+00:00)$/;

export interface CatalogLike {
  streams: Array<{
    tap_stream_id: string;
    schema?: JsonSchema;
    metadata?: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }>;
  }>;
}

export interface CheckOptions {
  /** The catalog the tap was given: emitted streams, keys and fields must agree with it. */
  catalog?: CatalogLike;
  /** The output must end with a STATE message (default true; `--test` runs write none). */
  finalState?: boolean;
  /** Key properties must be unique per stream within the run (default true). */
  uniqueKeys?: boolean;
  /** Every RECORD must carry time_extracted (default false: it is optional in the spec). */
  requireTimeExtracted?: boolean;
}

export interface CheckResult {
  /** Latest SCHEMA per stream. */
  schemas: Map<string, SchemaMessage>;
  records: Map<string, Array<Record<string, unknown>>>;
  states: StateValue[];
  /** The value of the last STATE message, if any. */
  finalState: StateValue | undefined;
  counts: Record<string, number>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type KeyKind = 'datetime' | 'number' | 'string';

function keyKind(schema: JsonSchema | undefined): KeyKind {
  if (!schema) return 'string';
  const formats = [schema.format, ...(((schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined) ?? []).map((s) => s.format)];
  if (formats.includes('date-time') || formats.includes('date')) return 'datetime';
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes('integer') || types.includes('number')) return 'number';
  return 'string';
}

/** Comparable form of a replication-key value (instants as epoch ms), undefined when not comparable. */
function comparable(value: unknown, kind: KeyKind): number | string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (kind === 'datetime') {
    const ms = typeof value === 'number' ? value : Date.parse(String(value));
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (kind === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return String(value);
}

function compileSchema(schema: JsonSchema): ValidateFunction {
  const draft = String(schema.$schema ?? '');
  // Own properties only, as a target reads a record (a field named `constructor` is data, never Object's).
  const options = { allErrors: true, strict: false, validateFormats: true, ownProperties: true };
  const ajv: Ajv = /2019-09|2020-12/.test(draft) ? (new Ajv2020(options) as unknown as Ajv) : new Ajv(options);
  addFormats(ajv);
  return ajv.compile(schema);
}

function containsRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsRef);
  if (!isObject(value)) return false;
  return Object.entries(value).some(([k, v]) => k === '$ref' || containsRef(v));
}

function rootMetadata(entry: CatalogLike['streams'][number]): Record<string, unknown> {
  return entry.metadata?.find((m) => Array.isArray(m.breadcrumb) && m.breadcrumb.length === 0)?.metadata ?? {};
}

function fieldMetadata(entry: CatalogLike['streams'][number], field: string): Record<string, unknown> | undefined {
  return entry.metadata?.find((m) => m.breadcrumb.length === 2 && m.breadcrumb[0] === 'properties' && m.breadcrumb[1] === field)?.metadata;
}

/**
 * Checks a tap's stdout (already parsed) against the Singer protocol and throws one Error listing
 * every problem found. Generic: knows nothing of any particular tap.
 *
 * - every message is a SCHEMA/RECORD/STATE/ACTIVATE_VERSION object of the right shape;
 * - a stream's SCHEMA precedes its RECORDs and ACTIVATE_VERSIONs; a SCHEMA is a valid JSON Schema
 *   without `$ref`, is not re-sent unchanged, and its key_properties (and bookmark_properties)
 *   are top-level properties;
 * - every RECORD validates against its stream's latest SCHEMA (ajv, draft-07, formats on); its key
 *   properties are present, non-null and (by default) unique per stream; time_extracted is RFC 3339 UTC;
 * - RECORD/ACTIVATE_VERSION versions are integers, and a versioned RECORD is later activated;
 * - STATE values are `{bookmarks: {...}}` with replication_key / replication_key_value in pairs,
 *   on the stream's replication key; a bookmark set during the run never moves back and no later
 *   RECORD of that stream is older than it; no two adjacent STATE messages are identical; the
 *   output ends with a STATE (by default);
 * - with a catalog: only catalog streams, none explicitly deselected, key properties as in
 *   `table-key-properties`, deselected fields absent and automatic fields present.
 */
export function checkSingerOutput(messages: readonly unknown[], options: CheckOptions = {}): CheckResult {
  const problems: string[] = [];
  const problem = (i: number, text: string) => {
    if (problems.length < 60) problems.push(`message ${i + 1}: ${text}`);
  };
  const schemas = new Map<string, SchemaMessage>();
  const validators = new Map<string, ValidateFunction>();
  const records = new Map<string, Array<Record<string, unknown>>>();
  const keysSeen = new Map<string, Set<string>>();
  const states: StateValue[] = [];
  const counts: Record<string, number> = {};
  /** Replication key per stream, from SCHEMA bookmark_properties or the catalog. */
  const replicationKey = new Map<string, string>();
  /** Bookmarks this run moved: stream -> comparable value; later records must not be older. */
  const committed = new Map<string, { value: number | string; shown: unknown }>();
  /** Versions of RECORDs still waiting for their ACTIVATE_VERSION: `stream\0version`. */
  const unactivated = new Map<string, number>();
  let previousStateText: string | undefined;
  let previousWasState = false;
  /** Until the first non-STATE message, STATEs echo the input state: their bookmarks are not this run's. */
  let onlyStatesSoFar = true;
  let lastState: StateValue | undefined;
  let lastBookmarks: Record<string, Bookmark> = {};

  const catalogStreams = new Map((options.catalog?.streams ?? []).map((s) => [s.tap_stream_id, s]));
  if (options.catalog) {
    for (const entry of options.catalog.streams) {
      const root = rootMetadata(entry);
      const rk = typeof root['replication-key'] === 'string' ? root['replication-key'] : undefined;
      if (rk) replicationKey.set(entry.tap_stream_id, rk);
    }
  }
  const catalogEntry = (i: number, stream: string) => {
    if (!options.catalog) return undefined;
    const entry = catalogStreams.get(stream);
    if (!entry) problem(i, `stream '${stream}' is not in the catalog given to the tap`);
    else if (rootMetadata(entry).selected === false) problem(i, `stream '${stream}' is deselected in the catalog but was emitted`);
    return entry;
  };
  const kindOf = (stream: string, key: string): KeyKind => keyKind(schemas.get(stream)?.schema.properties?.[key]);

  messages.forEach((raw, i) => {
    if (!isObject(raw)) return problem(i, `not a JSON object: ${JSON.stringify(raw)?.slice(0, 120)}`);
    const type = raw.type;
    if (typeof type !== 'string' || !TYPES.has(type)) return problem(i, `unknown message type ${JSON.stringify(type)}`);
    const isState = type === 'STATE';

    if (type === 'SCHEMA') {
      const m = raw as unknown as SchemaMessage;
      if (typeof m.stream !== 'string' || m.stream === '') return problem(i, 'SCHEMA without a stream name');
      if (!isObject(m.schema)) return problem(i, `SCHEMA '${m.stream}' has no schema object`);
      if (!Array.isArray(m.key_properties) || !m.key_properties.every((k) => typeof k === 'string')) {
        return problem(i, `SCHEMA '${m.stream}': key_properties must be an array of strings (may be empty)`);
      }
      const props = isObject(m.schema.properties) ? m.schema.properties : {};
      for (const k of m.key_properties) {
        if (!(k in props)) problem(i, `SCHEMA '${m.stream}': key property '${k}' is not a top-level property of the schema`);
      }
      if (m.bookmark_properties !== undefined) {
        if (!Array.isArray(m.bookmark_properties)) problem(i, `SCHEMA '${m.stream}': bookmark_properties must be an array`);
        else {
          for (const k of m.bookmark_properties) {
            if (!(k in props)) problem(i, `SCHEMA '${m.stream}': bookmark property '${k}' is not a top-level property`);
          }
          if (typeof m.bookmark_properties[0] === 'string') replicationKey.set(m.stream, m.bookmark_properties[0]);
        }
      }
      if (containsRef(m.schema)) problem(i, `SCHEMA '${m.stream}' still contains a $ref (resolve it before emitting)`);
      const previous = schemas.get(m.stream);
      if (previous && JSON.stringify(previous) === JSON.stringify(m)) problem(i, `SCHEMA '${m.stream}' re-sent unchanged`);
      const entry = catalogEntry(i, m.stream);
      if (entry) {
        const root = rootMetadata(entry);
        const tkp = root['table-key-properties'];
        if (Array.isArray(tkp) && JSON.stringify(tkp) !== JSON.stringify(m.key_properties)) {
          problem(i, `SCHEMA '${m.stream}': key_properties ${JSON.stringify(m.key_properties)} differ from the catalog's table-key-properties ${JSON.stringify(tkp)}`);
        }
        const catalogProps = entry.schema?.properties ?? {};
        for (const name of Object.keys(props)) {
          if (entry.schema && !(name in catalogProps)) problem(i, `SCHEMA '${m.stream}': property '${name}' is not in the catalog's schema`);
          const md = fieldMetadata(entry, name);
          if (md && md.inclusion !== 'automatic' && (md.selected === false || md.inclusion === 'unsupported')) {
            problem(i, `SCHEMA '${m.stream}': property '${name}' is deselected/unsupported in the catalog but present`);
          }
        }
        for (const name of Object.keys(catalogProps)) {
          if (fieldMetadata(entry, name)?.inclusion === 'automatic' && !(name in props)) {
            problem(i, `SCHEMA '${m.stream}': automatic property '${name}' is missing`);
          }
        }
      }
      schemas.set(m.stream, m);
      try {
        validators.set(m.stream, compileSchema(m.schema));
      } catch (error) {
        validators.delete(m.stream);
        problem(i, `SCHEMA '${m.stream}' is not a valid JSON Schema: ${(error as Error).message}`);
      }
    } else if (type === 'RECORD') {
      const m = raw as unknown as RecordMessage;
      if (typeof m.stream !== 'string' || m.stream === '') return problem(i, 'RECORD without a stream name');
      if (!isObject(m.record)) return problem(i, `RECORD '${m.stream}' has no record object`);
      counts[m.stream] = (counts[m.stream] ?? 0) + 1;
      (records.get(m.stream) ?? records.set(m.stream, []).get(m.stream)!).push(m.record);
      catalogEntry(i, m.stream);
      const schema = schemas.get(m.stream);
      if (!schema) return problem(i, `RECORD for '${m.stream}' before any SCHEMA of that stream`);
      const validate = validators.get(m.stream);
      if (validate && !validate(m.record)) {
        const errs = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
        problem(i, `RECORD '${m.stream}' does not validate against its SCHEMA: ${errs} (record ${JSON.stringify(m.record).slice(0, 200)})`);
      }
      const keyValues = schema.key_properties.map((k) => m.record[k]);
      schema.key_properties.forEach((k, j) => {
        if (keyValues[j] === undefined || keyValues[j] === null) problem(i, `RECORD '${m.stream}': key property '${k}' is missing or null`);
      });
      if (schema.key_properties.length > 0 && options.uniqueKeys !== false) {
        const key = JSON.stringify(keyValues);
        const seen = keysSeen.get(m.stream) ?? keysSeen.set(m.stream, new Set()).get(m.stream)!;
        if (seen.has(key)) problem(i, `RECORD '${m.stream}': duplicate key ${key}`);
        seen.add(key);
      }
      if (m.time_extracted !== undefined) {
        if (typeof m.time_extracted !== 'string' || !RFC3339_UTC.test(m.time_extracted) || !Number.isFinite(Date.parse(m.time_extracted))) {
          problem(i, `RECORD '${m.stream}': time_extracted ${JSON.stringify(m.time_extracted)} is not RFC 3339 UTC`);
        }
      } else if (options.requireTimeExtracted) problem(i, `RECORD '${m.stream}' has no time_extracted`);
      if (m.version !== undefined) {
        if (!Number.isInteger(m.version)) problem(i, `RECORD '${m.stream}': version ${JSON.stringify(m.version)} is not an integer`);
        else unactivated.set(`${m.stream}\0${m.version}`, i);
      }
      const rk = replicationKey.get(m.stream);
      const bookmark = committed.get(m.stream);
      if (rk && bookmark) {
        const c = comparable(m.record[rk], kindOf(m.stream, rk));
        if (c !== undefined && c < bookmark.value) {
          problem(i, `RECORD '${m.stream}' has ${rk}=${JSON.stringify(m.record[rk])}, older than the bookmark ${JSON.stringify(bookmark.shown)} already emitted in a STATE (that STATE claimed records it had not written)`);
        }
      }
    } else if (type === 'ACTIVATE_VERSION') {
      const m = raw as unknown as ActivateVersionMessage;
      if (typeof m.stream !== 'string' || m.stream === '') return problem(i, 'ACTIVATE_VERSION without a stream name');
      if (!Number.isInteger(m.version)) problem(i, `ACTIVATE_VERSION '${m.stream}': version ${JSON.stringify(m.version)} is not an integer`);
      catalogEntry(i, m.stream);
      if (!schemas.has(m.stream)) problem(i, `ACTIVATE_VERSION for '${m.stream}' before any SCHEMA of that stream`);
      unactivated.delete(`${m.stream}\0${m.version}`);
    } else {
      const value = raw.value;
      if (!isObject(value)) return problem(i, `STATE value must be an object, got ${JSON.stringify(value)?.slice(0, 80)}`);
      if (!isObject(value.bookmarks)) return problem(i, 'STATE value has no "bookmarks" object');
      const text = JSON.stringify(value);
      if (previousWasState && text === previousStateText) problem(i, 'STATE identical to the STATE just before it');
      for (const [stream, bm] of Object.entries(value.bookmarks)) {
        if (!isObject(bm)) {
          problem(i, `STATE bookmarks.${stream} must be an object`);
          continue;
        }
        const entries: Array<[string, Record<string, unknown>]> = [[`bookmarks.${stream}`, bm]];
        if (bm.partitions !== undefined) {
          if (!Array.isArray(bm.partitions)) problem(i, `STATE bookmarks.${stream}.partitions must be an array`);
          else {
            bm.partitions.forEach((p: unknown, j: number) => {
              if (!isObject(p) || !isObject(p.context)) problem(i, `STATE bookmarks.${stream}.partitions[${j}] needs a "context" object`);
              else entries.push([`bookmarks.${stream}.partitions[${j}]`, p]);
            });
          }
        }
        for (const [where, e] of entries) {
          const hasKey = e.replication_key !== undefined;
          const hasValue = e.replication_key_value !== undefined;
          if (hasKey && (typeof e.replication_key !== 'string' || e.replication_key === '')) problem(i, `STATE ${where}.replication_key must be a non-empty string`);
          if (hasKey !== hasValue) problem(i, `STATE ${where}: replication_key and replication_key_value must come together`);
          if (hasValue && typeof e.replication_key_value !== 'string' && typeof e.replication_key_value !== 'number') {
            problem(i, `STATE ${where}.replication_key_value must be a string or a number`);
          }
          const rk = replicationKey.get(stream);
          if (hasKey && rk && e.replication_key !== rk) problem(i, `STATE ${where}.replication_key '${String(e.replication_key)}' is not the stream's replication key '${rk}'`);
          if (hasKey && hasValue && typeof e.replication_key === 'string' && schemas.has(stream)) {
            const kind = kindOf(stream, e.replication_key);
            if (comparable(e.replication_key_value, kind) === undefined) {
              problem(i, `STATE ${where}.replication_key_value ${JSON.stringify(e.replication_key_value)} is not a valid ${kind}`);
            }
          }
        }
        // A bookmark this run moved: never backwards, and it must cover every record written after it.
        const before = lastBookmarks[stream];
        const rk = typeof bm.replication_key === 'string' ? bm.replication_key : undefined;
        if (!onlyStatesSoFar && rk && bm.replication_key_value !== undefined && (!isObject(before) || before.replication_key_value !== bm.replication_key_value)) {
          const kind = kindOf(stream, rk);
          const now = comparable(bm.replication_key_value, kind);
          const was = isObject(before) && before.replication_key === rk ? comparable(before.replication_key_value, kind) : undefined;
          if (now !== undefined && was !== undefined && now < was) {
            problem(i, `STATE bookmarks.${stream} moved backwards: ${JSON.stringify(before?.replication_key_value)} -> ${JSON.stringify(bm.replication_key_value)}`);
          }
          if (now !== undefined) committed.set(stream, { value: now, shown: bm.replication_key_value });
        }
      }
      previousStateText = text;
      lastState = value as StateValue;
      lastBookmarks = value.bookmarks as Record<string, Bookmark>;
      states.push(value as StateValue);
    }
    previousWasState = isState;
    if (!isState) onlyStatesSoFar = false;
  });

  for (const [key, i] of unactivated) {
    const [stream, version] = key.split('\0');
    problem(i, `RECORD '${stream}' with version ${version} is never followed by ACTIVATE_VERSION ${version}`);
  }
  if (options.finalState !== false) {
    const last = messages[messages.length - 1];
    if (!isObject(last) || last.type !== 'STATE') {
      problems.push(`the output does not end with a STATE message (last: ${JSON.stringify(last)?.slice(0, 160)})`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Singer conformance: ${problems.length}${problems.length >= 60 ? '+' : ''} problem(s) in ${messages.length} messages:\n- ${problems.join('\n- ')}`);
  }
  return { schemas, records, states, finalState: lastState, counts };
}

// ---------------------------------------------------------------------------------------------
// Small value helpers.

/** Epoch ms of an RFC 3339 string (throws on garbage, so a bad value fails loudly). */
export function instant(value: unknown): number {
  const ms = Date.parse(String(value));
  if (!Number.isFinite(ms)) throw new Error(`not a date-time: ${JSON.stringify(value)}`);
  return ms;
}

/** A random, distinctive secret for a test. */
export function randomSecret(prefix = 'secret'): string {
  const secret = `${prefix}-${randomBytes(9).toString('hex')}`;
  registerSecret(secret);
  return secret;
}
