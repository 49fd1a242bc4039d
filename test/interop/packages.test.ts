// The two packages, installed as users install them:
// - singer-taps-ts (the taps, the kit bundled): `npm pack`, `npm install -g` into a temporary prefix,
//   then the taps run from PATH with no source tree and no dev dependencies, alone and under Meltano;
// - @singer-io-compatible/tap-kit alone: its tarball holds no tap, playground or sample; installed
//   into an empty folder, a third-party tap written against it runs, and `tap-kit new` scaffolds a tap
//   that installs, builds, answers --about/--discover and passes its own test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { ROOT, requireInterop, startPlayground, run, tempDir, writeJson, type Playground } from './support.js';

const { env, skip } = requireInterop();
const TOKEN = 'npm-secret-token';
const KIT = '@singer-io-compatible/tap-kit';
const quiet = ['--silent', '--no-audit', '--no-fund'];

async function pack(args: string[], into: string): Promise<string> {
  const before = new Set(readdirSync(into));
  const packed = await run('npm', ['pack', '--silent', '--pack-destination', into, ...args]);
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = readdirSync(into).find((f) => f.endsWith('.tgz') && !before.has(f));
  expect(tarball).toBeDefined();
  return join(into, tarball as string);
}

describe.skipIf(skip)('singer-taps-ts: npm pack + npm install -g', () => {
  let pg: Playground;
  let work: string;
  let pathEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground(TOKEN);
    work = tempDir('npm-install');
    const tarball = await pack([], work);
    const prefix = join(work, 'prefix');
    const installed = await run('npm', ['install', '-g', ...quiet, '--prefix', prefix, tarball], { cwd: work });
    expect(installed.code, installed.stderr).toBe(0);
    // Nothing of the source tree on PATH or as cwd: only the installed package.
    pathEnv = { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` };
  });
  afterAll(() => pg?.stop());

  it('puts every tap and singer-playground on PATH, with the kit and without dev dependencies', async () => {
    const pkgDir = join(work, 'prefix/lib/node_modules/singer-taps-ts');
    const deps = readdirSync(join(pkgDir, 'node_modules'));
    expect(deps).toContain('got');
    expect(readdirSync(join(pkgDir, 'node_modules/@singer-io-compatible'))).toEqual(['tap-kit']);
    expect(deps).not.toContain('vitest');
    expect(deps).not.toContain('typescript');
    for (const tap of ['tap-playground', 'tap-betterstack', 'tap-harness', 'tap-rest']) {
      const about = await run(tap, ['--about', '--format', 'json'], { cwd: work, env: pathEnv });
      expect(about.code, about.stderr).toBe(0);
      expect((JSON.parse(about.stdout) as { name: string }).name).toBe(tap);
    }
    expect(readdirSync(join(work, 'prefix/bin'))).toContain('singer-playground');
    expect(readdirSync(join(work, 'prefix/bin'))).not.toContain('playground');
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
    // Without pip_url, Meltano runs the `executable` it finds on PATH: the npm-installed tap.
    const yml = readFileSync(join(ROOT, 'meltano.yml'), 'utf8').replace(/^ {4}pip_url: .*whl\n/gm, '');
    expect(yml).toContain('executable: tap-betterstack');
    expect(yml).not.toContain('.whl');
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
});

describe.skipIf(skip)('publishing readiness', () => {
  it.each([[[]], [['-w', KIT]]])('npm publish --dry-run %j is clean', async (args) => {
    const published = await run('npm', ['publish', '--dry-run', ...args]);
    expect(published.code, published.stderr.slice(-2000)).toBe(0);
    // Only the dry run's own note (nobody is logged in here) and this machine's npmrc may warn.
    const warnings = published.stderr.split('\n').filter((l) => l.startsWith('npm warn') && !/requires you to be logged in|Unknown (user|env) config/.test(l));
    expect(warnings).toEqual([]);
  });
});

describe.skipIf(skip)(`${KIT}: packed and installed alone`, () => {
  let pg: Playground;
  let work: string;
  let kitTarball: string;
  let project: string;

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground(TOKEN);
    work = tempDir('kit-package');
    kitTarball = await pack(['-w', KIT], work);
    project = tempDir('third-party-tap');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tap-demo-users', version: '1.0.0', type: 'module', private: true }));
    const installed = await run('npm', ['install', ...quiet, kitTarball], { cwd: project });
    expect(installed.code, installed.stderr).toBe(0);
  });
  afterAll(() => pg?.stop());

  it('holds the kit only: no tap, playground, catalog or sample config', async () => {
    const listing = await run('tar', ['tzf', kitTarball]);
    const files = listing.stdout.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/bin/tap-kit.js');
    expect(files.filter((f) => !f.startsWith('package/scaffold/template/') && /taps\/|playground|catalogs\/|sample-config|betterstack|\.test\./.test(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules', KIT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@faker-js/faker', 'ajv', 'ajv-formats', 'fast-xml-parser', 'got', 'json-schema-to-ts', 'jsonpath-plus', 'lossless-json', 'yargs']);
  });

  it('exports the conformance suite as @singer-io-compatible/tap-kit/testing', async () => {
    const listed = await run(process.execPath, ['--input-type=module', '-e', `const m = await import('${KIT}/testing'); console.log(Object.keys(m).sort().join(' '))`], { cwd: project });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim()).toBe('CHECK_IDS conformance conformanceTests formatTable registerConformance summaryLine');
  });

  it('a third-party tap written against it runs', async () => {
    mkdirSync(join(project, 'schemas'));
    writeFileSync(join(project, 'schemas', 'users.json'), JSON.stringify({
      type: 'object', properties: { id: { type: 'string' }, name: { type: ['null', 'string'] }, updatedAt: { type: ['null', 'string'], format: 'date-time' } },
    }));
    writeFileSync(join(project, 'tap.js'), [
      `import { defineTap, rest, bearer, runTap } from '${KIT}';`,
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

  it('`tap-kit new` scaffolds a tap that installs, builds, runs and passes its own test', async () => {
    const made = await run('npx', ['--no-install', 'tap-kit', 'new', 'tap-acme'], { cwd: project });
    expect(made.code, made.stderr).toBe(0);
    const tap = join(project, 'tap-acme');
    // The kit is not on the registry: the new tap depends on the tarball this kit was installed from.
    const deps = (JSON.parse(readFileSync(join(tap, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
    expect(deps[KIT]).toBe(`file:${kitTarball}`);
    expect(readdirSync(tap).sort()).toEqual(['.gitignore', 'README.md', 'bin', 'catalogs', 'package.json', 'sample-config.json', 'src', 'test', 'tsconfig.json']);
    const installed = await run('npm', ['install', ...quiet], { cwd: tap });
    expect(installed.code, installed.stderr).toBe(0);
    const built = await run('npm', ['run', 'build', '--silent'], { cwd: tap });
    expect(built.code, built.stdout + built.stderr).toBe(0);
    const about = await run(join(tap, 'bin/tap-acme'), ['--about', '--format', 'json'], { cwd: tap });
    expect(about.code, about.stderr).toBe(0);
    expect((JSON.parse(about.stdout) as { name: string }).name).toBe('tap-acme');
    const discovered = await run(join(tap, 'bin/tap-acme'), ['--config', 'sample-config.json', '--discover'], { cwd: tap });
    expect(discovered.code, discovered.stderr).toBe(0);
    expect((JSON.parse(discovered.stdout) as { streams: Array<{ tap_stream_id: string }> }).streams.map((s) => s.tap_stream_id)).toEqual(['items']);
    const tested = await run('npm', ['test', '--silent'], { cwd: tap });
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/# pass 4/);
    expect(tested.stdout).toMatch(/# fail 0/);
    // The installed kit's conformance suite passes on the scaffold (its stand-in API started here).
    const { startServer, TOKEN: API_TOKEN } = (await import(join(tap, 'test/server.mjs'))) as { startServer(): Promise<{ url: string; close(): void }>; TOKEN: string };
    const server = await startServer();
    try {
      const config = writeJson(tap, 'check-config.json', { api_token: API_TOKEN, base_url: server.url });
      const checked = await run('npx', ['--no-install', 'tap-kit', 'check', '--config', config, '--', join(tap, 'bin/tap-acme')], { cwd: tap });
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
      expect(checked.stdout).toContain('18 checks: 18 passed, 0 warned, 0 skipped, 0 failed');
    } finally {
      server.close();
    }
    // A second scaffold into the same folder is refused in one line.
    const again = await run('npx', ['--no-install', 'tap-kit', 'new', 'tap-acme'], { cwd: project });
    expect(again.code).toBe(1);
    // (npx may add its own `npm warn` lines about this machine's npm config.)
    expect(again.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toEqual([`tap-kit: ${tap} already exists and is not empty: choose another --dir`]);
  });
});
