/**
 * End to end, what the output chain must never do (issue 15, defects 4-6): the real bin/tap-rest
 * against a small API served by this file (integers beyond 2^53, a field named `constructor`, rows
 * enough to fill a small disk), with BATCH files, flattening and stream maps. Every run's exit code,
 * stdout (raw, so no JSON parser can round a digit away), stderr and BATCH files are checked.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runTap, stackTraceLines, TempFiles, type TapRun, type TapRunOptions } from './helpers.js';

const TAP = 'tap-rest';
/** Two records as an API sends them: ids, nested values and list items beyond 2^53, a field named like a JS internal. */
const ITEMS = '{"data":[{"id":12345678901234567891,"name":"Ann","constructor":"field","nested":{"big":98765432109876543210,"n":1},"tags":[12345678901234567893]},'
  + '{"id":2,"name":"Bob","constructor":"c2","nested":{"big":3,"n":2},"tags":[]}]}';
/** 600 rows whose size grows with their id, so BATCH files of 50 rows grow from about 4 KB to 33 KB. */
const ROWS = JSON.stringify({ data: Array.from({ length: 600 }, (_, i) => ({ id: i + 1, text: 'x'.repeat(i) })) });

let server: http.Server;
let api: string;
let tmp: TempFiles;

beforeAll(async () => {
  tmp = new TempFiles('output-safety-e2e-');
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    res.setHeader('content-type', 'application/json');
    if (url.startsWith('/items/')) res.end(ITEMS);
    else if (url.startsWith('/rows/')) res.end(ROWS);
    else {
      res.statusCode = 404;
      res.end('{"error":"not found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  tmp?.cleanup();
});

/** A tap-rest config: one resource per path (`items/<case>` or `rows/<name>`), schemas inferred from the data. */
function config(name: string, paths: string[], settings: Record<string, unknown> = {}): string {
  const source = {
    client: { base_url: api },
    resource_defaults: { primary_key: 'id', write_disposition: 'merge', endpoint: { data_selector: 'data', paginator: 'single_page' } },
    resources: paths.map((p) => ({ name: p.split('/')[0] === 'items' ? 'items' : p.split('/')[1] as string, endpoint: { path: `/${p}` } })),
  };
  return tmp.json(name, { source, ...settings });
}
const run = (name: string, paths: string[], settings: Record<string, unknown> = {}, options: TapRunOptions = {}) =>
  runTap(TAP, ['--config', config(name, paths, settings)], options);
const recordLines = (r: TapRun) => r.lines.filter((l) => l.startsWith('{"type":"RECORD"'));
const batchMessages = (r: TapRun) => r.messages.filter((m) => (m.type as string) === 'BATCH') as unknown as Array<{ stream: string; manifest: string[] }>;
const criticalLines = (stderr: string) => stderr.split('\n').filter((l) => / CRITICAL /.test(l));
/** Exit 1 with exactly one CRITICAL line and no stack trace; that line. */
function oneError(r: TapRun, expect: Parameters<Parameters<typeof it>[1]>[0]['expect']): string {
  expect(r.code, r.stderr).toBe(1);
  expect(stackTraceLines(r.stderr)).toEqual([]);
  const critical = criticalLines(r.stderr);
  expect(critical, r.stderr).toHaveLength(1);
  return (critical[0] as string).replace(/^.* CRITICAL tap-rest /, '');
}

// Every run is its own process against the same server: they run at once.
describe.concurrent('the output chain', () => {
  describe('integers beyond 2^53: every output mode carries the exact digits the plain RECORD path carries', () => {
    it('discovery infers them as integer (not object)', async ({ expect }) => {
      const r = await runTap(TAP, ['--config', config('discover.json', ['items/discover']), '--discover'], { json: false });
      expect(r.code, r.stderr).toBe(0);
      const catalog = JSON.parse(r.stdout) as { streams: Array<{ schema: { properties: Record<string, { type: string[]; properties?: Record<string, { type: string[] }>; items?: { type: string[] } }> } }> };
      const props = catalog.streams[0]!.schema.properties;
      expect(props.id!.type).toEqual(['integer', 'null']);
      expect(props.nested!.properties!.big!.type).toEqual(['integer', 'null']);
      expect(props.tags!.items!.type).toEqual(['integer', 'null']);
    });

    it('BATCH files', async ({ expect }) => {
      const dir = tmp.path('batch-big');
      const r = await run('batch.json', ['items/batch'], { batch_config: { encoding: { format: 'jsonl', compression: 'none' }, storage: { root: `file://${dir}` } } });
      expect(r.code, r.stderr).toBe(0);
      const [m] = batchMessages(r);
      expect(readFileSync(fileURLToPath(m!.manifest[0]!), 'utf8').split('\n')[0]).toBe('{"id":12345678901234567891,"name":"Ann","constructor":"field","nested":{"big":98765432109876543210,"n":1},"tags":[12345678901234567893]}');
    });

    it('stdout, with stream maps (str(), json.dumps, arithmetic, comparisons) and flattening (columns, JSON text)', async ({ expect }) => {
      const r = await run('maps.json', ['items/maps'], {
        stream_maps: { items: { s: 'str(id)', j: 'json.dumps(nested)', plus: 'id + 1', times: 'nested.big * 10', gt: 'id > 12345678901234567890', eq: 'id == 12345678901234567891' } },
        flattening_enabled: true, flattening_max_depth: 1,
      });
      expect(r.code, r.stderr).toBe(0);
      const [first, second] = recordLines(r);
      expect(first).toContain('"record":{"id":12345678901234567891,"name":"Ann","constructor":"field","nested__big":98765432109876543210,"nested__n":1,"tags":"[12345678901234567893]",'
        + '"s":"12345678901234567891","j":"{\\"big\\": 98765432109876543210, \\"n\\": 1}","plus":12345678901234567892,"times":987654321098765432100,"gt":true,"eq":true}');
      expect(second).toContain('"s":"2","j":"{\\"big\\": 3, \\"n\\": 2}","plus":3,"times":30,"gt":false,"eq":false}');
      const schema = r.messages.find((m) => m.type === 'SCHEMA') as { schema: { properties: Record<string, { type: string[] }> } };
      expect(schema.schema.properties.plus!.type).toEqual(['integer', 'null']);
      expect(schema.schema.properties.nested__big!.type).toEqual(['integer', 'null']);
    });

    it('maps, flattening and BATCH together', async ({ expect }) => {
      const dir = tmp.path('batch-all');
      const r = await run('all.json', ['items/all'], {
        stream_maps: { items: { next: 'id + 1', pair: "{'id': id, 'big': nested.big}" } },
        flattening_enabled: true, flattening_max_depth: 1,
        batch_config: { encoding: { format: 'jsonl', compression: 'none' }, storage: { root: `file://${dir}` } },
      });
      expect(r.code, r.stderr).toBe(0);
      const line = readFileSync(fileURLToPath(batchMessages(r)[0]!.manifest[0]!), 'utf8').split('\n')[0];
      expect(line).toBe('{"id":12345678901234567891,"name":"Ann","constructor":"field","nested__big":98765432109876543210,"nested__n":1,"tags":"[12345678901234567893]","next":12345678901234567892,"pair__id":12345678901234567891,"pair__big":98765432109876543210}');
    });
  });

  describe('the stream-map evaluator is a sandbox: each violation one line naming stream and property, exit 1', () => {
    const mapped = (name: string, expression: string) => run(`${name}.json`, [`items/${name}`], { stream_maps: { items: { x: expression } } });

    it("name.valueOf(): not a Python str method", async ({ expect }) => {
      const line = oneError(await mapped('valueof', 'name.valueOf()'), expect);
      expect(line).toBe(`stream 'items': stream_maps.items.x: AttributeError: 'str' object has no attribute 'valueOf' (evaluating "name.valueOf()")`);
    });

    it("record.hasOwnProperty('id'): not a dict method", async ({ expect }) => {
      const line = oneError(await mapped('hasown', "record.hasOwnProperty('id')"), expect);
      expect(line).toBe(`stream 'items': stream_maps.items.x: AttributeError: 'dict' object has no attribute 'hasOwnProperty' (nor a key of that name) (evaluating "record.hasOwnProperty('id')")`);
    });

    it("record.constructor and constructor are the field of that name; {'__proto__': {...}} is a dict with that key, in the record and its SCHEMA", async ({ expect }) => {
      const r = await run('ctor.json', ['items/ctor'], { stream_maps: { items: { x: 'record.constructor', y: 'constructor + "!"', z: "{'__proto__': {'a': name}}" } } });
      expect(r.code, r.stderr).toBe(0);
      expect(recordLines(r)[0]).toContain('"x":"field","y":"field!","z":{"__proto__":{"a":"Ann"}}}');
      expect(recordLines(r)[1]).toContain('"x":"c2","y":"c2!","z":{"__proto__":{"a":"Bob"}}}');
      const schema = r.messages.find((m) => m.type === 'SCHEMA') as { schema: { properties: Record<string, { properties?: Record<string, unknown> }> } };
      expect(Object.keys(schema.schema.properties.z!.properties!)).toEqual(['__proto__']);
    });

    it('3,000 nested parentheses: a config error at start-up, before any message', async ({ expect }) => {
      const src = `${'('.repeat(3000)}1${')'.repeat(3000)}`;
      const r = await mapped('parens', src);
      const line = oneError(r, expect);
      expect(line).toBe(`config: stream_maps.items.x: nested too deeply (more than 100 levels of parentheses, brackets or operators) at column 101 of "${'('.repeat(200)}…"`);
      expect(r.stdout).toBe('');
    });

    it('a triple comprehension: the step budget of one record', async ({ expect }) => {
      const src = '[a + b + c for a in name * 1000 for b in name * 1000 for c in name * 1000]';
      const line = oneError(await mapped('triple', src), expect);
      expect(line).toBe(`stream 'items': stream_maps.items.x: the expressions take more than 1,000,000 steps for one record (the limit of map expressions) (evaluating "${src}")`);
    });

    it("'a' * 10**9: the memory budget of one record", async ({ expect }) => {
      const line = oneError(await mapped('repeat', "'a' * 10**9"), expect);
      expect(line).toBe(`stream 'items': stream_maps.items.x: the expressions build more than 64 MB of values for one record (the limit of map expressions) (evaluating "'a' * 10**9")`);
    });
  });

  describe('BATCH files: confined to the root; a write failure is one line, exit 1, and leaves only announced files', () => {
    const batch = (dir: string, extra: Record<string, unknown> = {}) => ({
      batch_config: { encoding: { format: 'jsonl', compression: 'none' }, storage: { root: `file://${dir}` }, batch_size: 50 }, ...extra,
    });
    const STREAMS = ['rows/a', 'rows/b', 'rows/c'];

    /** The files left are exactly those BATCH messages announced, each complete (50 rows that parse). */
    function onlyAnnounced(r: TapRun, files: string[], dir: string, expect: Parameters<Parameters<typeof it>[1]>[0]['expect']): void {
      const announced = batchMessages(r).map((m) => path.basename(fileURLToPath(m.manifest[0]!)));
      expect(files.sort()).toEqual(announced.sort());
      for (const f of files) {
        const lines = readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n');
        expect(lines).toHaveLength(50);
        for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
      }
    }

    it('a stream alias with ../ writes inside the root', async ({ expect }) => {
      const root = tmp.path('alias-root');
      const dir = path.join(root, 'batches');
      const r = await run('alias.json', ['rows/alias'], batch(dir, { stream_maps: { alias: { __alias__: "'/../../escaped'" } } }));
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(root)).toEqual(['batches']);
      const messages = batchMessages(r);
      expect(messages).toHaveLength(12);
      expect(new Set(messages.map((m) => m.stream))).toEqual(new Set(['/../../escaped']));
      for (const m of messages) expect(path.dirname(fileURLToPath(m.manifest[0]!))).toBe(dir);
      expect(readdirSync(dir)).toHaveLength(12);
    });

    it('a full disk (a 64 KB tmpfs in a private mount namespace): ENOSPC', async ({ expect, skip }) => {
      const probe = tmp.path('probe');
      mkdirSync(probe);
      const unshare = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=16k tmpfs "$0"', probe]);
      if (unshare.status !== 0) skip('unshare -rm with a tmpfs mount is not allowed here; the file-size-limit test covers a failing write');
      const dir = tmp.path('full');
      const copy = tmp.path('full-copy');
      mkdirSync(dir);
      mkdirSync(copy);
      // The tmpfs lives as long as the namespace: what the tap left on it is copied out before it goes.
      const script = 'mount -t tmpfs -o size=64k tmpfs "$BATCH_DIR" || exit 97; "$0" "$@"; code=$?; cp -R "$BATCH_DIR"/. "$COPY_DIR"/; exit $code';
      const r = await run('full.json', STREAMS, batch(dir), { prefix: ['unshare', '-rm', 'sh', '-c', script], env: { BATCH_DIR: dir, COPY_DIR: copy } });
      const line = oneError(r, expect);
      expect(line).toMatch(new RegExp(`^stream '[abc]': BATCH: cannot write ${dir}/tap-rest--[abc]-[0-9a-f-]+-\\d+\\.jsonl \\(ENOSPC: no space left on device\\); the files no BATCH message announced were deleted$`));
      expect(batchMessages(r).length).toBeGreaterThan(0);
      onlyAnnounced(r, readdirSync(copy), copy, expect);
    });

    it('a file size limit (ulimit -f): EFBIG', async ({ expect }) => {
      const dir = tmp.path('fsize');
      mkdirSync(dir);
      // 16 blocks: 8 KB (sh counts 512-byte blocks) or 16 KB (1024): a few files fit, larger ones fail half-written.
      const r = await run('fsize.json', STREAMS, batch(dir), { prefix: ['sh', '-c', 'ulimit -f 16 && exec "$0" "$@"'] });
      const line = oneError(r, expect);
      expect(line).toMatch(new RegExp(`^stream '[abc]': BATCH: cannot write ${dir}/tap-rest--[abc]-[0-9a-f-]+-\\d+\\.jsonl \\(EFBIG: file too large\\); the files no BATCH message announced were deleted$`));
      expect(batchMessages(r).length).toBeGreaterThan(0);
      onlyAnnounced(r, readdirSync(dir), dir, expect);
    });

    it('a write failure is not a record to skip (error_policy: skip): still one line, exit 1', async ({ expect }) => {
      const dir = tmp.path('fsize-skip');
      mkdirSync(dir);
      const r = await run('fsize-skip.json', STREAMS, batch(dir, { error_policy: 'skip' }), { prefix: ['sh', '-c', 'ulimit -f 16 && exec "$0" "$@"'] });
      expect(oneError(r, expect)).toMatch(/BATCH: cannot write .* \(EFBIG: file too large\)/);
      expect(r.stderr).not.toMatch(/skipped/);
      onlyAnnounced(r, readdirSync(dir), dir, expect);
    });
  });
});
