/**
 * `tap-kit check` (the kit's conformance suite) on the real taps against the real playground, and
 * on a tap freshly scaffolded by `tap-kit new`: every check passes. The suite runs each tap as a
 * shell would (about, discovery, a sync, a resumed sync, selection, --test, bad configs) and reads
 * only its output; this file reads only the suite's JSON report and exit code.
 */
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, binPath, startPlayground, TempFiles, type PlaygroundProcess } from './helpers.js';

const run = promisify(execFile);
const TAP_KIT = path.join(ROOT, 'src/kit/bin/tap-kit.js');
const CHECKS = 18;

interface Report { ok: boolean; results: Array<{ id: string; status: string; reason: string; details: string[] }> }

/** Runs `tap-kit check ARGS -- COMMAND`; resolves with its exit code, stdout and stderr (never rejects on exit 1). */
async function check(args: string[], command: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TAP_KIT, 'check', ...args, '--', ...command], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The report's checks that did not pass, as `id: status: reason` lines (empty when all passed). */
const notPassed = (report: Report) => report.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status}: ${r.reason}`);

/** The Better Stack definition with its incidents' `lag` line removed, written to a temporary file. */
function withoutLag(): string {
  const text = readFileSync(path.join(ROOT, 'sample-config/betterstack.source.yaml'), 'utf8');
  const stripped = text.replace(/^\s*lag: \d+\n/m, '');
  if (stripped === text) throw new Error('the Better Stack definition has no lag line to remove');
  const file = tmp.path('betterstack-no-lag.source.yaml');
  writeFileSync(file, stripped);
  return file;
}

let pg: PlaygroundProcess;
let tmp: TempFiles;

beforeAll(async () => {
  tmp = new TempFiles('conformance-e2e-');
  pg = await startPlayground();
});
afterAll(async () => {
  await pg?.stop();
  tmp?.cleanup();
});

describe('tap-kit check passes on every tap of this repository', () => {
  const taps: Array<[string, () => Record<string, unknown>]> = [
    ['tap-playground', () => ({ bearer_token: pg.token, base_url: pg.url })],
    // Incidents are read again over a lookback window by default (records before the bookmark, by design): off here.
    ['tap-betterstack', () => ({ api_key: pg.token, base_url: pg.url, incidents_lookback_days: 0 })],
    ['tap-harness', () => ({ api_token: pg.token, account_id: 'playground-account', base_url: pg.url, dora: { ou_ids: ['ou-1'], widget_id: 'w-1' } })],
    // The Better Stack definition: incremental resources, so the bookmark checks have work. Its incidents
    // are read again over a 7-day `lag` (records before the bookmark, by design): the copy checked has no lag.
    ['tap-rest', () => ({ source: withoutLag(), api_key: pg.token, base_url: pg.url })],
  ];
  it.each(taps)('%s', { timeout: 240_000 }, async (tap, settings) => {
    const config = tmp.json(`${tap}.json`, settings());
    const result = await check(['--config', config, '--format', 'json'], [binPath(tap)]);
    const report = JSON.parse(result.stdout) as Report;
    expect(notPassed(report)).toEqual([]);
    expect(report.results).toHaveLength(CHECKS);
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('tap-kit check on a tap scaffolded by tap-kit new', () => {
  it('passes every check, and prints its table', { timeout: 240_000 }, async () => {
    const dir = tmp.path('tap-acme');
    await run(process.execPath, [TAP_KIT, 'new', 'tap-acme', '--dir', dir], { cwd: ROOT });
    // Run from the clone, the kit is this folder: the new tap depends on it there (unpublished, no registry copy).
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@singer-io-compatible/tap-kit']).toBe(`file:${realpathSync(path.join(ROOT, 'src/kit'))}`);
    // The repository's node_modules hold the kit (this workspace), TypeScript and @types/node: no install needed.
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')]);
    const { startServer, TOKEN } = (await import(path.join(dir, 'test/server.mjs'))) as {
      startServer(): Promise<{ url: string; close(): void }>;
      TOKEN: string;
    };
    const server = await startServer();
    try {
      const config = tmp.json('tap-acme.json', { api_token: TOKEN, base_url: server.url });
      const result = await check(['--config', config], [path.join(dir, 'bin/tap-acme')]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const rows = result.stdout.split('\n');
      expect(rows[0]).toBe(`tap-kit check: ${path.join(dir, 'bin/tap-acme')}`);
      expect(rows.filter((r) => /^[a-z-]+ +pass +\S/.test(r))).toHaveLength(CHECKS);
      expect(rows).toContain(`${CHECKS} checks: ${CHECKS} passed, 0 warned, 0 skipped, 0 failed`);
      expect(result.stdout).toMatch(/selection +pass +one stream only: none deselected; 'items\.name' absent from its SCHEMA and 250 records/);
    } finally {
      server.close();
    }
  });
});

describe('tap-kit check reports a failure', () => {
  it('Better Stack incidents re-read over a lookback window: the resumed sync writes records before the bookmark, exit 1', { timeout: 240_000 }, async () => {
    const config = tmp.json('betterstack-lookback.json', { api_key: pg.token, base_url: pg.url });
    const others = ['help', 'version', 'discover-schemas', 'discover-metadata', 'discover-keys', 'stream-names', 'sync-records', 'sync-keys', 'sync-bookmarks', 'selection', 'test-mode', 'bad-config-empty', 'bad-config-type', 'secrets'];
    const result = await check(['--config', config, '--skip-check', others.join(','), '--skip-stream', 'monitors,status_pages,monitor_groups,heartbeats,heartbeat_groups,on_call_calendars,on_call_users'], [binPath('tap-betterstack')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\nresume +FAIL +line \d+: RECORD 'incidents' has started_at "[^"]+", before bookmarks\.incidents = "[^"]+" it resumed from/);
    expect(result.stderr.trim().split('\n')).toEqual([`tap-kit: ${CHECKS} checks: 3 passed, 0 warned, 14 skipped, 1 failed`]);
  });

  it('a usage mistake is one line and exit 1, before any run', async () => {
    const config = tmp.json('any.json', {});
    for (const [args, command, message] of [
      [['--config', config], [], 'tap-kit: name the tap to check after --: tap-kit check --config CONFIG -- <tap command>'],
      [['--config', tmp.path('missing.json')], ['bin/tap-x'], `tap-kit: --config ${tmp.path('missing.json')}: not found`],
      [['--config', config, '--skip-check', 'nope'], ['bin/tap-x'], 'tap-kit: --skip-check: unknown check nope (checks: about, version, help, discover, discover-schemas, discover-metadata, discover-keys, stream-names, sync, sync-records, sync-keys, sync-bookmarks, resume, selection, test-mode, bad-config-empty, bad-config-type, secrets)'],
    ] as const) {
      const result = await check([...args], [...command]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(message);
      expect(result.stdout).toBe('');
    }
  });

  it('a tap command that does not exist fails every check that runs it, naming why', { timeout: 60_000 }, async () => {
    const result = await check(['--config', tmp.json('any2.json', {}), '--format', 'json'], [tmp.path('no-such-tap')]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.results.find((r) => r.id === 'about')?.reason).toBe(`--about --format json: cannot run ${tmp.path('no-such-tap')}: not found`);
    expect(report.results.find((r) => r.id === 'sync')?.status).toBe('skip');
  });
});
