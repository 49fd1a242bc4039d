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

describe('graphql and generic write their own templates', () => {
  it.each(AUTH_NAMES)('--stream graphql --auth %s', (auth) => {
    const dir = path.join(work, `tap-graphql-${auth}`);
    const { files } = newTap({ name: 'tap-acme', dir, stream: 'graphql', auth, kitSpec: '^0.1.0' });
    expect(files).toEqual(['.gitignore', 'README.md', 'bin/tap-acme', 'catalogs/items.json', 'package.json', 'sample-config.json', 'src/main.ts', 'src/tap.ts', 'test/server.mjs', 'test/tap.test.mjs', 'tsconfig.json']);
    for (const file of allFiles(dir)) expect(read(dir, file), file).not.toMatch(/__[A-Z_]+__/);
    const tap = read(dir, 'src/tap.ts');
    const choice = AUTH_CHOICES[auth];
    expect(tap).toContain(`import { ${['defineTap', 'defineSettings', 'graphql', ...choice.imports, 'toIsoSeconds', 'type SettingsOf'].join(', ')} } from '@singer-io-compatible/tap-kit';`);
    expect(tap).toContain('export type Settings = SettingsOf<typeof settings>;');
    expect(tap).toContain(`auth: ${choice.expression} })`);
    expect(tap).toContain("connection: 'items',");
    expect(tap).not.toMatch(/paginator|\n\s*\n\s*\n/);
    expect(read(dir, 'test/server.mjs')).toContain("url.pathname !== '/graphql'");
    const sample = JSON.parse(read(dir, 'sample-config.json')) as Record<string, string>;
    expect(Object.keys(sample).sort()).toEqual([...Object.keys(choice.sample), 'base_url'].sort());
    expect(read(dir, 'README.md')).toContain(`tap-kit new tap-acme --stream graphql --auth ${auth}\``);
  });

  it('the GraphQL stand-in pages the items query by its variables and takes the right credentials only', async () => {
    const server = (await import(path.join(work, 'tap-graphql-bearer', 'test/server.mjs'))) as { startServer(): Promise<{ url: string; close(): void }>; TOKEN: string; ITEMS: Array<{ id: number; updated_at: string }> };
    const api = await server.startServer();
    try {
      const post = (body: unknown, token = server.TOKEN) => fetch(`${api.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const query = 'query($first: Int, $after: String, $since: DateTime) { items(first: $first, after: $after, since: $since) { nodes { id } pageInfo { hasNextPage endCursor } } }';
      type Connection = { data: { items: { nodes: Array<{ id: number }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
      const first = (await (await post({ query, variables: { first: 100 } })).json()) as Connection;
      expect(first.data.items.nodes.map((n) => n.id)).toEqual(server.ITEMS.slice(0, 100).map((i) => i.id));
      expect(first.data.items.pageInfo.hasNextPage).toBe(true);
      const next = (await (await post({ query, variables: { first: 100, after: first.data.items.pageInfo.endCursor } })).json()) as Connection;
      expect(next.data.items.nodes[0]?.id).toBe(101);
      const since = (await (await post({ query, variables: { first: 100, since: server.ITEMS.at(-2)?.updated_at } })).json()) as Connection;
      expect(since.data.items.nodes.map((n) => n.id)).toEqual([249, 250]);
      expect(since.data.items.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
      expect(await (await post({ query: '{ viewer { login } }' })).json()).toEqual({ errors: [{ type: 'NOT_FOUND', message: 'this stand-in answers the items query only' }] });
      expect((await post({ query }, 'wrong')).status).toBe(401);
    } finally {
      api.close();
    }
  });

  it('--stream generic: a tap over JSON Lines files, no API, credentials or stand-in server', () => {
    const dir = path.join(work, 'tap-generic');
    const { files } = newTap({ name: 'tap-acme', dir, stream: 'generic', kitSpec: '^0.1.0' });
    expect(files).toEqual(['.gitignore', 'README.md', 'bin/tap-acme', 'catalogs/items.json', 'package.json', 'sample-config.json', 'src/main.ts', 'src/tap.ts', 'test/tap.test.mjs', 'tsconfig.json']);
    for (const file of allFiles(dir)) expect(read(dir, file), file).not.toMatch(/__[A-Z_]+__/);
    const tap = read(dir, 'src/tap.ts');
    expect(tap).toContain('partitions: (s) => s.files.map((file) => ({ file })),');
    expect(tap).toContain('jsonLines(file, { after: ctx.start, signal: ctx.signal })');
    expect(JSON.parse(read(dir, 'sample-config.json'))).toEqual({ files: ['items.jsonl'] });
    expect(read(dir, 'README.md')).not.toContain('server.mjs');
    expect(read(dir, 'test/tap.test.mjs')).not.toContain('server.mjs');
    expect(() => newTap({ name: 'tap-acme', dir: path.join(work, 'tap-generic-auth'), stream: 'generic', auth: 'none' })).toThrow(/--auth does not apply to --stream generic/);
  });
});

describe('choices', () => {
  it('no terminal and no flags: the defaults (REST, bearer, next URL), as before the flags', async () => {
    const result = await tapKitNew(['tap-plain', '--dir', path.join(work, 'plain'), '--kit', '^0.1.0']);
    expect(result.code, result.stderr).toBe(0);
    expect(read(path.join(work, 'plain'), 'README.md')).toContain('tap-kit new tap-plain --stream rest --auth bearer --paging next-url');
    expect(read(path.join(work, 'plain'), 'src/tap.ts')).toContain("import { defineTap, defineSettings, rest, bearer, nextUrl, type SettingsOf } from '@singer-io-compatible/tap-kit';");
  });

  it('flags that do not apply to the stream kind are refused in one line with the reason; unknown values name the choices', async () => {
    for (const [args, message] of [
      [['--stream', 'graphql', '--paging', 'cursor'], "tap-kit: --paging does not apply to --stream graphql: GraphQL pages are the connection's pageInfo cursors ($first, $after); leave it out"],
      [['--stream', 'generic', '--auth', 'bearer'], "tap-kit: --auth does not apply to --stream generic: a generic stream's records come from its own code (files), not from an API; leave it out"],
      [['--stream', 'generic', '--paging', 'offset'], "tap-kit: --paging does not apply to --stream generic: a generic stream's records come from its own code (files), not from pages of an API; leave it out"],
      [['--stream', 'soap'], "tap-kit: --stream must be one of rest, graphql, generic; got 'soap'"],
      [['--auth', 'digest'], "tap-kit: --auth must be one of none, api-key-header, api-key-query, bearer, basic, oauth2-client-credentials; got 'digest'"],
      [['--paging', 'scroll'], "tap-kit: --paging must be one of next-url, link-header, page-number, offset, cursor; got 'scroll'"],
    ] as const) {
      const dir = path.join(work, `refused-${args.join('')}`);
      const result = await tapKitNew(['tap-x', '--dir', dir, ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`${message}\n`);
      expect(result.stdout).toBe('');
      expect(() => readdirSync(dir)).toThrow();
    }
  });

  it('--stream graphql and --stream generic scaffold from the flags', async () => {
    const graphqlTap = await tapKitNew(['tap-gq', '--dir', path.join(work, 'gq-flags'), '--kit', '^0.1.0', '--stream', 'graphql', '--auth', 'basic']);
    expect(graphqlTap.code, graphqlTap.stderr).toBe(0);
    expect(read(path.join(work, 'gq-flags'), 'README.md')).toContain('tap-kit new tap-gq --stream graphql --auth basic`');
    const genericTap = await tapKitNew(['tap-gen', '--dir', path.join(work, 'gen-flags'), '--kit', '^0.1.0', '--stream', 'generic']);
    expect(genericTap.code, genericTap.stderr).toBe(0);
    expect(read(path.join(work, 'gen-flags'), 'README.md')).toContain('tap-kit new tap-gen --stream generic`');
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
    const a = asker('\n9\nbasic\n\n');
    expect(await askMissing({}, a.asker)).toEqual({ stream: 'rest', auth: 'basic', paging: 'next-url' });
    expect(a.output()).toContain('Stream kind?\n  1) rest     REST: records from JSON pages of an HTTP endpoint\n  2) graphql  GraphQL:');
    expect(a.output()).toContain('  3) generic  generic: records from your own async generator');
    expect(a.output()).toContain('  6) oauth2-client-credentials  OAuth2 client credentials');
    expect(a.output()).toContain("'9' is not one of them\nchoose 1-6 [bearer]: ");
    const b = asker('rest\n3\n');
    expect(await askMissing({ auth: 'none' }, b.asker)).toEqual({ stream: 'rest', auth: 'none', paging: 'page-number' });
    expect(b.output()).not.toContain('credentials?');
  });

  it('graphql asks for credentials, not pages; generic asks for neither, and says why', async () => {
    const g = asker('2\n4\n');
    expect(await askMissing({}, g.asker)).toEqual({ stream: 'graphql', auth: 'bearer', paging: undefined });
    expect(g.output()).toContain('How does the API take credentials?');
    expect(g.output()).toContain("Paging: none to choose (GraphQL pages are the connection's pageInfo cursors ($first, $after)).");
    expect(g.output()).not.toContain('How do its pages link?');
    const n = asker('generic\n');
    expect(await askMissing({}, n.asker)).toEqual({ stream: 'generic', auth: undefined, paging: undefined });
    expect(n.output()).toContain("Auth: none (a generic stream's records come from its own code (files), not from an API).");
    expect(n.output()).not.toContain('credentials?');
    // A flag the chosen kind does not take is refused once the kind is chosen.
    await expect(askMissing({ paging: 'cursor' }, asker('graphql\n').asker)).rejects.toThrow(/--paging does not apply to --stream graphql/);
  });

  it('a flag given wrong is refused before any question; input that ends is one clear error', async () => {
    const a = asker('1\n1\n');
    await expect(askMissing({ stream: 'generic', auth: 'basic' }, a.asker)).rejects.toThrow(/--auth does not apply to --stream generic/);
    expect(a.output()).not.toContain('choose');
    await expect(askMissing({}, asker('').asker)).rejects.toThrow(UserError);
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('on a real terminal (script(1) gives it one), the questions are asked and the answers scaffold the tap', () => {
    const dir = path.join(work, 'tty');
    const result = spawnSync('script', ['-qec', `${process.execPath} ${TAP_KIT} new tap-tty --dir ${dir} --kit ^0.1.0`, '/dev/null'], { input: '\napi-key-query\n5\n', encoding: 'utf8', timeout: 30_000 });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('How does the API take credentials?');
    expect(result.stdout).toContain('How do its pages link?');
    expect(read(dir, 'README.md')).toContain('tap-kit new tap-tty --stream rest --auth api-key-query --paging cursor');
  });
});
