// The playground's GraphQL API (GitHub GraphQL v4 shapes), over real HTTP requests.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPlayground, type Playground } from '../../src/playground/server.js';

const TOKEN = 'graphql-token';
let pg: Playground;
beforeAll(async () => {
  pg = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
});
afterAll(async () => {
  await pg?.close();
});

interface Answer { status: number; headers: Headers; body: any }

async function post(body: unknown, authorization: string | null = `bearer ${TOKEN}`, url = pg.url): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const query = (q: string, variables?: Record<string, unknown>) => post({ query: q, variables });

const ISSUES = `query($owner: String!, $name: String!, $first: Int!, $after: String, $since: DateTime) {
  repository(owner: $owner, name: $name) {
    issues(first: $first, after: $after, filterBy: {since: $since}, orderBy: {field: UPDATED_AT, direction: ASC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { number updatedAt } }
      nodes { id databaseId number title state updatedAt author { login } labels(first: 10) { nodes { name } } }
    }
  }
  rateLimit { cost remaining resetAt limit used }
}`;

/** Every issue of a repository, page by page, as a client would read them. */
async function allIssues(name: string, first: number, since?: string): Promise<Array<{ number: number; updatedAt: string }>> {
  const out: Array<{ number: number; updatedAt: string }> = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const { body } = await query(ISSUES, { owner: 'acme', name, first, after, since });
    expect(body.errors).toBeUndefined();
    const conn = body.data.repository.issues;
    out.push(...conn.nodes);
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('never ended');
}

describe('GraphQL API: auth', () => {
  it('401 without a token, or with another one (GitHub\'s bodies)', async () => {
    const missing = await post({ query: '{ viewer { login } }' }, null);
    expect(missing.status).toBe(401);
    expect(missing.body.message).toBe('Requires authentication');
    const bad = await post({ query: '{ viewer { login } }' }, 'bearer nope');
    expect(bad.status).toBe(401);
    expect(bad.body.message).toBe('Bad credentials');
    expect((await post({ query: '{ viewer { login } }' }, `token ${TOKEN}`)).body.data.viewer.login).toBe('octo-playground');
  });
});

describe('GraphQL API: connections', () => {
  it('repositories page by first/after with nodes, edges, pageInfo and totalCount', async () => {
    const q = 'query($after: String) { organization(login: "acme") { repositories(first: 5, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } nodes { name nameWithOwner } } } }';
    const names: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const { status, body } = await query(q, { after });
      expect(status).toBe(200);
      const conn = body.data.organization.repositories;
      total = conn.totalCount;
      expect(conn.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(conn.nodes.map((n: { name: string }) => n.name));
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
      names.push(...conn.nodes.map((n: { nameWithOwner: string }) => n.nameWithOwner));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(total).toBe(12);
    expect(names).toHaveLength(12);
    expect(new Set(names).size).toBe(12);
    expect(names[0]).toBe('acme/api');
  });

  it('issues in updatedAt order, the same whatever the page size; an empty repository has an empty connection', async () => {
    const big = await allIssues('cache', 100);
    expect(big).toHaveLength(150);
    expect(big.map((i) => i.updatedAt)).toEqual([...big.map((i) => i.updatedAt)].sort());
    expect(await allIssues('cache', 7)).toEqual(big);
    const { body } = await query(ISSUES, { owner: 'acme', name: 'api', first: 10 });
    expect(body.data.repository.issues).toMatchObject({ totalCount: 0, nodes: [], edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('filterBy.since keeps issues updated at or after it (incremental reads)', async () => {
    const all = await allIssues('cache', 100);
    const since = all[100]!.updatedAt;
    const later = await allIssues('cache', 30, since);
    expect(later).toEqual(all.filter((i) => i.updatedAt >= since));
    expect(later[0]!.updatedAt).toBe(since);
  });

  it('data is deterministic from the seed', async () => {
    const other = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
    const third = await startPlayground({ port: 0, seed: 7, token: TOKEN, scale: 1 });
    try {
      const body = { query: ISSUES, variables: { owner: 'acme', name: 'docs', first: 50 } };
      const a = (await post(body)).body.data.repository.issues;
      expect((await post(body, `bearer ${TOKEN}`, other.url)).body.data.repository.issues).toEqual(a);
      expect((await post(body, `bearer ${TOKEN}`, third.url)).body.data.repository.issues).not.toEqual(a);
    } finally {
      await other.close();
      await third.close();
    }
  });

  it('mutate moves issues to now: an incremental read from the last bookmark finds them', async () => {
    const pgm = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
    try {
      const read = async (since?: string) => (await post({ query: ISSUES, variables: { owner: 'acme', name: 'cache', first: 100, since } }, `bearer ${TOKEN}`, pgm.url)).body.data.repository.issues.nodes as Array<{ updatedAt: string }>;
      const bookmark = (await read()).at(-1)!.updatedAt;
      const changed = (await (await fetch(`${pgm.url}/__playground/mutate?count=50`, { method: 'POST' })).json()) as { changed: Record<string, number> };
      expect(changed.changed.graphql).toBe(51);
      const after = await read(bookmark);
      expect(after.length).toBeGreaterThan(1);
      expect(after.at(-1)!.updatedAt > bookmark).toBe(true);
      const stats = (await (await fetch(`${pgm.url}/__playground/stats`)).json()) as { graphql: Record<string, number> };
      expect(stats.graphql.issues).toBe(379);
    } finally {
      await pgm.close();
    }
  });
});

describe('GraphQL API: errors are 200 with {errors: [{type, path, message}]}', () => {
  it('NOT_FOUND with data null at its path', async () => {
    const { status, body } = await query('{ repository(owner: "acme", name: "nope") { name } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ repository: null });
    expect(body.errors).toEqual([{ type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 1, column: 3 }], message: "Could not resolve to a Repository with the name 'acme/nope'." }]);
  });

  it('paging arguments: first missing, over 100, a cursor that is not one', async () => {
    const missing = await query('{ repository(owner: "acme", name: "cache") { issues { totalCount } } }');
    expect(missing.body.errors[0]).toMatchObject({ type: 'MISSING_PAGINATION_BOUNDARIES', path: ['repository', 'issues'] });
    const over = await query('{ repository(owner: "acme", name: "cache") { issues(first: 101) { totalCount } } }');
    expect(over.body.errors[0].type).toBe('EXCESSIVE_PAGINATION');
    expect(over.body.errors[0].message).toBe('Requesting 101 records on the `issues` connection exceeds the `first` limit of 100 records.');
    const cursor = await query('{ repository(owner: "acme", name: "cache") { issues(first: 5, after: "garbage") { totalCount } } }');
    expect(cursor.body.errors[0]).toMatchObject({ type: 'INVALID_CURSOR_ARGUMENTS', path: ['repository', 'issues'] });
  });

  it('syntax and validation errors from graphql-js, with locations; a body that is not JSON is a 400', async () => {
    const syntax = await query('{ viewer { login }');
    expect(syntax.status).toBe(200);
    expect(syntax.body.errors[0].message).toMatch(/^Syntax Error/);
    expect(syntax.body.data).toBeUndefined();
    const unknown = await query('{ viewer { nope } }');
    expect(unknown.body.errors[0]).toMatchObject({ locations: [{ line: 1, column: 12 }] });
    expect(unknown.body.errors[0].message).toMatch(/^Cannot query field "nope" on type "User"\./);
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ variables: {} })).body.errors[0].message).toBe('A query attribute must be specified and must be a string.');
  });
});

describe('GraphQL API: rate limit', () => {
  it('each query costs points (GitHub\'s formula), reported in rateLimit and the X-RateLimit-* headers', async () => {
    const fresh = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
    try {
      const ask = (q: string) => post({ query: q }, `bearer ${TOKEN}`, fresh.url);
      const one = await ask('{ rateLimit { cost remaining used limit resetAt } }');
      expect(one.body.data.rateLimit).toMatchObject({ cost: 1, remaining: 4999, used: 1, limit: 5000 });
      expect(Date.parse(one.body.data.rateLimit.resetAt)).toBeGreaterThan(Date.now());
      expect(one.headers.get('x-ratelimit-limit')).toBe('5000');
      expect(one.headers.get('x-ratelimit-remaining')).toBe('4999');
      expect(one.headers.get('x-ratelimit-used')).toBe('1');
      expect(one.headers.get('x-ratelimit-resource')).toBe('graphql');
      expect(Number(one.headers.get('x-ratelimit-reset'))).toBe(Math.ceil(Date.parse(one.body.data.rateLimit.resetAt) / 1000));
      // 1 request for the repositories + 100 for their issues + 100 x 100 for the labels: 10,101 / 100 = 101 points.
      const nested = await ask('{ organization(login: "acme") { repositories(first: 100) { nodes { issues(first: 100) { nodes { labels(first: 100) { nodes { name } } } } } } } rateLimit { cost remaining } }');
      expect(nested.body.data.rateLimit).toEqual({ cost: 101, remaining: 4999 - 101 });
      const dry = await ask('{ rateLimit(dryRun: true) { cost remaining } }');
      expect(dry.body.data.rateLimit).toEqual({ cost: 1, remaining: 4999 - 101 });
    } finally {
      await fresh.close();
    }
  });

  it('a query costing more than what is left is RATE_LIMITED, HTTP 200, remaining 0', async () => {
    const spent = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1 });
    try {
      // (1 + 100 + 100 x 100) + (1 + 100) requests: 102 points a query; the hour's 5,000 last 49 of them.
      const huge = '{ organization(login: "acme") { repositories(first: 100) { nodes { issues(first: 100) { nodes { labels(first: 100) { nodes { name } } } } } } } a: organization(login: "acme") { repositories(first: 100) { nodes { issues(first: 100) { totalCount } } } } }';
      let answer = await post({ query: huge }, `bearer ${TOKEN}`, spent.url);
      let answered = 1;
      while (!answer.body.errors && answered < 60) {
        answer = await post({ query: huge }, `bearer ${TOKEN}`, spent.url);
        answered++;
      }
      expect(answered).toBe(50);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit already exceeded for user ID 1.' }] });
      expect(Number(answer.headers.get('x-ratelimit-remaining'))).toBeLessThan(102);
    } finally {
      await spent.close();
    }
  });
});

describe('GraphQL API: fault injection', () => {
  it('graphql-error and graphql-rate-limited answer 200 with GitHub\'s error bodies, only on /graphql; HTTP faults apply too', async () => {
    const faulty = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1, rateFaults: [{ kind: 'graphql-error', rate: 1 }] });
    const limited = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1, rateFaults: [{ kind: 'graphql-rate-limited', rate: 1, param: 30 }] });
    const http = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 1, rateFaults: [{ kind: '503', rate: 1 }] });
    try {
      const failed = await post({ query: '{ viewer { login } }' }, `bearer ${TOKEN}`, faulty.url);
      expect(failed.status).toBe(200);
      expect(failed.body.data).toBeNull();
      expect(failed.body.errors[0].message).toMatch(/^Something went wrong while executing your query/);
      // Other APIs on the same server are untouched.
      expect((await fetch(`${faulty.url}/v1/resource?api_key=${TOKEN}`)).status).toBe(200);
      const stats = (await (await fetch(`${faulty.url}/__playground/stats`)).json()) as { faults: Record<string, number> };
      expect(stats.faults['graphql-error']).toBe(1);

      const rl = await post({ query: '{ viewer { login } }' }, `bearer ${TOKEN}`, limited.url);
      expect(rl.status).toBe(200);
      expect(rl.body.errors[0].type).toBe('RATE_LIMITED');
      expect(rl.headers.get('x-ratelimit-remaining')).toBe('0');
      const reset = Number(rl.headers.get('x-ratelimit-reset')) * 1000 - Date.now();
      expect(reset).toBeGreaterThan(25_000);
      expect(reset).toBeLessThan(32_000);

      expect((await post({ query: '{ viewer { login } }' }, `bearer ${TOKEN}`, http.url)).status).toBe(503);
    } finally {
      await Promise.all([faulty.close(), limited.close(), http.close()]);
    }
  });

  it('--scale multiplies the repositories, not the issues of each: the data grows linearly', async () => {
    const big = await startPlayground({ port: 0, seed: 42, token: TOKEN, scale: 10 });
    try {
      const stats = (await (await fetch(`${big.url}/__playground/stats`)).json()) as { graphql: Record<string, number> };
      expect(stats.graphql.repositories).toBe(120);
      // At most 150 + 40 for each other repository (quadratic growth would be some 27,000).
      expect(stats.graphql.issues).toBeLessThanOrEqual(150 + 40 * 119);
    } finally {
      await big.close();
    }
  });

  it('health lists the mock; stats count its repositories, issues and queries', async () => {
    const health = (await (await fetch(`${pg.url}/__playground/health`)).json()) as { mocks: string[] };
    expect(health.mocks).toContain('graphql');
    const stats = (await (await fetch(`${pg.url}/__playground/stats`)).json()) as { graphql: Record<string, number> };
    expect(stats.graphql.repositories).toBe(12);
    expect(stats.graphql.issues).toBe(378);
    expect(stats.graphql.queries).toBeGreaterThan(0);
  });
});
