// `tap-kit new`: the choices (flags, questions on a terminal, defaults), the files each combination
// writes, and the refusals. That every combination builds and passes its own tests is
// test/e2e/scaffold-combinations.test.ts (slow).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { fill, newTap } from '../../../src/kit/scaffold/new-tap.js';
import { Asker, askMissing } from '../../../src/kit/scaffold/ask.js';
import { AUTH_CHOICES, AUTH_NAMES } from '../../../src/kit/scaffold/auth-choices.js';
import { PAGING_CHOICES, PAGING_NAMES } from '../../../src/kit/scaffold/paging-choices.js';
import { UserError } from '../../../src/kit/core/errors.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TAP_KIT = path.join(ROOT, 'src/kit/bin/tap-kit.js');
const work = mkdtempSync(path.join(tmpdir(), 'scaffold-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(path.join(dir, f)).isFile());
}

/** `tap-kit new ARGS` with stdin not a terminal; never rejects. */
async function tapKitNew(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TAP_KIT, 'new', ...args], { cwd: work });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('fill', () => {
  it('a placeholder alone on its line takes the indentation for every line, and goes when empty', () => {
    const text = 'a {\n  __BODY__\n  __NONE__\n  end: __X__,\n}\n';
    expect(fill(text, { __BODY__: 'one,\ntwo,', __NONE__: '', __X__: 'x' })).toBe('a {\n  one,\n  two,\n  end: x,\n}\n');
    expect(fill('keep __UNKNOWN__ and __proto__\n', {})).toBe('keep __UNKNOWN__ and __proto__\n');
  });
});

describe('every combination writes a tap on the kit\'s declarations', () => {
  const combinations = AUTH_NAMES.flatMap((auth) => PAGING_NAMES.map((paging) => ({ auth, paging })));
  it.each(combinations)('--auth $auth --paging $paging', ({ auth, paging }) => {
    const dir = path.join(work, `tap-${auth}-${paging}`);
    const { files } = newTap({ name: 'tap-acme', dir, auth, paging, kitSpec: '^0.1.0' });
    expect(files).toEqual(['.gitignore', 'README.md', 'bin/tap-acme', 'catalogs/items.json', 'package.json', 'sample-config.json', 'src/main.ts', 'src/tap.ts', 'test/server.mjs', 'test/tap.test.mjs', 'tsconfig.json']);
    for (const file of allFiles(dir)) expect(read(dir, file), file).not.toMatch(/__[A-Z_]+__/);
    const tap = read(dir, 'src/tap.ts');
    const choice = AUTH_CHOICES[auth];
    const pages = PAGING_CHOICES[paging];
    expect(tap).toContain(`import { ${['defineTap', 'defineSettings', 'rest', ...new Set([...choice.imports, ...pages.imports]), 'type SettingsOf'].join(', ')} } from '@singer-io-compatible/tap-kit';`);
    // Settings declared once: the schema, and the type inferred from it.
    expect(tap).toContain('export type Settings = SettingsOf<typeof settings>;');
    expect(tap).not.toContain('interface Settings');
    expect(tap).toContain(`auth: ${choice.expression} })`);
    for (const line of pages.declaration) expect(tap).toContain(`      ${line}\n`);
    for (const setting of choice.settings) expect(tap).toContain(`    ${setting.name}: {`);
    expect(tap).not.toMatch(/\n\s*\n\s*\n/);
    const sample = JSON.parse(read(dir, 'sample-config.json')) as Record<string, string>;
    expect(Object.keys(sample).sort()).toEqual([...Object.keys(choice.sample), 'base_url'].sort());
    expect(read(dir, 'README.md')).toContain(`tap-kit new tap-acme --stream rest --auth ${auth} --paging ${paging}`);
  });

  it('the stand-in API of each authentication takes the right credentials only', async () => {
    for (const auth of AUTH_NAMES) {
      const dir = path.join(work, `tap-${auth}-cursor`);
      const server = (await import(path.join(dir, 'test/server.mjs'))) as { startServer(): Promise<{ url: string; close(): void }>; TOKEN: string; USERNAME?: string; CLIENT_ID?: string };
      const api = await server.startServer();
      try {
        const get = (init: RequestInit = {}, query = '') => fetch(`${api.url}/items?limit=10${query}`, init);
        const good: Record<string, () => Promise<Response>> = {
          none: () => get(),
          'api-key-header': () => get({ headers: { 'x-api-key': server.TOKEN } }),
          'api-key-query': () => get({}, `&api_key=${server.TOKEN}`),
          bearer: () => get({ headers: { authorization: `Bearer ${server.TOKEN}` } }),
          basic: () => get({ headers: { authorization: `Basic ${Buffer.from(`${server.USERNAME}:${server.TOKEN}`).toString('base64')}` } }),
          'oauth2-client-credentials': async () => {
            const token = await fetch(`${api.url}/oauth/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${server.CLIENT_ID}:${server.TOKEN}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
            const { access_token } = (await token.json()) as { access_token: string };
            return get({ headers: { authorization: `Bearer ${access_token}` } });
          },
        };
        const ok = await (good[auth] as () => Promise<Response>)();
        expect(ok.status, auth).toBe(200);
        expect(((await ok.json()) as { data: unknown[] }).data).toHaveLength(10);
        expect((await get()).status, auth).toBe(auth === 'none' ? 200 : 401);
      } finally {
        api.close();
      }
    }
  });
});

describe('choices', () => {
  it('no terminal and no flags: the defaults (REST, bearer, next URL), as before the flags', async () => {
    const result = await tapKitNew(['tap-plain', '--dir', path.join(work, 'plain'), '--kit', '^0.1.0']);
    expect(result.code, result.stderr).toBe(0);
    expect(read(path.join(work, 'plain'), 'README.md')).toContain('tap-kit new tap-plain --stream rest --auth bearer --paging next-url');
    expect(read(path.join(work, 'plain'), 'src/tap.ts')).toContain("import { defineTap, defineSettings, rest, bearer, nextUrl, type SettingsOf } from '@singer-io-compatible/tap-kit';");
  });

  it('graphql and generic streams are refused in one line saying they are coming; unknown values name the choices', async () => {
    for (const [args, message] of [
      [['--stream', 'graphql'], 'tap-kit: --stream graphql is not scaffolded yet: GraphQL streams (a query, records at a path, pageInfo cursors) are coming; use --stream rest for now'],
      [['--stream', 'generic'], 'tap-kit: --stream generic is not scaffolded yet: generic streams (records from your own async generator: files, databases, client libraries) are coming; use --stream rest for now'],
      [['--stream', 'soap'], "tap-kit: --stream must be one of rest, graphql, generic; got 'soap'"],
      [['--auth', 'digest'], "tap-kit: --auth must be one of none, api-key-header, api-key-query, bearer, basic, oauth2-client-credentials; got 'digest'"],
      [['--paging', 'scroll'], "tap-kit: --paging must be one of next-url, link-header, page-number, offset, cursor; got 'scroll'"],
    ] as const) {
      const dir = path.join(work, `refused-${args[1]}`);
      const result = await tapKitNew(['tap-x', '--dir', dir, ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`${message}\n`);
      expect(result.stdout).toBe('');
      expect(() => readdirSync(dir)).toThrow();
    }
  });

  function asker(answers: string): { asker: Asker; output: () => string } {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    input.end(answers);
    return { asker: new Asker(input, output), output: () => text };
  }

  it('asks for what the flags left out: a number, a name, or Enter for the default; a wrong answer is asked again', async () => {
    const a = asker('9\nbasic\n\n');
    expect(await askMissing({}, a.asker)).toEqual({ stream: 'rest', auth: 'basic', paging: 'next-url' });
    expect(a.output()).toContain('Stream kind: rest (graphql and generic are coming).');
    expect(a.output()).toContain('  6) oauth2-client-credentials  OAuth2 client credentials');
    expect(a.output()).toContain("'9' is not one of them\nchoose 1-6 [bearer]: ");
    const b = asker('3\n');
    expect(await askMissing({ auth: 'none' }, b.asker)).toEqual({ stream: 'rest', auth: 'none', paging: 'page-number' });
    expect(b.output()).not.toContain('credentials?');
  });

  it('a flag given wrong is refused before any question; input that ends is one clear error', async () => {
    const a = asker('1\n1\n');
    await expect(askMissing({ stream: 'graphql' }, a.asker)).rejects.toThrow(/--stream graphql is not scaffolded yet/);
    expect(a.output()).not.toContain('choose');
    await expect(askMissing({}, asker('').asker)).rejects.toThrow(UserError);
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('on a real terminal (script(1) gives it one), the questions are asked and the answers scaffold the tap', () => {
    const dir = path.join(work, 'tty');
    const result = spawnSync('script', ['-qec', `${process.execPath} ${TAP_KIT} new tap-tty --dir ${dir} --kit ^0.1.0`, '/dev/null'], { input: 'api-key-query\n5\n', encoding: 'utf8', timeout: 30_000 });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('How does the API take credentials?');
    expect(result.stdout).toContain('How do its pages link?');
    expect(read(dir, 'README.md')).toContain('tap-kit new tap-tty --stream rest --auth api-key-query --paging cursor');
  });
});
