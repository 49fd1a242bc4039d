/**
 * End-to-end tests of tap-playground: the real bin/tap-playground against the real bin/playground,
 * stdout parsed as Singer messages and checked with the generic conformance checker.
 *
 * Layout: one shared playground for the file. The read-only tests run concurrently; the tests
 * with their own playground (faults, SIGTERM at scale 50) join that concurrent group; the
 * incremental-resume test mutates the shared playground, so it runs alone, after the others.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  checkSingerOutput,
  instant,
  recordCounts,
  recordsOf,
  runTap,
  runTapUntil,
  schemasOf,
  spawnTap,
  stackTraceLines,
  startPlayground,
  statesOf,
  TempFiles,
  type CatalogLike,
  type PlaygroundProcess,
  type StateValue,
  type TapRun,
} from './helpers.js';

const TAP = 'tap-playground';
const PAGINATED = ['users_next_page_url', 'users_page_number', 'users_offset', 'users_keyset'] as const;
/** The streams of users (same schema); companies/departments are the parent/child pair. */
const USER_STREAMS = ['user', ...PAGINATED];
/** issues is a GraphQL stream (on when `repositories` lists some), audit_log a generic stream over local files (on when `audit_log_files` lists some). */
const STREAMS = [...USER_STREAMS, 'companies', 'departments', 'issues', 'audit_log'];
const BEARER_PAGE = 20;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WRONG_TOKEN = 'wrong-SECRET-123';

let pg: PlaygroundProcess;
let tmp: TempFiles;
/** Config file for the shared playground. */
let config: string;
/** How many users the shared playground serves (GET /__playground/stats). */
let userCount: number;

beforeAll(async () => {
  tmp = new TempFiles('tap-playground-e2e-');
  pg = await startPlayground();
  config = tmp.json('config.json', { bearer_token: pg.token, base_url: pg.url });
  userCount = (await pg.stats()).playground!.users!;
});

afterAll(async () => {
  await pg?.stop();
  tmp?.cleanup();
});

/** One full sync of the shared playground (before any mutation), shared by the tests that need it. */
let fullSyncRun: Promise<TapRun> | undefined;
const fullSync = () => (fullSyncRun ??= runTap(TAP, ['--config', config]));

/** The catalog `--discover` prints, shared by the selection tests. */
let discovered: Promise<CatalogLike> | undefined;
const discover = () =>
  (discovered ??= runTap(TAP, ['--config', config, '--discover'], { json: false }).then((r) => {
    if (r.code !== 0) throw new Error(`--discover failed (${r.code}): ${r.stderr}`);
    return JSON.parse(r.stdout) as CatalogLike;
  }));

const ids = (records: Array<Record<string, unknown>>) => records.map((r) => String(r.id));
const sorted = (values: Iterable<string>) => [...values].sort();
const maxInstant = (records: Array<Record<string, unknown>>) => Math.max(...records.map((r) => instant(r.updatedAt)));
const criticalLines = (stderr: string) => stderr.split('\n').filter((l) => / CRITICAL /.test(l));

function configWith(name: string, settings: Record<string, unknown>): string {
  return tmp.json(name, { bearer_token: pg.token, base_url: pg.url, ...settings });
}

/** A deep copy of the discovered catalog with `edit` applied to one stream's metadata. */
function editCatalog(catalog: CatalogLike, stream: string, edit: (md: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }>) => void): CatalogLike {
  const copy = structuredClone(catalog);
  const entry = copy.streams.find((s) => s.tap_stream_id === stream);
  if (!entry?.metadata) throw new Error(`no stream ${stream} with metadata in the catalog`);
  edit(entry.metadata);
  return copy;
}

function setMetadata(md: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }>, breadcrumb: string[], values: Record<string, unknown>): void {
  const entry = md.find((m) => JSON.stringify(m.breadcrumb) === JSON.stringify(breadcrumb));
  if (entry) Object.assign(entry.metadata, values);
  else md.push({ breadcrumb, metadata: values });
}

describe.concurrent('tap-playground e2e', () => {
  // -------------------------------------------------------------------------------------------
  describe('full sync', () => {
    it('without a catalog: every stream, every record once, typed per schema, conformant', async ({ expect }) => {
      const run = await fullSync();
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages, { requireTimeExtracted: true });

      const stats = await pg.stats();
      expect(stats.playground!.users).toBe(userCount);
      expect(result.counts).toEqual({
        user: BEARER_PAGE,
        users_next_page_url: userCount,
        users_page_number: userCount,
        users_offset: userCount,
        users_keyset: userCount,
      });
      // companies/departments are not selected by default (endpoints beyond the public API facts).

      for (const stream of USER_STREAMS) {
        const schemas = schemasOf(run.messages, stream);
        expect(schemas, stream).toHaveLength(1);
        expect(schemas[0]!.key_properties).toEqual(['id']);
        if (stream !== 'user') expect(schemas[0]!.bookmark_properties).toEqual(['updatedAt']);
        const props = Object.keys(schemas[0]!.schema.properties ?? {});
        for (const record of recordsOf(run.messages, stream)) {
          expect(record.id).toMatch(UUID_RE);
          for (const f of ['createdAt', 'updatedAt']) {
            expect(typeof record[f]).toBe('string');
            expect(Number.isFinite(Date.parse(String(record[f]))), `${stream}.${f}=${String(record[f])}`).toBe(true);
          }
          for (const f of ['name', 'email', 'address', 'company', 'job']) expect(['string', 'object']).toContain(typeof record[f]);
          expect(Object.keys(record).every((k) => props.includes(k))).toBe(true);
        }
      }

      // The four paginated streams are four views of the same users; the bearer page is a subset.
      const reference = sorted(ids(recordsOf(run.messages, 'users_offset')));
      expect(new Set(reference).size).toBe(userCount);
      for (const stream of PAGINATED) expect(sorted(ids(recordsOf(run.messages, stream))), stream).toEqual(reference);
      expect(ids(recordsOf(run.messages, 'user')).every((id) => reference.includes(id))).toBe(true);

      // Declared sorted by updatedAt: records arrive in ascending order, and the bookmark is the max.
      for (const stream of PAGINATED) {
        const times = recordsOf(run.messages, stream).map((r) => instant(r.updatedAt));
        expect(times.every((t, i) => i === 0 || times[i - 1]! <= t), `${stream} ascending`).toBe(true);
        const bm = result.finalState!.bookmarks[stream]!;
        expect(bm.replication_key).toBe('updatedAt');
        expect(instant(bm.replication_key_value)).toBe(Math.max(...times));
      }
      expect(criticalLines(run.stderr)).toEqual([]);
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });

    it('with page_size 7 (pages not dividing the total): the same records, no duplicates or gaps', async ({ expect }) => {
      const [small, full] = await Promise.all([runTap(TAP, ['--config', configWith('config-page7.json', { page_size: 7 })]), fullSync()]);
      expect(small.code, small.stderr).toBe(0);
      const result = checkSingerOutput(small.messages);
      for (const stream of USER_STREAMS) {
        expect(result.counts[stream], stream).toBe(stream === 'user' ? BEARER_PAGE : userCount);
        expect(sorted(ids(recordsOf(small.messages, stream))), stream).toEqual(sorted(ids(recordsOf(full.messages, stream))));
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('--discover', () => {
    it('prints one catalog JSON document on stdout and nothing else', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', config, '--discover'], { json: false });
      expect(run.code, run.stderr).toBe(0);
      const catalog = JSON.parse(run.stdout) as CatalogLike & { streams: Array<Record<string, unknown>> };
      expect(criticalLines(run.stderr)).toEqual([]);
      expect(catalog.streams.map((s) => s.tap_stream_id).sort()).toEqual([...STREAMS].sort());

      for (const entry of catalog.streams) {
        const id = entry.tap_stream_id;
        expect(id).toMatch(/^[a-z_0-9]+$/);
        if (!USER_STREAMS.includes(id)) {
          // companies/departments: see the parent/child tests; off unless a catalog selects them (issues, audit_log: unless their setting is set).
          expect(entry.metadata!.find((m) => m.breadcrumb.length === 0)!.metadata['selected-by-default']).toBe(false);
          continue;
        }
        expect(entry.stream).toBe(id);
        const schema = entry.schema!;
        expect(schema.type).toBe('object');
        const props = Object.keys(schema.properties ?? {});
        expect(props).toEqual(expect.arrayContaining(['id', 'name', 'email', 'address', 'company', 'job', 'createdAt', 'updatedAt']));
        const md = entry.metadata!;
        for (const m of md) {
          expect(Array.isArray(m.breadcrumb)).toBe(true);
          expect(typeof m.metadata).toBe('object');
        }
        const root = md.find((m) => m.breadcrumb.length === 0)!.metadata;
        expect(root['table-key-properties']).toEqual(['id']);
        for (const k of root['table-key-properties'] as string[]) expect(props).toContain(k);
        const field = (name: string) => md.find((m) => m.breadcrumb.length === 2 && m.breadcrumb[0] === 'properties' && m.breadcrumb[1] === name)?.metadata;
        for (const p of props) expect(field(p), `${id}.${p} has field metadata`).toBeDefined();
        expect(field('id')!.inclusion).toBe('automatic');
        if (id === 'user') {
          expect(root['forced-replication-method']).toBe('FULL_TABLE');
          expect(root['valid-replication-keys'] ?? []).toEqual([]);
          expect(field('updatedAt')!.inclusion).toBe('available');
        } else {
          expect(root['forced-replication-method']).toBe('INCREMENTAL');
          expect(root['valid-replication-keys']).toEqual(['updatedAt']);
          expect(field('updatedAt')!.inclusion).toBe('automatic');
        }
        for (const p of ['name', 'email', 'address', 'company', 'job', 'createdAt']) expect(field(p)!.inclusion, `${id}.${p}`).toBe('available');
      }
    });

    it('is cheap: works without credentials and without a reachable API', async ({ expect }) => {
      const offline = tmp.json('config-offline.json', { base_url: 'http://127.0.0.1:9' });
      const [run, reference] = await Promise.all([runTap(TAP, ['--config', offline, '--discover'], { json: false }), discover()]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(reference);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('start_date', () => {
    it('extracts only records with updatedAt >= start_date (typed comparison, boundary included)', async ({ expect }) => {
      const full = await fullSync();
      const all = recordsOf(full.messages, 'users_offset');
      const pivot = String([...all].sort((a, b) => instant(a.updatedAt) - instant(b.updatedAt))[Math.floor(all.length * 0.75)]!.updatedAt);
      const expected = sorted(ids(all.filter((r) => instant(r.updatedAt) >= instant(pivot))));
      expect(expected.length).toBeGreaterThan(1);
      expect(expected.length).toBeLessThan(all.length);

      // The same instant written in UTC and as +02:00 local time.
      const d = new Date(instant(pivot) + 2 * 3_600_000).toISOString().slice(0, 19);
      const shifted = `${d}+02:00`;
      for (const startDate of [pivot, shifted]) {
        const run = await runTap(TAP, ['--config', configWith(`config-start-${startDate.replace(/\W/g, '')}.json`, { start_date: startDate })]);
        expect(run.code, run.stderr).toBe(0);
        const result = checkSingerOutput(run.messages);
        expect(result.counts.user, 'start_date does not filter the FULL_TABLE stream').toBe(BEARER_PAGE);
        for (const stream of PAGINATED) {
          const records = recordsOf(run.messages, stream);
          expect(records.every((r) => instant(r.updatedAt) >= instant(pivot)), `${stream} with start_date ${startDate}`).toBe(true);
          expect(sorted(ids(records)), `${stream} with start_date ${startDate}`).toEqual(expected);
          expect(instant(result.finalState!.bookmarks[stream]!.replication_key_value)).toBe(maxInstant(records));
        }
      }
    });

    it('after every record: no records, and the bookmark is the start_date', async ({ expect }) => {
      const future = '2099-01-01T00:00:00Z';
      const run = await runTap(TAP, ['--config', configWith('config-start-future.json', { start_date: future })]);
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages);
      // The FULL_TABLE streams (user, companies) are not bounded by start_date; every incremental one is empty.
      expect(result.counts).toEqual({ user: BEARER_PAGE });
      for (const stream of PAGINATED) {
        expect(schemasOf(run.messages, stream), stream).toHaveLength(1);
        const bm = result.finalState!.bookmarks[stream]!;
        expect(bm.replication_key).toBe('updatedAt');
        expect(instant(bm.replication_key_value)).toBe(instant(future));
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('catalog selection', () => {
    it('a deselected stream emits neither SCHEMA nor RECORD', async ({ expect }) => {
      const catalog = editCatalog(await discover(), 'user', (md) => setMetadata(md, [], { selected: false }));
      const file = tmp.json('catalog-no-user.json', catalog);
      const run = await runTap(TAP, ['--config', config, '--catalog', file]);
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages, { catalog });
      expect(run.messages.some((m) => 'stream' in m && m.stream === 'user')).toBe(false);
      expect(Object.keys(result.counts).sort()).toEqual([...PAGINATED].sort());
      for (const stream of PAGINATED) expect(result.counts[stream]).toBe(userCount);
    });

    it('a deselected field is left out of SCHEMA and RECORD; automatic fields stay', async ({ expect }) => {
      const catalog = editCatalog(await discover(), 'users_offset', (md) => {
        setMetadata(md, ['properties', 'email'], { selected: false });
        // id and updatedAt are automatic (key and replication key): deselecting them has no effect.
        setMetadata(md, ['properties', 'id'], { selected: false });
        setMetadata(md, ['properties', 'updatedAt'], { selected: false });
      });
      const file = tmp.json('catalog-no-email.json', catalog);
      const run = await runTap(TAP, ['--config', config, '--catalog', file]);
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages, { catalog });
      const schema = schemasOf(run.messages, 'users_offset')[0]!;
      expect(Object.keys(schema.schema.properties ?? {})).not.toContain('email');
      expect(Object.keys(schema.schema.properties ?? {})).toEqual(expect.arrayContaining(['id', 'updatedAt', 'name']));
      const records = recordsOf(run.messages, 'users_offset');
      expect(records).toHaveLength(userCount);
      for (const r of records) {
        expect(r).not.toHaveProperty('email');
        expect(r.id).toMatch(UUID_RE);
        expect(typeof r.updatedAt).toBe('string');
      }
      // Other streams keep email.
      expect(recordsOf(run.messages, 'users_keyset').every((r) => 'email' in r)).toBe(true);
      expect(result.counts.users_offset).toBe(userCount);
    });

    it('--properties is a legacy alias of --catalog', async ({ expect }) => {
      const catalog = editCatalog(await discover(), 'user', (md) => setMetadata(md, [], { selected: false }));
      const file = tmp.json('properties-no-user.json', catalog);
      const run = await runTap(TAP, ['--config', config, '--properties', file]);
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages, { catalog });
      expect(result.counts.user).toBeUndefined();
      expect(schemasOf(run.messages, 'user')).toEqual([]);
      for (const stream of PAGINATED) expect(result.counts[stream]).toBe(userCount);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('--about', () => {
    it('--format json: name, version, honest capabilities, settings with secrets marked', async ({ expect }) => {
      const run = await runTap(TAP, ['--about', '--format', 'json'], { json: false });
      expect(run.code, run.stderr).toBe(0);
      const about = JSON.parse(run.stdout) as {
        name: string; version: string; capabilities: string[];
        settings: { properties: Record<string, { secret?: boolean }>; required?: string[] };
      };
      expect(about.name).toBe('tap-playground');
      expect(about.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(about.capabilities).toEqual(expect.arrayContaining(['about', 'catalog', 'discover', 'state', 'properties', 'test']));
      // The SDK's plugin capabilities, each tested end to end in test/e2e/sdk-capabilities.test.ts.
      expect(about.capabilities).toEqual(expect.arrayContaining(['stream-maps', 'schema-flattening', 'batch', 'structured-logging']));
      expect(about.settings.properties).toHaveProperty('stream_maps');
      expect(about.settings.properties).toHaveProperty('batch_config');
      expect(about.settings.properties.bearer_token!.secret).toBe(true);
      expect(about.settings.required).toContain('bearer_token');
      const version = await runTap(TAP, ['--version'], { json: false });
      expect(version.stdout).toContain(about.version);
    });

    it('--format text', async ({ expect }) => {
      const run = await runTap(TAP, ['--about', '--format', 'text'], { json: false });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('tap-playground');
      expect(run.stdout).toMatch(/bearer_token/);
      expect(() => JSON.parse(run.stdout)).toThrow();
    });

    it('--format markdown has a settings table row for bearer_token', async ({ expect }) => {
      const run = await runTap(TAP, ['--about', '--format', 'markdown'], { json: false });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^#+ .*tap-playground/m);
      expect(run.stdout).toMatch(/^\|\s*`?bearer_token`?\s*\|.*\|\s*$/m);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('--test', () => {
    it('--test: a SCHEMA for each stream and at most one RECORD per stream', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', config, '--test']);
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages, { finalState: false });
      expect(sorted(schemasOf(run.messages).map((m) => m.stream))).toEqual(sorted(USER_STREAMS));
      for (const stream of USER_STREAMS) expect(result.counts[stream] ?? 0, stream).toBeLessThanOrEqual(1);
      expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    });

    it('--test=schema: SCHEMA messages only', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', config, '--test=schema']);
      expect(run.code, run.stderr).toBe(0);
      checkSingerOutput(run.messages, { finalState: false });
      expect(run.messages.every((m) => m.type === 'SCHEMA')).toBe(true);
      expect(sorted(schemasOf(run.messages).map((m) => m.stream))).toEqual(sorted(USER_STREAMS));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('CLI basics', () => {
    it('--version and --help exit 0', async ({ expect }) => {
      const [version, help] = await Promise.all([runTap(TAP, ['--version'], { json: false }), runTap(TAP, ['--help'], { json: false })]);
      expect(version.code, version.stderr).toBe(0);
      expect(version.stdout).toMatch(/tap-playground \d+\.\d+\.\d+/);
      expect(help.code, help.stderr).toBe(0);
      for (const flag of ['--config', '--discover', '--catalog', '--state', '--about']) expect(help.stdout).toContain(flag);
    });

    it('later --config files win', async ({ expect }) => {
      const wrong = tmp.json('config-wrong-token-1.json', { bearer_token: WRONG_TOKEN, base_url: pg.url });
      const right = tmp.json('config-right-token.json', { bearer_token: pg.token });
      const [ok, bad] = await Promise.all([
        runTap(TAP, ['--config', wrong, '--config', right, '--test']),
        runTap(TAP, ['--config', right, '--config', wrong, '--test']),
      ]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/401/);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('bad input: exit 1, one clear line on stderr, no Singer output, no stack trace', () => {
    const cases: Array<{ name: string; build: () => { args: string[]; names: string[] } }> = [
      {
        name: 'missing required setting (no bearer_token)',
        build: () => ({ args: ['--config', tmp.json('bad-missing-token.json', { base_url: pg.url })], names: ['bearer_token'] }),
      },
      {
        name: 'wrong-typed setting (page_size: "x")',
        build: () => ({ args: ['--config', configWith('bad-page-size.json', { page_size: 'x' })], names: ['page_size'] }),
      },
      {
        name: 'several bad settings: one line each',
        build: () => ({
          args: ['--config', tmp.json('bad-several.json', { base_url: pg.url, page_size: 0, start_date: 'yesterday' })],
          names: ['bearer_token', 'page_size', 'start_date'],
        }),
      },
      {
        name: 'config file that does not exist',
        build: () => {
          const file = tmp.path('no-such-config.json');
          return { args: ['--config', file], names: [file] };
        },
      },
      {
        name: 'config path that is a directory',
        build: () => ({ args: ['--config', tmp.dir], names: [tmp.dir] }),
      },
      {
        name: 'malformed config JSON',
        build: () => {
          const file = tmp.text('bad-config.json', '{"bearer_token": "x",');
          return { args: ['--config', file], names: [file] };
        },
      },
      {
        name: 'malformed catalog JSON',
        build: () => {
          const file = tmp.text('bad-catalog.json', '{"streams": [');
          return { args: ['--config', config, '--catalog', file], names: [file] };
        },
      },
      {
        name: 'catalog JSON that is not a catalog',
        build: () => {
          const file = tmp.json('not-a-catalog.json', { hello: 'world' });
          return { args: ['--config', config, '--catalog', file], names: [file] };
        },
      },
      {
        name: 'malformed state JSON',
        build: () => {
          const file = tmp.text('bad-state.json', '{"bookmarks": {');
          return { args: ['--config', config, '--state', file], names: [file] };
        },
      },
      {
        name: 'unknown flag',
        build: () => ({ args: ['--config', config, '--bogus'], names: ['bogus'] }),
      },
    ];

    it.for(cases)('$name', async ({ build }, { expect }) => {
      const { args, names } = build();
      const run = await runTap(TAP, args, { json: false });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout, 'no Singer messages on stdout').toBe('');
      const critical = criticalLines(run.stderr);
      for (const name of names) {
        expect(critical.filter((l) => l.includes(name)), `a CRITICAL line names ${name}:\n${run.stderr}`).toHaveLength(1);
      }
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('secrets', () => {
    it('wrong token: exit 1 naming 401 and the endpoint, the token never printed', async ({ expect }) => {
      const file = tmp.json('config-wrong-token.json', { bearer_token: WRONG_TOKEN, base_url: pg.url });
      const run = await runTap(TAP, ['--config', file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/401/);
      expect(run.stderr).toContain('/auth/http_bearer');
      expect(criticalLines(run.stderr).some((l) => l.includes('401') && l.includes('/auth/http_bearer'))).toBe(true);
      for (const text of [run.stdout, run.stderr]) {
        expect(text).not.toContain(WRONG_TOKEN);
        expect(text).not.toContain(Buffer.from(WRONG_TOKEN).toString('base64'));
      }
      // Streams read in parallel that do not need the token may have written records (and a STATE
      // covering them once complete); the failing stream wrote nothing and has no bookmark.
      expect(recordCounts(run.messages).user).toBeUndefined();
      for (const state of statesOf(run.messages)) expect(state.bookmarks.user).toBeUndefined();
      expect(stackTraceLines(run.stderr)).toEqual([]);
    });

    it('--config=ENV: settings from TAP_PLAYGROUND_*, the token never on stderr even at LOGLEVEL=debug', async ({ expect }) => {
      const run = await runTap(TAP, ['--config=ENV'], {
        env: { TAP_PLAYGROUND_BEARER_TOKEN: pg.token, TAP_PLAYGROUND_BASE_URL: pg.url, LOGLEVEL: 'debug' },
      });
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages);
      expect(result.counts.users_offset).toBe(userCount);
      expect(result.counts.user).toBe(BEARER_PAGE);
      expect(run.stderr.length).toBeGreaterThan(0);
      for (const text of [run.stderr, run.stdout]) {
        expect(text).not.toContain(pg.token);
        expect(text).not.toContain(Buffer.from(pg.token).toString('base64'));
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('state', () => {
    it('an old state (retired stream, unrelated key) is accepted and carried through', async ({ expect }) => {
      const old: StateValue = {
        bookmarks: {
          retired_stream: { replication_key: 'modified', replication_key_value: '2020-01-01T00:00:00Z' },
        },
        unrelated_key: { keep: ['me', 1] },
      };
      for (const [name, content] of [['state-old.json', old], ['state-old-meltano.json', { singer_state: old }]] as const) {
        const run = await runTap(TAP, ['--config', config, '--state', tmp.json(name, content)]);
        expect(run.code, run.stderr).toBe(0);
        const result = checkSingerOutput(run.messages);
        expect(run.messages[0], `${name}: the given state comes first`).toEqual({ type: 'STATE', value: old });
        const final = result.finalState!;
        expect(final.bookmarks.retired_stream).toEqual(old.bookmarks.retired_stream);
        expect(final.unrelated_key).toEqual(old.unrelated_key);
        for (const stream of PAGINATED) {
          expect(result.counts[stream]).toBe(userCount);
          expect(final.bookmarks[stream]!.replication_key).toBe('updatedAt');
        }
        expect(criticalLines(run.stderr)).toEqual([]);
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('activate-version (a declared capability)', () => {
    it('emit_activate_version_messages: ACTIVATE_VERSION around the FULL_TABLE stream, records versioned', async ({ expect }) => {
      const run = await runTap(TAP, ['--config', configWith('config-activate.json', { emit_activate_version_messages: true })]);
      expect(run.code, run.stderr).toBe(0);
      const result = checkSingerOutput(run.messages);
      const userMsgs = run.messages.filter((m) => m.type !== 'STATE' && m.stream === 'user');
      const activations = userMsgs.filter((m) => m.type === 'ACTIVATE_VERSION');
      expect(activations.length).toBeGreaterThanOrEqual(1);
      const version = (activations.at(-1) as { version: number }).version;
      expect(userMsgs.at(-1)).toEqual({ type: 'ACTIVATE_VERSION', stream: 'user', version });
      const userRecords = run.messages.filter((m) => m.type === 'RECORD' && m.stream === 'user');
      expect(userRecords).toHaveLength(BEARER_PAGE);
      for (const m of userRecords) expect((m as { version?: number }).version).toBe(version);
      for (const m of run.messages) {
        // FULL_TABLE top-level streams (user, companies) are versioned; incremental ones never.
        if (m.type === 'RECORD' && !['user', 'companies'].includes(m.stream)) expect(m.version).toBeUndefined();
        if (m.type === 'ACTIVATE_VERSION') expect(['user', 'companies']).toContain(m.stream);
      }
      expect(result.finalState!.bookmarks.user!.version).toBe(version);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('resilience (own playgrounds)', () => {
    it('429 on every 3rd request (Retry-After: 1): every record exactly once, retries logged', async ({ expect }) => {
      const faulty = await startPlayground({ faults: ['429:3'] });
      try {
        const total = (await faulty.stats()).playground!.users!;
        const file = tmp.json('config-faulty.json', { bearer_token: faulty.token, base_url: faulty.url });
        const run = await runTap(TAP, ['--config', file], { timeoutMs: 50_000 });
        expect(run.code, run.stderr).toBe(0);
        const result = checkSingerOutput(run.messages);
        expect(result.counts.user).toBe(BEARER_PAGE);
        const reference = sorted(ids(recordsOf(run.messages, 'users_offset')));
        expect(new Set(reference).size).toBe(total);
        for (const stream of PAGINATED) {
          expect(result.counts[stream], stream).toBe(total);
          expect(sorted(ids(recordsOf(run.messages, stream))), stream).toEqual(reference);
        }
        const retries = run.stderr.split('\n').filter((l) => /429/.test(l) && /retry/i.test(l));
        expect(retries.length, run.stderr).toBeGreaterThanOrEqual(3);
        expect(run.stderr).not.toContain(faulty.token);
      } finally {
        await faulty.stop();
      }
    }, 60_000);

    it('SIGTERM mid-run: exits non-zero within seconds, stdout ends with a whole JSON line', async ({ expect }) => {
      const big = await startPlayground({ scale: 50 });
      try {
        const total = BEARER_PAGE + PAGINATED.length * (await big.stats()).playground!.users!;
        const file = tmp.json('config-big.json', { bearer_token: big.token, base_url: big.url });
        let signalledAt = 0;
        const { result } = spawnTap(TAP, ['--config', file], {
          timeoutMs: 30_000,
          onLine: (line, child) => {
            // Signal once a paginated (sorted, checkpointed) stream is being written.
            if (signalledAt === 0 && line.includes('"type":"RECORD"') && line.includes('"stream":"users_')) {
              signalledAt = performance.now();
              child.kill('SIGTERM');
            }
          },
        });
        const run = await result;
        const exitMs = performance.now() - signalledAt;
        expect(signalledAt, 'a RECORD appeared before the tap finished').toBeGreaterThan(0);
        expect(run.signal, 'the tap handles SIGTERM itself').toBeNull();
        expect(run.code).not.toBe(0);
        expect(exitMs).toBeLessThan(5000);
        const last = run.lines.at(-1)!;
        expect(() => JSON.parse(last)).not.toThrow();
        const counts = recordCounts(run.messages);
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeLessThan(total);
        const checked = checkSingerOutput(run.messages);
        expect(run.code, 'SIGTERM exit code').toBe(143);
        expect(run.stderr).toMatch(/SIGTERM/);
        // The sorted stream being read when the signal came keeps a bookmark for what it had written.
        const interrupted = PAGINATED.find((s) => (counts[s] ?? 0) > 0);
        expect(interrupted, 'a paginated stream had started').toBeDefined();
        const bookmark = checked.finalState!.bookmarks[interrupted!]?.replication_key_value;
        expect(bookmark, `${interrupted} has a bookmark after SIGTERM`).toBeDefined();
        expect(instant(bookmark)).toBe(maxInstant(recordsOf(run.messages, interrupted!)));
        expect(stackTraceLines(run.stderr)).toEqual([]);
      } finally {
        await big.stop();
      }
    }, 60_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Mutates the shared playground: runs alone, after every concurrent test above.
describe('incremental resume (mutates the shared playground)', () => {
  it('run 1 -> mutate 3 -> run 2 resumes from the bookmark -> run 3 sends only boundary records', async ({ expect }) => {
    // Run 1: everything.
    const run1 = await runTap(TAP, ['--config', config]);
    expect(run1.code, run1.stderr).toBe(0);
    const c1 = checkSingerOutput(run1.messages);
    const s1 = c1.finalState!;
    const stateFile1 = tmp.json('state-run1.json', s1);
    // The server changes the oldest-updated users first; users_offset lists users by updatedAt.
    const mutatedIds = ids(recordsOf(run1.messages, 'users_offset').slice(0, 3));

    const changed = await pg.mutate(3);
    expect(changed.playground).toBeGreaterThanOrEqual(3); // 3 users, and departments

    // Run 2: from run 1's state.
    const run2 = await runTap(TAP, ['--config', config, '--state', stateFile1]);
    expect(run2.code, run2.stderr).toBe(0);
    const c2 = checkSingerOutput(run2.messages);
    expect(run2.messages[0], 'the given state is emitted first').toEqual({ type: 'STATE', value: s1 });
    expect(c2.counts.user).toBe(BEARER_PAGE);
    for (const stream of PAGINATED) {
      const b1 = s1.bookmarks[stream]!.replication_key_value;
      const records = recordsOf(run2.messages, stream);
      expect(records.every((r) => instant(r.updatedAt) >= instant(b1)), `${stream}: nothing older than ${String(b1)}`).toBe(true);
      const mutated = records.filter((r) => instant(r.updatedAt) > instant(b1));
      expect(sorted(ids(mutated)), `${stream}: the mutated users`).toEqual(sorted(mutatedIds));
      const boundary = recordsOf(run1.messages, stream).filter((r) => instant(r.updatedAt) === instant(b1));
      expect(boundary.length).toBeGreaterThanOrEqual(1);
      expect(sorted(ids(records)), `${stream}: mutated + boundary records only`).toEqual(sorted([...mutatedIds, ...ids(boundary)]));
      const b2 = c2.finalState!.bookmarks[stream]!.replication_key_value;
      expect(instant(b2), `${stream}: bookmark moved forward`).toBeGreaterThan(instant(b1));
      expect(instant(b2)).toBe(maxInstant(records));
    }

    // Run 3: from run 2's state, nothing changed: only the records at the bookmark itself.
    const s2 = c2.finalState!;
    const run3 = await runTap(TAP, ['--config', config, '--state', tmp.json('state-run2.json', s2)]);
    expect(run3.code, run3.stderr).toBe(0);
    // Bookmarks did not move, yet a STATE still follows the records (only back-to-back repeats are dropped).
    const c3 = checkSingerOutput(run3.messages);
    expect(run3.messages.at(-1)?.type).toBe('STATE');
    expect(run3.messages[0]).toEqual({ type: 'STATE', value: s2 });
    expect(statesOf(run3.messages).at(-1)).toEqual(s2);
    for (const stream of PAGINATED) {
      const b2 = s2.bookmarks[stream]!.replication_key_value;
      const records = recordsOf(run3.messages, stream);
      expect(records.every((r) => instant(r.updatedAt) === instant(b2)), `${stream}: boundary records only`).toBe(true);
      const atBookmark = recordsOf(run2.messages, stream).filter((r) => instant(r.updatedAt) === instant(b2));
      expect(sorted(ids(records)), stream).toEqual(sorted(ids(atBookmark)));
      expect(c3.counts[stream]).toBe(atBookmark.length);
    }
  });
});


// ---------------------------------------------------------------------------------------------
// companies -> departments: an HTTP child stream requested once per parent, with one bookmark per parent.
describe('parent/child: companies and their departments', () => {
  let own: PlaygroundProcess;
  let ownConfig: string;
  let allSelected: string;
  beforeAll(async () => {
    own = await startPlayground({ scale: 2 });
    ownConfig = tmp.json('config-companies.json', { bearer_token: own.token, base_url: own.url });
    // companies/departments are off by default: a catalog selects them (and, here, only them).
    const catalog = JSON.parse((await runTap(TAP, ['--config', ownConfig, '--discover'], { json: false })).stdout) as CatalogLike;
    for (const entry of catalog.streams) setMetadata(entry.metadata!, [], { selected: ['companies', 'departments'].includes(entry.tap_stream_id) });
    allSelected = tmp.json('catalog-companies.json', catalog);
  });
  afterAll(async () => {
    await own?.stop();
  });
  type Partition = { context: { company_id: number }; replication_key: string; replication_key_value: string };
  const partitions = (state: { bookmarks: Record<string, unknown> }) =>
    ((state.bookmarks.departments as { partitions?: Partition[] } | undefined)?.partitions ?? []);

  it('children carry their parent key, and each parent has its own bookmark; a resume re-reads only changed children', async ({ expect }) => {
    const stats = (await own.stats()).playground!;
    const run1 = await runTap(TAP, ['--config', ownConfig, '--catalog', allSelected]);
    expect(run1.code, run1.stderr).toBe(0);
    const c1 = checkSingerOutput(run1.messages);
    const companies = recordsOf(run1.messages, 'companies');
    const departments = recordsOf(run1.messages, 'departments');
    expect(companies).toHaveLength(stats.companies!);
    expect(departments).toHaveLength(stats.departments!);
    const companyIds = new Set(companies.map((c) => c.company_id));
    for (const d of departments) expect(companyIds.has(d.company_id), `department of company ${String(d.company_id)}`).toBe(true);
    // One partition per company, each at the max updatedAt of that company's departments.
    const parts = partitions(c1.finalState!);
    expect(parts.map((p) => p.context.company_id).sort()).toEqual([...companyIds].sort());
    for (const p of parts) {
      const own = departments.filter((d) => d.company_id === p.context.company_id);
      expect(instant(p.replication_key_value)).toBe(maxInstant(own));
    }

    const changed = await own.mutate(2);
    expect(changed.playground).toBeGreaterThan(2);
    const run2 = await runTap(TAP, ['--config', ownConfig, '--catalog', allSelected, '--state', tmp.json('state-companies.json', c1.finalState)]);
    expect(run2.code, run2.stderr).toBe(0);
    const c2 = checkSingerOutput(run2.messages);
    // Companies are FULL_TABLE (a handful of rows): all again. Departments: only the changed ones and each
    // partition's boundary records.
    expect(recordsOf(run2.messages, 'companies')).toHaveLength(stats.companies!);
    const again = recordsOf(run2.messages, 'departments');
    expect(again.length).toBeLessThan(departments.length);
    for (const d of again) {
      const before = parts.find((p) => p.context.company_id === d.company_id)!;
      expect(instant(d.updatedAt)).toBeGreaterThanOrEqual(instant(before.replication_key_value));
    }
    const moved = partitions(c2.finalState!).filter((p) => {
      const before = parts.find((q) => q.context.company_id === p.context.company_id)!;
      return instant(p.replication_key_value) > instant(before.replication_key_value);
    });
    expect(moved.length, 'the partitions of the changed companies moved forward').toBe(Math.ceil(2 / 2));
  });

  it('a deselected parent is still read for its selected children, and writes nothing itself', async ({ expect }) => {
    const catalog = JSON.parse((await runTap(TAP, ['--config', ownConfig, '--discover'], { json: false })).stdout) as CatalogLike;
    for (const entry of catalog.streams) setMetadata(entry.metadata!, [], { selected: entry.tap_stream_id === 'departments' });
    const run = await runTap(TAP, ['--config', ownConfig, '--catalog', tmp.json('catalog-departments-only.json', catalog)]);
    expect(run.code, run.stderr).toBe(0);
    checkSingerOutput(run.messages, { catalog });
    expect(schemasOf(run.messages).map((m) => m.stream)).toEqual(['departments']);
    expect(recordsOf(run.messages, 'departments').length).toBe((await own.stats()).playground!.departments);
    const root = catalog.streams.find((s) => s.tap_stream_id === 'departments')!.metadata!.find((m) => m.breadcrumb.length === 0)!.metadata;
    expect(root['parent-tap-stream-id']).toBe('companies');
  });
});

// ---------------------------------------------------------------------------------------------
// The promise of STATE: a run killed mid-stream, resumed from the last STATE it wrote, loses nothing.
describe('issues: a GraphQL stream, one partition per repository in the settings (issue 20)', () => {
  /** The issues of a repository as the GraphQL API itself lists them (id -> updatedAt), all pages. */
  async function truth(own: PlaygroundProcess, name: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let after: string | null = null;
    for (;;) {
      const res = await fetch(`${own.url}/graphql`, {
        method: 'POST', headers: { authorization: `bearer ${own.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query($n: String!, $a: String) { repository(owner: "acme", name: $n) { issues(first: 100, after: $a) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } } } }', variables: { n: name, a: after } }),
      });
      const body = await res.json() as { data: { repository: { issues: { nodes: Array<{ id: string; updatedAt: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } } };
      for (const n of body.data.repository.issues.nodes) out.set(n.id, n.updatedAt);
      if (!body.data.repository.issues.pageInfo.hasNextPage) return out;
      after = body.data.repository.issues.pageInfo.endCursor;
    }
  }

  it('every issue of every repository (150 over pages of 50, 37, none), a bookmark per repository; after changes, a resumed run reads the changed ones', async ({ expect }) => {
    const own = await startPlayground();
    try {
      const cfg = tmp.json('issues-config.json', { bearer_token: own.token, base_url: own.url, repositories: ['acme/cache', 'acme/docs', 'acme/api'] });
      const catalog = tmp.json('issues-catalog.json', selectOnly(JSON.parse((await runTap(TAP, ['--config', cfg, '--discover'], { json: false })).stdout) as CatalogLike, 'issues'));
      const first = await runTap(TAP, ['--config', cfg, '--catalog', catalog]);
      expect(first.code, first.stderr).toBe(0);
      checkSingerOutput(first.messages);
      const records = recordsOf(first.messages, 'issues');
      const expected = new Map([...(await truth(own, 'cache')), ...(await truth(own, 'docs'))]);
      expect(records).toHaveLength(expected.size);
      expect(new Set(records.map((r) => r.id))).toEqual(new Set(expected.keys()));
      expect(new Set(records.map((r) => r.repository))).toEqual(new Set(['acme/cache', 'acme/docs']));
      const state = statesOf(first.messages).at(-1) as StateValue;
      const bookmarks = new Map(state.bookmarks.issues?.partitions?.map((p) => [p.context.repository, p.replication_key_value]));
      expect([...bookmarks.keys()].sort()).toEqual(['acme/cache', 'acme/docs']);
      expect(bookmarks.get('acme/cache')).toBe([...(await truth(own, 'cache')).values()].sort().at(-1));

      await own.mutate(40);
      const second = await runTap(TAP, ['--config', cfg, '--catalog', catalog, '--state', tmp.json('issues-state.json', state)]);
      expect(second.code, second.stderr).toBe(0);
      const after = new Map([...(await truth(own, 'cache')), ...(await truth(own, 'docs'))]);
      // Every issue changed (or opened) after its repository's bookmark is read again; nothing older than the bookmark.
      const changed = [...after].filter(([id, at]) => {
        const repo = records.find((r) => r.id === id)?.repository ?? null;
        const mark = repo ? String(bookmarks.get(String(repo))) : '';
        return !repo || at > mark;
      }).map(([id]) => id);
      expect(changed.length).toBeGreaterThan(0);
      const read = recordsOf(second.messages, 'issues');
      for (const id of changed) expect(read.map((r) => r.id)).toContain(id);
      for (const r of read) expect(String(r.updatedAt) >= String(bookmarks.get(String(r.repository)))).toBe(true);
    } finally {
      await own.stop();
    }
  });
});

describe('issues under GraphQL faults (issue 20)', () => {
  it('RATE_LIMITED answers (HTTP 200) are retried and every issue is read once; a GraphQL error with no data is one line, exit 1', async ({ expect }) => {
    const limited = await startPlayground({ faults: ['graphql-rate-limited=0.3,0'] });
    try {
      const cfg = tmp.json('issues-rl-config.json', { bearer_token: limited.token, base_url: limited.url, repositories: ['acme/cache'], page_size: 10, retry_backoff_seconds: 0.05, max_retries: 8 });
      const catalog = tmp.json('issues-rl-catalog.json', selectOnly(JSON.parse((await runTap(TAP, ['--config', cfg, '--discover'], { json: false })).stdout) as CatalogLike, 'issues'));
      const run = await runTap(TAP, ['--config', cfg, '--catalog', catalog]);
      expect(run.code, run.stderr).toBe(0);
      const ids = recordsOf(run.messages, 'issues').map((r) => r.id);
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
      expect(((await limited.stats()).faults ?? {})['graphql-rate-limited'] ?? 0).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
    const broken = await startPlayground({ faults: ['graphql-error=1'] });
    try {
      const cfg = tmp.json('issues-err-config.json', { bearer_token: broken.token, base_url: broken.url, repositories: ['acme/cache'] });
      const catalog = tmp.json('issues-err-catalog.json', selectOnly(JSON.parse((await runTap(TAP, ['--config', cfg, '--discover'], { json: false })).stdout) as CatalogLike, 'issues'));
      const run = await runTap(TAP, ['--config', cfg, '--catalog', catalog]);
      expect(run.code).toBe(1);
      expect(stackTraceLines(run.stderr)).toEqual([]);
      expect(criticalLines(run.stderr)).toEqual([expect.stringMatching(/stream 'issues': the GraphQL query answered with an error: .*Something went wrong/)]);
    } finally {
      await broken.stop();
    }
  });
});

describe('audit_log: a generic stream over JSON Lines files, one partition per file (issue 20)', () => {
  it('every line of every file, each file with its own bookmark; a resumed run reads only the lines added since', async ({ expect }) => {
    const event = (n: number) => JSON.stringify({ at: `2025-01-0${1 + (n % 9)}T00:00:00Z`, user_id: n, action: n % 2 ? 'login' : 'logout' });
    const a = tmp.text('audit-a.jsonl', `${[1, 2, 3].map(event).join('\n')}\n`);
    const b = tmp.text('audit-b.jsonl', `${[4, 5].map(event).join('\n')}\n\n`);
    const cfg = tmp.json('audit-config.json', { bearer_token: pg.token, base_url: pg.url, audit_log_files: [a, b] });
    const catalog = tmp.json('audit-catalog.json', selectOnly(JSON.parse((await runTap(TAP, ['--config', cfg, '--discover'], { json: false })).stdout) as CatalogLike, 'audit_log'));
    const first = await runTap(TAP, ['--config', cfg, '--catalog', catalog]);
    expect(first.code, first.stderr).toBe(0);
    checkSingerOutput(first.messages);
    expect(recordsOf(first.messages, 'audit_log').map((r) => [r.file === a ? 'a' : 'b', r.line, r.user_id, r.action])).toEqual([
      ['a', 1, 1, 'login'], ['a', 2, 2, 'logout'], ['a', 3, 3, 'login'], ['b', 1, 4, 'logout'], ['b', 2, 5, 'login'],
    ]);
    const state = statesOf(first.messages).at(-1) as StateValue;
    expect(state.bookmarks.audit_log?.partitions?.map((p) => [p.context.file, p.replication_key_value])).toEqual([[a, 3], [b, 2]]);
    tmp.text('audit-b.jsonl', `${[4, 5].map(event).join('\n')}\n\n${[6, 7].map(event).join('\n')}\n`);
    const second = await runTap(TAP, ['--config', cfg, '--catalog', catalog, '--state', tmp.json('audit-state.json', state)]);
    expect(second.code, second.stderr).toBe(0);
    expect(recordsOf(second.messages, 'audit_log').map((r) => [r.file === a ? 'a' : 'b', r.line, r.user_id])).toEqual([['b', 4, 6], ['b', 5, 7]]);
  });

  it('a line that is not JSON is one line naming the file and the line, never its content; a missing file says so', async ({ expect }) => {
    const bad = tmp.text('audit-bad.jsonl', `${JSON.stringify({ user_id: 1 })}\n{"user_id": SECRET-ish\n`);
    const cfg = tmp.json('audit-bad-config.json', { bearer_token: pg.token, base_url: pg.url, audit_log_files: [bad] });
    const catalog = tmp.json('audit-bad-catalog.json', selectOnly(JSON.parse((await runTap(TAP, ['--config', cfg, '--discover'], { json: false })).stdout) as CatalogLike, 'audit_log'));
    const run = await runTap(TAP, ['--config', cfg, '--catalog', catalog]);
    expect(run.code).toBe(1);
    expect(stackTraceLines(run.stderr)).toEqual([]);
    expect(criticalLines(run.stderr)).toEqual([expect.stringContaining(`stream 'audit_log': ${bad} line 2: not valid JSON`)]);
    expect(run.stderr).not.toContain('SECRET-ish');
    expect(recordsOf(run.messages, 'audit_log')).toHaveLength(1);
    const missing = tmp.json('audit-missing-config.json', { bearer_token: pg.token, base_url: pg.url, audit_log_files: [`${bad}.nope`] });
    const run2 = await runTap(TAP, ['--config', missing, '--catalog', catalog]);
    expect(run2.code).toBe(1);
    expect(criticalLines(run2.stderr)).toEqual([expect.stringContaining(`${bad}.nope: not found`)]);
  });
});

/** A catalog with only `stream` selected. */
function selectOnly(catalog: CatalogLike, stream: string): CatalogLike {
  for (const entry of catalog.streams) {
    const root = entry.metadata!.find((m) => m.breadcrumb.length === 0)!;
    root.metadata.selected = entry.tap_stream_id === stream;
  }
  return catalog;
}

describe('kill and resume', () => {
  it('SIGTERM in the middle of a sorted stream, then a run from its last STATE: every user of every stream extracted', async ({ expect }) => {
    // 4,000 users: 80 pages per stream, so the signal lands in the middle of the paging.
    const slow = await startPlayground({ scale: 20 });
    try {
      // One stream at a time, so "later streams not started" means something.
      const file = tmp.json('config-kill.json', { bearer_token: slow.token, base_url: slow.url, page_size: 50, max_parallel_streams: 1 });
      const stats = (await slow.stats()).playground!;
      const { run: run1, signalled } = await runTapUntil(TAP, ['--config', file], '"stream":"users_page_number"', 120);
      expect(signalled).toBe(true);
      expect(run1.code).toBe(143);
      const c1 = checkSingerOutput(run1.messages);
      const done1 = recordCounts(run1.messages);
      expect(done1.users_page_number ?? 0, 'stopped part-way through users_page_number').toBeLessThan(stats.users!);
      expect(done1.users_offset ?? 0, 'later streams not started').toBe(0);

      const run2 = await runTap(TAP, ['--config', file, '--state', tmp.json('state-kill.json', c1.finalState)], { timeoutMs: 60_000 });
      expect(run2.code, run2.stderr).toBe(0);
      checkSingerOutput(run2.messages);
      for (const stream of PAGINATED) {
        const union = new Set([...ids(recordsOf(run1.messages, stream)), ...ids(recordsOf(run2.messages, stream))]);
        expect(union.size, `${stream}: nothing lost across the kill`).toBe(stats.users);
      }
      // The interrupted stream resumed from its checkpoint rather than from the start.
      expect(recordCounts(run2.messages).users_page_number ?? 0).toBeLessThan(stats.users!);
    } finally {
      await slow.stop();
    }
  }, 90_000);
});
