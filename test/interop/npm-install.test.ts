// Installable like any npm CLI: `npm pack`, `npm install -g` into a temporary prefix, then the taps
// run from PATH with no source tree and no dev dependencies, alone and under Meltano.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { ROOT, requireInterop, startPlayground, run, tempDir, writeJson, type Playground } from './support.js';

const { env, skip } = requireInterop();
const TOKEN = 'npm-secret-token';

describe.skipIf(skip)('npm pack + npm install -g', () => {
  let pg: Playground;
  let work: string;
  let pathEnv: NodeJS.ProcessEnv;
  let tarballPath: string;

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground(TOKEN);
    work = tempDir('npm-install');
    const packed = await run('npm', ['pack', '--silent', '--pack-destination', work]);
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    tarballPath = join(work, tarball as string);
    const prefix = join(work, 'prefix');
    const installed = await run('npm', ['install', '-g', '--silent', '--no-audit', '--no-fund', '--prefix', prefix, join(work, tarball as string)], { cwd: work });
    expect(installed.code, installed.stderr).toBe(0);
    // Nothing of the source tree on PATH or as cwd: only the installed package.
    pathEnv = { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` };
  });
  afterAll(() => pg?.stop());

  it('puts every tap on PATH, without dev dependencies', async () => {
    const pkgDir = join(work, 'prefix/lib/node_modules/singer-taps-ts');
    const deps = readdirSync(join(pkgDir, 'node_modules'));
    expect(deps).toContain('got');
    expect(deps).not.toContain('vitest');
    expect(deps).not.toContain('typescript');
    for (const tap of ['tap-playground', 'tap-betterstack', 'tap-rest']) {
      const about = await run(tap, ['--about', '--format', 'json'], { cwd: work, env: pathEnv });
      expect(about.code, about.stderr).toBe(0);
      expect((JSON.parse(about.stdout) as { name: string }).name).toBe(tap);
    }
  });

  it('syncs from the installed binary', async () => {
    const config = writeJson(work, 'bs.json', { api_key: TOKEN, base_url: pg.url });
    const synced = await run('tap-betterstack', ['--config', config], { cwd: work, env: pathEnv });
    expect(synced.code, synced.stderr.slice(-2000)).toBe(0);
    const records = synced.stdout.split('\n').filter((l) => l.startsWith('{"type":"RECORD","stream":"monitors"'));
    expect(records).toHaveLength(520);
  });

  it('works under Meltano with `executable: tap-betterstack` found on PATH', async () => {
    const project = tempDir('meltano-path');
    const yml = readFileSync(join(ROOT, 'meltano.yml'), 'utf8').replace(/executable: bin\/(tap-[a-z-]+)/g, 'executable: $1');
    expect(yml).toContain('executable: tap-betterstack');
    writeFileSync(join(project, 'meltano.yml'), yml);
    const menv = { ...pathEnv, MELTANO_SEND_ANONYMOUS_USAGE_STATS: 'false', TAP_BETTERSTACK_BASE_URL: pg.url, TAP_BETTERSTACK_API_KEY: TOKEN,
      TARGET_JSONL_DESTINATION_PATH: join(project, 'out') };
    expect((await run(env!.meltano, ['install', 'loader', 'target-jsonl'], { cwd: project, env: menv })).code).toBe(0);
    const ran = await run(env!.meltano, ['run', 'tap-betterstack', 'target-jsonl'], { cwd: project, env: menv });
    expect(ran.code, ran.stderr.slice(-2000)).toBe(0);
    const file = readdirSync(join(project, 'out')).find((f) => f.startsWith('monitors'));
    const lines = readFileSync(join(project, 'out', file ?? 'monitors.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(520);
  });

  it('the kit is a library: a third-party tap written against `singer-taps-ts/kit` runs', async () => {
    const project = tempDir('third-party-tap');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tap-demo-users', version: '1.0.0', type: 'module', private: true }));
    const installed = await run('npm', ['install', '--silent', '--no-audit', '--no-fund', tarballPath], { cwd: project });
    expect(installed.code, installed.stderr).toBe(0);
    mkdirSync(join(project, 'schemas'));
    writeFileSync(join(project, 'schemas', 'users.json'), JSON.stringify({
      type: 'object', properties: { id: { type: 'string' }, name: { type: ['null', 'string'] }, updatedAt: { type: ['null', 'string'], format: 'date-time' } },
    }));
    writeFileSync(join(project, 'tap.js'), [
      "import { defineTap, rest, bearer, runTap } from 'singer-taps-ts/kit';",
      'const tap = defineTap({',
      "  name: 'tap-demo-users', description: 'users', version: '1.0.0',",
      "  catalogDir: new URL('./schemas/', import.meta.url),",
      "  settings: { type: 'object', properties: { token: { type: 'string', secret: true }, base_url: { type: 'string' } }, required: ['token', 'base_url'] },",
      '  client: (s) => ({ baseUrl: s.base_url, auth: bearer(s.token) }),',
      "  streams: [rest({ name: 'users', path: '/auth/http_bearer', primaryKey: ['id'], records: 'data' })],",
      '});',
      'await runTap(tap);',
    ].join('\n'));
    const config = writeJson(project, 'config.json', { token: TOKEN, base_url: pg.url });
    const synced = await run(process.execPath, ['tap.js', '--config', config], { cwd: project });
    expect(synced.code, synced.stderr.slice(-2000)).toBe(0);
    const records = synced.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; record?: Record<string, unknown> })
      .filter((m) => m.type === 'RECORD');
    expect(records).toHaveLength(20);
    expect(Object.keys(records[0]?.record ?? {}).sort()).toEqual(['id', 'name', 'updatedAt']);
  });
});
