// A child's path `{field}` the parent does not supply: a declaration mistake found at start-up (one
// line, exit 1), or, with a custom childContext, when the record is read (one line naming stream and
// placeholder, exit 1), never an internal error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, afterAll } from 'vitest';
import { defineTap, type TapDefinition } from '../../../src/kit/tap/tap.js';
import { rest, type StreamDef } from '../../../src/kit/tap/stream.js';
import { noAuth } from '../../../src/kit/http/auth.js';
import { UserError } from '../../../src/kit/core/errors.js';
import { userError } from './support.js';
import { sendJson, syncWith, recordsOf } from './sync-harness.js';

type S = Record<string, unknown>;
const schema = { type: 'object', properties: { id: { type: 'integer' }, org: { type: 'string' }, name: { type: 'string' } } };
const declare = (streams: Array<StreamDef<S>>): TapDefinition<S> => ({
  name: 'tap-t', description: 'd', version: '1', catalogDir: new URL('file:///nowhere/'),
  settings: { type: 'object', properties: {} }, client: () => ({ baseUrl: 'http://x', auth: noAuth }), streams,
});
const parent = (extra: Partial<Parameters<typeof rest<S>>[0]> = {}) => rest<S>({ name: 'projects', path: '/projects', primaryKey: ['id'], schema, records: 'items', ...extra });

describe('defineTap checks every path placeholder against what the parent passes', () => {
  it('a placeholder outside the parent\'s primary key: one line naming stream, path, placeholder and parent', () => {
    const e = userError(() => defineTap(declare([parent(), rest<S>({ name: 'tasks', parent: 'projects', path: '/orgs/{org}/projects/{id}/tasks', primaryKey: ['id'], schema })])));
    expect(e.message).toBe("tap-t: stream 'tasks': path /orgs/{org}/projects/{id}/tasks: placeholder {org} is not supplied by its parent 'projects', which passes its primary key (id); declare childContext on 'projects' to pass other fields");
  });
  it('a placeholder in a stream without a parent', () => {
    expect(userError(() => defineTap(declare([rest<S>({ name: 'lone', path: '/x/{id}', primaryKey: ['id'], schema })]))).message)
      .toBe("tap-t: stream 'lone': path /x/{id}: placeholder {id} has nothing to fill it: the stream has no parent (a {field} is filled from the parent record's context)");
  });
  it('the primary key, or any field when the parent declares childContext, is accepted', () => {
    expect(() => defineTap(declare([parent(), rest<S>({ name: 'tasks', parent: 'projects', path: '/p/{id}/tasks', primaryKey: ['id'], schema })]))).not.toThrow();
    expect(() => defineTap(declare([parent({ childContext: (r) => ({ org: r.org ?? null }) }), rest<S>({ name: 'tasks', parent: 'projects', path: '/o/{org}', primaryKey: ['id'], schema })]))).not.toThrow();
  });
});

describe('a childContext that does not pass a placeholder\'s field', () => {
  it('is a UserError naming the child stream and the placeholder when the record is read', async () => {
    const result = await syncWith({
      streams: [
        parent({ childContext: (r) => ({ org: r.org ?? null }) }),
        rest<S>({ name: 'tasks', parent: 'projects', path: '/orgs/{org}/tasks', primaryKey: ['id'], schema, records: 'items' }),
      ],
      handler: (_req, res, url) => sendJson(res, url.pathname === '/projects' ? { items: [{ id: 1, org: 'a' }, { id: 2 }] } : { items: [{ id: 10 }] }),
    });
    expect(result.error).toBeInstanceOf(UserError);
    expect(result.error!.message).toBe("stream 'tasks': path /orgs/{org}/tasks: placeholder {org} has no value: the parent record passed 'org' as null (its context: [\"org\"])");
    expect(recordsOf(result, 'tasks')).toHaveLength(1);
  });
});

describe('the command line: one CRITICAL line, exit 1, no stack trace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kit-placeholders-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const kit = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/kit/dist/index.js');
  const run = (body: string) => {
    const file = path.join(dir, `tap-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(file, `import http from 'node:http';\nimport { defineTap, rest, runTap, noAuth } from ${JSON.stringify(kit)};\n${body}`);
    writeFileSync(path.join(dir, 'config.json'), '{}');
    return spawnSync(process.execPath, [file, '--config', path.join(dir, 'config.json')], { encoding: 'utf8', timeout: 20_000 });
  };
  const declaration = (baseUrl: string, childContext: string) => `defineTap({
    name: 'tap-t', description: 'd', version: '1', catalogDir: new URL('file:///nowhere/'), settings: { type: 'object', properties: {} },
    client: () => ({ baseUrl: ${baseUrl}, auth: noAuth }),
    streams: [
      rest({ name: 'projects', path: '/projects', primaryKey: ['id'], records: 'items', ${childContext} schema: ${JSON.stringify(schema)} }),
      rest({ name: 'tasks', parent: 'projects', path: '/orgs/{org}/tasks', primaryKey: ['id'], records: 'items', schema: ${JSON.stringify(schema)} }),
    ],
  })`;

  it('at start-up, for a declaration whose child path names a field the parent does not pass', () => {
    const ran = run(`await runTap({ name: 'tap-t', build: async () => ${declaration("'http://127.0.0.1:9'", '')} });`);
    expect(ran.status).toBe(1);
    expect(ran.stdout).toBe('');
    expect(ran.stderr.trim().split('\n')).toEqual([expect.stringMatching(/CRITICAL tap-t tap-t: stream 'tasks': path \/orgs\/\{org\}\/tasks: placeholder \{org\} is not supplied by its parent 'projects'/)]);
  });

  it('when the parent record is read, for a childContext that passes null', () => {
    const ran = run(`const server = http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(req.url === '/projects' ? { items: [{ id: 1 }] } : { items: [] })); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
server.unref();
await runTap(${declaration("'http://127.0.0.1:' + server.address().port", "childContext: (r) => ({ org: r.org ?? null }),")});`);
    expect(ran.status, ran.stderr).toBe(1);
    const critical = ran.stderr.split('\n').filter((l) => l.includes('CRITICAL'));
    expect(critical).toEqual([expect.stringContaining("stream 'tasks': path /orgs/{org}/tasks: placeholder {org} has no value")]);
    expect(ran.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
