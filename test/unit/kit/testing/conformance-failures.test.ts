/**
 * Each conformance check fails on a tap that violates it: fake-tap.mjs (a Singer tap written
 * without the kit) commits the one defect FAKE_DEFECT names, and the check that should catch it
 * fails, naming the problem. Without a defect, the fake passes every check.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_IDS, conformance, type ConformanceReport } from '../../../../src/kit/testing/index.js';

const FAKE = fileURLToPath(new URL('./fake-tap.mjs', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-tap-'));
const config = path.join(dir, 'config.json');
writeFileSync(config, JSON.stringify({ token: 'fake-secret-token-42' }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the checks named (the others skipped) on the fake tap with one defect. */
function check(defect: string, checks: readonly string[]): Promise<ConformanceReport> {
  return conformance({
    command: [process.execPath, FAKE],
    config: [config],
    env: { FAKE_DEFECT: defect },
    skipChecks: CHECK_IDS.filter((id) => !checks.includes(id)),
    timeoutSeconds: 30,
  });
}

const result = (report: ConformanceReport, id: string) => report.results.find((r) => r.id === id);

describe('the fake tap without a defect', () => {
  it('passes every check', { timeout: 60_000 }, async () => {
    const report = await check('', CHECK_IDS);
    expect(report.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(result(report, 'selection')?.reason).toBe("stream 'tags' absent; 'items.name' absent from its SCHEMA and 10 records");
    expect(result(report, 'resume')?.reason).toBe('from 1 bookmarked stream: 4 records of 2 streams, none before its bookmark');
  });
});

describe('what cannot be guessed', () => {
  it('starts the first sync from --state (any of its forms) and leaves skipped streams out', { timeout: 60_000 }, async () => {
    const bookmark = { bookmarks: { items: { replication_key: 'updated', replication_key_value: '2025-01-01T00:05:00Z' } } };
    for (const [name, content] of [['value', bookmark], ['message', { type: 'STATE', value: bookmark }], ['meltano', { singer_state: bookmark }]] as const) {
      const state = path.join(dir, `state-${name}.json`);
      writeFileSync(state, JSON.stringify(content));
      const report = await conformance({
        command: [process.execPath, FAKE], config: [config], state, skipStreams: ['tags'],
        skipChecks: CHECK_IDS.filter((id) => !['sync', 'sync-bookmarks', 'resume'].includes(id)),
      });
      expect(report.results.filter((r) => r.status === 'pass').map((r) => `${r.id}: ${r.reason}`)).toEqual([
        'sync: 5 records of 1 stream, 1 STATE, the last message a STATE',
        'sync-bookmarks: 1 incremental stream: bookmarks within what was written, never back, final = largest value',
        'resume: from 1 bookmarked stream: 1 record of 1 stream, none before its bookmark',
      ]);
    }
  });
});

/** defect, the check that catches it, what its reason says (`warn`: the check only warns). */
const DEFECTS: Array<[string, string, RegExp, ('fail' | 'warn')?]> = [
  ['about-no-settings', 'about', /"settings" is missing or not an object/],
  ['version-fails', 'version', /--version: exit 1/],
  ['discover-logs', 'discover', /stdout is not one JSON document .*INFO discovering/],
  ['schema-invalid', 'discover-schemas', /stream 'items': the schema is not a valid draft-07 JSON Schema: \/properties\/name\/type/],
  ['metadata-bad-inclusion', 'discover-metadata', /inclusion "sometimes" is not available, automatic or unsupported/],
  ['key-not-in-schema', 'discover-keys', /stream 'items': key property 'uuid' is not a property of the schema/],
  ['stream-name-upper', 'stream-names', /tap_stream_id 'Items' is not \[a-z_0-9\]\+/, 'warn'],
  ['record-before-schema', 'sync', /line 1: RECORD 'items' before any SCHEMA of that stream/],
  ['no-final-state', 'sync', /line 18: a RECORD of 'items' comes after the last STATE and its updated "2025-01-01T00:10:00Z" is beyond the bookmark of the last STATE \(line 17\)/],
  ['record-schema', 'sync-records', /line 4: RECORD 'items' does not match its SCHEMA: \/name must be null,string/],
  ['duplicate-key', 'sync-keys', /RECORD 'items' repeats key \[1\] already written in this run/],
  ['missing-key', 'sync-keys', /line 3: RECORD 'items' has no value for key 'id'/],
  ['bookmark-beyond', 'sync-bookmarks', /bookmarks\.items = "2030-01-01T00:00:00Z" is beyond the largest updated written so far/],
  ['bookmark-early', 'sync-bookmarks', /bookmarks\.items set to "2025-01-01T00:09:00Z" before any record of it was written/],
  ['bookmark-back', 'sync-bookmarks', /bookmarks\.items moved back from "2025-01-01T00:09:00Z" to "2025-01-01T00:00:00Z"/],
  ['bookmark-stale', 'sync-bookmarks', /final STATE: bookmarks\.items = "2025-01-01T00:00:00Z" is below the largest updated written \(2025-01-01T00:09:00\.000Z\)/],
  ['resume-ignores-state', 'resume', /RECORD 'items' has updated "2025-01-01T00:00:00Z", before bookmarks\.items = "2025-01-01T00:09:00Z" it resumed from/],
  ['stream-leak', 'selection', /SCHEMA of stream 'tags' is deselected in the catalog but was written/],
  ['field-leak', 'selection', /SCHEMA 'items' still has the deselected property 'name'/],
  ['test-many', 'test-mode', /--test wrote 10 records of 'items' \(at most one per stream\)/],
  ['stack-trace', 'bad-config-empty', /stderr holds a stack trace/],
  ['stack-trace', 'bad-config-type', /page_size="not-a-number" \(integer expected\): stderr holds a stack trace/],
  ['silent-failure', 'bad-config-empty', /no CRITICAL, FATAL or ERROR line on stderr says what is wrong/],
  ['accept-bad-config', 'bad-config-type', /the tap exits 0: the config was accepted/],
  ['leak-secret', 'secrets', /the value of 'token' appears on the stderr of `--config \S+ --discover`/],
];

/** Checks run beside the one under test, for the runs it reads (the secrets check reads the runs made). */
const ALSO: Record<string, string[]> = { secrets: ['discover'] };

describe.concurrent('each check fails on a tap that violates it', () => {
  it.each(DEFECTS)('%s: %s', { timeout: 60_000 }, async (defect, id, reason, status = 'fail') => {
    const report = await check(defect, [id, ...(ALSO[id] ?? [])]);
    const r = result(report, id);
    expect(r?.status, r?.reason).toBe(status);
    expect(r?.reason).toMatch(reason);
    expect(report.ok).toBe(status !== 'fail');
    // The reason is the first of the details, each one line.
    expect(r?.details.every((d) => !d.includes('\n'))).toBe(true);
  });
});
