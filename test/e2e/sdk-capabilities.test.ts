/**
 * End-to-end tests of the Meltano SDK's plugin capabilities every tap gets from the kit (stream
 * maps, flattening, BATCH messages, structured logs): the real bin/tap-* against the real
 * bin/playground, configured with the SDK's setting names, every output message checked.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkSingerOutput,
  recordCounts,
  recordsOf,
  runTap,
  schemasOf,
  stackTraceLines,
  startPlayground,
  statesOf,
  TempFiles,
  type PlaygroundProcess,
  type SingerMessage,
  type TapRun,
} from './helpers.js';

const TAP = 'tap-playground';
let pg: PlaygroundProcess;
let tmp: TempFiles;
let plain: TapRun;

const config = (name: string, settings: Record<string, unknown>) => tmp.json(name, { bearer_token: pg.token, base_url: pg.url, ...settings });
const byId = (records: Array<Record<string, unknown>>) => new Map(records.map((r) => [String(r.id), r]));
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
/** Requests the playground has logged so far (it runs with --verbose). */
const requestLines = () => pg.stderr().split('\n').filter((l) => /\b(GET|POST) \//.test(l)).length;

beforeAll(async () => {
  tmp = new TempFiles('sdk-capabilities-e2e-');
  pg = await startPlayground({ args: ['--verbose'] });
  plain = await runTap(TAP, ['--config', config('plain.json', {})]);
  expect(plain.code, plain.stderr).toBe(0);
});

afterAll(async () => {
  await pg?.stop();
  tmp?.cleanup();
});

describe('stream maps', () => {
  it('hashes an email, removes the original, adds a computed column; SCHEMA follows', async () => {
    const run = await runTap(TAP, ['--config', config('hash.json', {
      stream_maps: { user: { email_hash: 'md5(email) if email else None', email: null, domain: "email.split('@')[-1].lower() if email else None" } },
    })]);
    expect(run.code, run.stderr).toBe(0);
    const result = checkSingerOutput(run.messages);
    const schema = result.schemas.get('user')!.schema;
    expect(schema.properties).not.toHaveProperty('email');
    expect(schema.properties!.email_hash).toEqual({ type: ['string', 'null'] });
    const before = byId(recordsOf(plain.messages, 'user'));
    const after = recordsOf(run.messages, 'user');
    expect(after.length).toBe(before.size);
    for (const r of after) {
      const original = before.get(String(r.id))!;
      expect(r).not.toHaveProperty('email');
      expect(r.email_hash).toBe(original.email ? md5(String(original.email)) : null);
      expect(r.domain).toBe(original.email ? String(original.email).split('@').pop()!.toLowerCase() : null);
    }
    // Streams without a map are untouched.
    expect(recordsOf(run.messages, 'users_offset')).toEqual(recordsOf(plain.messages, 'users_offset'));
  });

  it('null drops a stream (no SCHEMA, no RECORD, no request); a glob drops several', async () => {
    const requestsBefore = requestLines();
    const run = await runTap(TAP, ['--config', config('drop.json', { stream_maps: { 'users_*': null } })]);
    expect(run.code, run.stderr).toBe(0);
    checkSingerOutput(run.messages);
    expect(Object.keys(recordCounts(run.messages))).toEqual(['user']);
    expect(schemasOf(run.messages).map((s) => s.stream)).toEqual(['user']);
    expect(run.stderr).toContain("stream 'users_offset': dropped by stream_maps, not synced");
    expect(requestLines() - requestsBefore).toBe(1);
  });

  it('__alias__ renames SCHEMA and RECORD; STATE keeps the tap stream name so bookmarks resume', async () => {
    const run = await runTap(TAP, ['--config', config('alias.json', { stream_maps: { users_keyset: { __alias__: 'people' } } })]);
    expect(run.code, run.stderr).toBe(0);
    checkSingerOutput(run.messages, { uniqueKeys: true });
    expect(recordsOf(run.messages, 'users_keyset')).toEqual([]);
    expect(recordsOf(run.messages, 'people')).toEqual(recordsOf(plain.messages, 'users_keyset'));
    expect(schemasOf(run.messages, 'people')[0]!.bookmark_properties).toEqual(['updatedAt']);
    const last = statesOf(run.messages).at(-1)!;
    expect(last.bookmarks.users_keyset?.replication_key_value).toBe(statesOf(plain.messages).at(-1)!.bookmarks.users_keyset?.replication_key_value);
  });

  it('__filter__ keeps matching records; __source__ splits a stream; __key_properties__ sets keys', async () => {
    const run = await runTap(TAP, ['--config', config('split.json', {
      stream_maps: {
        users_offset: { __filter__: "email is not None and email.endswith('.org')" },
        users_offset_rest: { __source__: 'users_offset', __filter__: "not (email or '').endswith('.org')", __key_properties__: ['id', 'name'] },
      },
    })]);
    expect(run.code, run.stderr).toBe(0);
    const result = checkSingerOutput(run.messages);
    const org = recordsOf(run.messages, 'users_offset');
    const rest = recordsOf(run.messages, 'users_offset_rest');
    expect(org.length).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(0);
    expect(org.every((r) => String(r.email).endsWith('.org'))).toBe(true);
    expect(org.length + rest.length).toBe(recordsOf(plain.messages, 'users_offset').length);
    expect(result.schemas.get('users_offset_rest')!.key_properties).toEqual(['id', 'name']);
  });

  it('a syntax error is one CRITICAL line naming stream, property and column, before any request', async () => {
    const requestsBefore = requestLines();
    const run = await runTap(TAP, ['--config', config('bad.json', { stream_maps: { user: { email_hash: 'md5(email' } } })]);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([]);
    const critical = run.stderr.split('\n').filter((l) => l.includes('CRITICAL'));
    expect(critical).toEqual([expect.stringContaining('config: stream_maps.user.email_hash: expected \')\' but found the end of the expression at column 10 of "md5(email"')]);
    expect(stackTraceLines(run.stderr)).toEqual([]);
    expect(requestLines()).toBe(requestsBefore);
  });

  it('an expression failing on a record stops the run with one line naming stream, property and the error', async () => {
    const run = await runTap(TAP, ['--config', config('runtime.json', { stream_maps: { user: { far: 'name[100]' } } })]);
    expect(run.code).toBe(1);
    const critical = run.stderr.split('\n').filter((l) => l.includes('CRITICAL'));
    expect(critical).toEqual([expect.stringContaining(`stream 'user': stream_maps.user.far: IndexError: string index out of range (evaluating "name[100]")`)]);
    expect(stackTraceLines(run.stderr)).toEqual([]);
    expect(recordsOf(run.messages, 'user')).toEqual([]);
  });

  it('a name that is no property of the stream is a config error before any request', async () => {
    const requestsBefore = requestLines();
    const run = await runTap(TAP, ['--config', config('unknown-name.json', { stream_maps: { 'users_*': { third: 'tags[2]' } } })]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("config: stream_maps.users_*.third: name 'tags' is not defined: not a property of stream 'users_next_page_url'");
    expect(requestLines()).toBe(requestsBefore);
  });

  it('rejects code execution: dunder attributes are a config error, not a run', async () => {
    const run = await runTap(TAP, ['--config', config('dunder.json', { stream_maps: { user: { x: "email.__class__.__mro__" } } })]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("config: stream_maps.user.x: access to attribute '__class__' is not allowed at column 7");
  });

  it('fake values are repeatable with faker_config.seed', async () => {
    const settings = { stream_maps: { user: { name: 'fake.name()', email: 'fake.email()' } }, faker_config: { seed: 7, locale: 'fr_FR' } };
    const [a, b] = await Promise.all([runTap(TAP, ['--config', config('fake.json', settings)]), runTap(TAP, ['--config', config('fake.json', settings)])]);
    expect(a.code, a.stderr).toBe(0);
    const names = recordsOf(a.messages, 'user').map((r) => r.name);
    expect(names).toEqual(recordsOf(b.messages, 'user').map((r) => r.name));
    expect(names).not.toEqual(recordsOf(plain.messages, 'user').map((r) => r.name));
  });
});

describe('flattening', () => {
  it('a declared object becomes columns, an array JSON text, after the maps; keys keep their names', async () => {
    const run = await runTap(TAP, ['--config', config('flat.json', {
      stream_maps: { user: { contact: "{'email': email, 'parts': email.split('@') if email else [], 'n': len(name or '')}" } },
      flattening_enabled: true, flattening_max_depth: 1,
    })]);
    expect(run.code, run.stderr).toBe(0);
    const result = checkSingerOutput(run.messages);
    const schema = result.schemas.get('user')!;
    expect(schema.key_properties).toEqual(['id']);
    const props = schema.schema.properties!;
    expect(props).not.toHaveProperty('contact');
    expect(props.contact__email).toEqual({ type: ['null', 'string'] });
    expect(props.contact__parts).toEqual({ type: ['string', 'null'] });
    expect(props.contact__n).toEqual({ type: ['integer', 'null'] });
    for (const r of recordsOf(run.messages, 'user')) {
      expect(r.contact__email).toBe(r.email);
      expect(JSON.parse(String(r.contact__parts))).toEqual(r.email ? String(r.email).split('@') : []);
      expect(r.contact__n).toBe(String(r.name ?? '').length);
    }
  });

  it('flattening_enabled without flattening_max_depth is one config line', async () => {
    const run = await runTap(TAP, ['--config', config('flat-bad.json', { flattening_enabled: true })]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config: flattening_max_depth is required when flattening_enabled is true');
  });
});

describe('on tap-betterstack too (the capabilities come from the kit)', () => {
  it('flattening turns arrays and undeclared objects into JSON text; a map drops a stream and renames another', async () => {
    const settings = { api_key: pg.token, base_url: pg.url };
    const plainRun = await runTap('tap-betterstack', ['--config', tmp.json('bs-plain.json', settings)]);
    expect(plainRun.code, plainRun.stderr).toBe(0);
    const run = await runTap('tap-betterstack', ['--config', tmp.json('bs-flat.json', {
      ...settings,
      stream_maps: { heartbeats: null, monitors: { __alias__: 'checks', url_host: "url.split('//')[-1].split('/')[0] if url else None" } },
      flattening_enabled: true, flattening_max_depth: 1,
    })]);
    expect(run.code, run.stderr).toBe(0);
    const result = checkSingerOutput(run.messages);
    expect(result.counts.heartbeats).toBeUndefined();
    expect(result.counts.monitors).toBeUndefined();
    expect(result.counts.checks).toBe(recordCounts(plainRun.messages).monitors);
    const checks = result.schemas.get('checks')!.schema.properties!;
    expect(checks.regions).toEqual({ type: ['string', 'null'] });
    expect(result.schemas.get('incidents')!.schema.properties!.metadata).toEqual({ type: ['string', 'null'] });
    const before = byId(recordsOf(plainRun.messages, 'monitors'));
    for (const r of recordsOf(run.messages, 'checks')) {
      const original = before.get(String(r.id))!;
      expect(r.regions).toBe(original.regions == null ? original.regions : JSON.stringify(original.regions));
      expect(r.url_host).toBe(original.url ? String(original.url).split('//').pop()!.split('/')[0] : null);
    }
  });
});

describe('on tap-harness (its own declared nested object)', () => {
  it('a declared object becomes one column per property; arrays inside it JSON text', async () => {
    const settings = { api_token: pg.token, account_id: 'playground-account', base_url: pg.url, dora: { ou_ids: ['c-1'], widget_id: 'w-1' } };
    const plainRun = await runTap('tap-harness', ['--config', tmp.json('h-plain.json', settings)]);
    expect(plainRun.code, plainRun.stderr).toBe(0);
    const run = await runTap('tap-harness', ['--config', tmp.json('h-flat.json', { ...settings, flattening_enabled: true, flattening_max_depth: 1 })]);
    expect(run.code, run.stderr).toBe(0);
    const result = checkSingerOutput(run.messages);
    const props = result.schemas.get('pipelines')!.schema.properties!;
    expect(props).not.toHaveProperty('executionSummaryInfo');
    expect(props.executionSummaryInfo__lastExecutionTs).toEqual({ type: ['integer', 'null'] });
    expect(props.executionSummaryInfo__numOfErrors).toEqual({ type: ['string', 'null'] });
    const keys = result.schemas.get('pipelines')!.key_properties;
    const keyOf = (r: Record<string, unknown>) => JSON.stringify(keys.map((k) => r[k]));
    const before = new Map(recordsOf(plainRun.messages, 'pipelines').map((r) => [keyOf(r), r]));
    const after = recordsOf(run.messages, 'pipelines');
    expect(after.length).toBe(before.size);
    expect(after.length).toBeGreaterThan(0);
    after.forEach((r) => {
      const nested = before.get(keyOf(r))!.executionSummaryInfo as Record<string, unknown> | null | undefined;
      if (!nested) return;
      expect(r.executionSummaryInfo__lastExecutionTs).toBe(nested.lastExecutionTs);
      expect(r.executionSummaryInfo__numOfErrors).toBe(nested.numOfErrors == null ? nested.numOfErrors : JSON.stringify(nested.numOfErrors));
    });
  });
});

describe('BATCH messages', () => {
  it('records go to gzip JSONL files; BATCH messages carry them; STATE follows the batches it covers', async () => {
    const dir = tmp.path('batches');
    const run = await runTap(TAP, ['--config', config('batch.json', {
      batch_config: { encoding: { format: 'jsonl', compression: 'gzip' }, storage: { root: `file://${dir}`, prefix: 'e2e-' }, batch_size: 64 },
    })]);
    expect(run.code, run.stderr).toBe(0);
    expect(recordCounts(run.messages)).toEqual({});
    const fromFiles: Record<string, Array<Record<string, unknown>>> = {};
    let pending = new Set<string>();
    for (const m of run.messages as Array<SingerMessage | { type: 'BATCH'; stream: string; manifest: string[]; encoding: unknown }>) {
      if (m.type === 'BATCH') {
        expect(m.encoding).toEqual({ format: 'jsonl', compression: 'gzip' });
        for (const url of m.manifest) {
          expect(url).toMatch(new RegExp(`^file://${dir}/e2e-tap-playground--${m.stream}-`));
          const rows = gunzipSync(readFileSync(fileURLToPath(url))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
          expect(rows.length).toBeLessThanOrEqual(64);
          (fromFiles[m.stream] ??= []).push(...rows);
        }
        pending.add(m.stream);
      } else if (m.type === 'STATE') {
        pending = new Set();
      } else if (m.type === 'SCHEMA') {
        expect(pending.has(m.stream)).toBe(false);
      }
    }
    // Nothing written after the last STATE: every batch is covered by a STATE.
    expect(pending.size).toBe(0);
    for (const stream of ['user', 'users_next_page_url', 'users_offset']) {
      expect(fromFiles[stream]).toEqual(recordsOf(plain.messages, stream));
    }
    expect(statesOf(run.messages).at(-1)).toEqual(statesOf(plain.messages).at(-1));
  });

  it('a storage that is not file:// is one config line', async () => {
    const run = await runTap(TAP, ['--config', config('batch-s3.json', { batch_config: { storage: { root: 's3://bucket/x' } } })]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("config: batch_config.storage.root 's3://bucket/x': only file:// storage is supported");
  });
});

describe('structured logs', () => {
  const REQUIRED = ['level', 'pid', 'logger_name', 'ts', 'thread_name', 'app_name', 'stream_name', 'message', 'extra'];

  it('LOG_FORMAT=json: every stderr line is one JSON object with the SDK fields; METRIC lines carry metric_info', async () => {
    const run = await runTap(TAP, ['--config', config('plain.json', {})], { env: { LOG_FORMAT: 'json' } });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) for (const k of REQUIRED) expect(line).toHaveProperty(k);
    expect(lines.find((l) => l.message === "stream 'user': sync started")).toMatchObject({ level: 'info', stream_name: 'user', app_name: TAP });
    const metric = lines.find((l) => l.message === 'METRIC' && (l.metric_info as { metric: string }).metric === 'record_count');
    expect(metric).toMatchObject({ stream_name: 'user', metric_info: { type: 'counter', value: 20, tags: { stream: 'user' } } });
  });

  it('<TAP>_LOG_FORMAT=json: a failure is a critical JSON line with the exception, secrets redacted', async () => {
    const secret = 'Wrong-Token-12345';
    const run = await runTap(TAP, ['--config', tmp.json('wrong.json', { bearer_token: secret, base_url: pg.url })], { env: { TAP_PLAYGROUND_LOG_FORMAT: 'json' } });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain(secret);
    const lines = run.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const critical = lines.filter((l) => l.level === 'critical');
    expect(critical).toHaveLength(1);
    expect(critical[0]).toMatchObject({ message: expect.stringContaining('HTTP 401'), exception: { type: 'UserError', message: expect.stringContaining('HTTP 401'), cause: { type: 'HttpError', message: expect.stringContaining('HTTP 401') } } });
    expect(critical[0]!.exception).not.toHaveProperty('traceback');
  });
});
