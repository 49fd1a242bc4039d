/**
 * Property-based (fast-check): whatever a user puts in --config, --catalog or --state, the kit either
 * accepts it or refuses it with a UserError (one CRITICAL line per problem, exit 1), never another
 * error (which the CLI would print as an internal error with a stack trace, exit 2), and never with a
 * secret from the file in the message.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import playground from '../../../src/taps/playground/tap.js';
import betterstack from '../../../src/taps/betterstack/tap.js';
import harness from '../../../src/taps/harness/tap.js';
import { secretSettings } from '../../../src/kit/config/settings.js';
import { validateSettings } from '../../../src/kit/config/settings-validate.js';
import { loadConfig } from '../../../src/kit/config/loaded.js';
import { readCatalogFile } from '../../../src/kit/catalog/catalog.js';
import { readStateFile, StateManager } from '../../../src/kit/run/state.js';
import { selectionsFrom, parseArgs } from '../../../src/kit/cli/cli.js';
import { SyncRun } from '../../../src/kit/run/sync.js';
import { createAjv } from '../../../src/kit/records/validate.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';
import { MessageWriter } from '../../../src/kit/output/messages.js';
import { HttpClient } from '../../../src/kit/http/index.js';
import { noAuth } from '../../../src/kit/http/auth.js';
import { keyKind } from '../../../src/kit/records/schema.js';
import { UserError } from '../../../src/kit/core/errors.js';
import type { Tap } from '../../../src/kit/tap/tap.js';
import { loadDefinition } from '../../../src/taps/rest/load.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string) => {
  const f = path.join(dir, `f${++n}.json`);
  writeFileSync(f, text);
  return f;
};

const SECRET = 'Fz9sEcReTq7XvK2';
const TAPS = [playground, betterstack, harness] as Array<Tap<unknown>>;
const RUNS = 150;

/** A user's error or nothing at all; anything else fails the property. */
function userErrorOrNothing(fn: () => unknown, redactor = new Redactor()): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // As the CLI prints it: through the redactor that knows the secret settings' values.
    expect(redactor.redact(error.message)).not.toContain(SECRET.slice(0, 6));
  }
}

/** Broken texts near valid JSON: cut short, a character replaced, deeply nested, or any JSON at all. */
function brokenText(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    valid.map((v) => JSON.stringify(v)),
    fc.tuple(valid, fc.nat()).map(([v, i]) => {
      const t = JSON.stringify(v);
      return t.slice(0, i % (t.length + 1));
    }),
    fc.tuple(valid, fc.nat(), fc.constantFrom('{', '}', '"', ',', ':', ']', 'x', '\n', '\\')).map(([v, i, c]) => {
      const t = JSON.stringify(v);
      const at = i % (t.length + 1);
      return t.slice(0, at) + c + t.slice(at + 1);
    }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.integer({ min: 1, max: 3 }).map((k) => '['.repeat(k * 50_000) + ']'.repeat(k * 50_000)),
    fc.string(),
  );
}

// The secret is only ever the value of the secret settings (a deep list of it included).
const settingValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 70, max: 2000 }).map((d) => JSON.parse('['.repeat(d) + ']'.repeat(d)) as unknown));

const configLike = fc.dictionary(
  fc.constantFrom('bearer_token', 'api_key', 'account_id', 'base_url', 'start_date', 'page_size', 'request_timeout', 'max_retries', 'error_policy', 'retry_backoff_seconds', 'lookback_days', 'other'),
  settingValue,
).chain((c) => fc.constantFrom<unknown>(SECRET, [[SECRET]], JSON.parse('['.repeat(100) + JSON.stringify(SECRET) + ']'.repeat(100)))
  .map((secret) => ({ ...c, bearer_token: secret, api_key: secret, api_token: secret, sei_api_key: secret })));

function silentLog(): Logger {
  const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
  return new Logger('fuzz', { redactor: new Redactor(), out: sink, level: 'critical' });
}

// CPU-bound (every run validates a settings schema): room for a loaded 2-core machine; a run that fails, fails on its content.
describe('fuzzed input files never give anything but a UserError', { timeout: 120_000 }, () => {
  it.each(TAPS.map((t) => [t.name, t] as const))('--config (%s)', (_name, tap) => {
    fc.assert(fc.property(brokenText(configLike), (text) => {
      const redactor = new Redactor();
      userErrorOrNothing(() => {
        const raw = loadConfig([file(text)], { tapName: tap.name, schema: tap.settingsSchema });
        for (const name of secretSettings(tap.settingsSchema)) redactor.add(raw[name]);
        const { settings } = validateSettings(raw, { schema: tap.settingsSchema, tapName: tap.name, requireAll: true });
        tap.client?.(settings as never);
      }, redactor);
    }), { numRuns: RUNS });
  });

  const metadata = fc.array(fc.record({
    breadcrumb: fc.oneof(fc.constant([] as string[]), fc.tuple(fc.constant('properties'), fc.constantFrom('id', 'updatedAt', 'name', 'nope')).map((t) => [...t]),
      fc.array(fc.string(), { maxLength: 5 })),
    metadata: fc.record({
      selected: fc.oneof(fc.boolean(), fc.constant('yes'), fc.constant(null)),
      inclusion: fc.constantFrom('available', 'automatic', 'unsupported', 'bogus'),
      'replication-method': fc.constantFrom('INCREMENTAL', 'FULL_TABLE', 'LOG_BASED'),
      'table-key-properties': fc.oneof(fc.constant(['id']), fc.array(fc.string(), { maxLength: 2 }), fc.constant('id')),
    }, { requiredKeys: [] }),
  }), { maxLength: 6 });
  const schema = fc.oneof(
    fc.constant({ type: 'object', properties: { id: { type: 'string' }, updatedAt: { type: 'string', format: 'date-time' } } }),
    fc.constant({ type: 'object' }),
    fc.constant({ type: 'object', properties: { id: { type: 'bogus-type' } } }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const catalogLike = fc.record({
    streams: fc.array(fc.record({
      tap_stream_id: fc.constantFrom('user', 'users_offset', 'departments', 'monitors', 'incidents', 'nope'),
      stream: fc.string(),
      schema,
      metadata,
      key_properties: fc.oneof(fc.constant(['id']), fc.array(fc.string(), { maxLength: 2 })),
    }, { requiredKeys: ['tap_stream_id'] }), { maxLength: 4 }),
  });

  it.each(TAPS.map((t) => [t.name, t] as const))('--catalog (%s)', (_name, tap) => {
    fc.assert(fc.property(brokenText(catalogLike), (text) => {
      userErrorOrNothing(() => {
        const f = file(text);
        readCatalogFile(f, '--catalog');
        const args = parseArgs(tap.name, ['--catalog', f]);
        if (args === 'help') return;
        const log = silentLog();
        const streams = selectionsFrom(tap, args, { shapes: tap.shapes, log });
        const out = new Writable({ write(_c, _e, cb) { cb(); } });
        const http = new HttpClient({ baseUrl: 'http://127.0.0.1:1', auth: noAuth, userAgent: 'fuzz', timeoutSeconds: 1 }, log);
        try {
          new SyncRun({ tap, settings: {}, streams, state: new StateManager(undefined), stateGiven: false, writer: new MessageWriter(out), log, http, mode: 'sync', activateVersion: false, signal: { stopped: false } }, createAjv()).schemasOnly();
        } finally {
          http.close();
        }
      });
    }), { numRuns: RUNS });
  });

  const bookmark = fc.record({
    replication_key: fc.oneof(fc.constantFrom('updatedAt', 'updated_at', 'started_at'), fc.string()),
    replication_key_value: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant('2025-01-01T10:00Z'), fc.jsonValue({ maxDepth: 2 })),
    partitions: fc.oneof(fc.constant(undefined), fc.array(fc.record({ context: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.string()), replication_key_value: fc.string() }), { maxLength: 3 })),
  }, { requiredKeys: [] });
  const stateLike = fc.oneof(
    fc.record({ bookmarks: fc.dictionary(fc.constantFrom('users_offset', 'departments', 'incidents', 'monitors', 'x'), fc.oneof(bookmark, fc.jsonValue({ maxDepth: 2 }))) }),
    fc.record({ type: fc.constant('STATE'), value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({ singer_state: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({ bearer_token: fc.constant(SECRET) }),
  );

  it.each(TAPS.map((t) => [t.name, t] as const))('--state (%s)', (_name, tap) => {
    fc.assert(fc.property(brokenText(stateLike), (text) => {
      userErrorOrNothing(() => {
        const state = new StateManager(readStateFile(file(text)));
        for (const s of tap.shapes) {
          if (!s.replicationKey) continue;
          const kind = keyKind(s.schema.properties?.[s.replicationKey]);
          state.progress({ stream: s.name, replicationKey: s.replicationKey, kind, sorted: true, context: s.parent ? { id: 1 } : undefined as never });
        }
      });
    }), { numRuns: RUNS });
  });

  // tap-rest's dlt definitions (JSON or YAML): the sample definitions cut short or with one character
  // replaced, any JSON, very deep nesting. tap-rest throws the kit package's UserError: checked by name.
  const samples = readdirSync('sample-config').filter((f) => /\.source\.(json|ya?ml)$/.test(f)).map((f) => readFileSync(path.join('sample-config', f), 'utf8'));
  const definitionText = fc.oneof(
    fc.tuple(fc.constantFrom(...samples), fc.nat()).map(([t, i]) => t.slice(0, i % (t.length + 1))),
    fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.constantFrom('{', '}', '"', ',', ':', ']', '-', ' ', '\n', '\t', '&', '*', '!')).map(([t, i, c]) => {
      const at = i % (t.length + 1);
      return t.slice(0, at) + c + t.slice(at + 1);
    }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ client: { base_url: 'http://x' }, resources: [v] })),
    fc.integer({ min: 1, max: 3 }).map((k) => `{"client": {"base_url": "http://x"}, "resources": ${'['.repeat(k * 1000)}${']'.repeat(k * 1000)}}`),
  );

  it('definition counterexamples fast-check found: an alias without its anchor, a mapping as a key', () => {
    for (const text of ['\nclient: {base_url: http://x}\nresources: [*services]\n', '\n? {base_url: x,\n   auth: y}\n: 1\nresources: []\n']) {
      let error: Error | undefined;
      try {
        loadDefinition(text);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe('UserError');
      expect(error?.message.split('\n')).toHaveLength(1);
    }
  });

  it('definition files (tap-rest)', () => {
    fc.assert(fc.property(definitionText, (text) => {
      try {
        loadDefinition(`\n${text}`);
      } catch (error) {
        expect((error as Error).name, String((error as Error).stack).slice(0, 500)).toBe('UserError');
        expect((error as Error).message.split('\n')).toHaveLength(1);
      }
    }), { numRuns: RUNS });
  });
});
