// GraphQL streams on the real sync loop (in-process) against a small server that answers like a
// Relay/GitHub-style GraphQL API: connections with nodes or edges, pageInfo, errors in a 200.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { graphql } from '../../../src/kit/tap/graphql.js';
import { syncWith, sendJson, recordsOf } from './sync-harness.js';

const ISSUES = Array.from({ length: 7 }, (_, i) => ({ id: `I${i}`, title: `issue ${i}`, updatedAt: `2025-01-0${i + 1}T00:00:00Z` }));
const schema = { type: 'object', properties: { id: { type: 'string' }, title: { type: ['null', 'string'] }, updatedAt: { type: ['null', 'string'], format: 'date-time' } } };
const QUERY = 'query($owner: String!, $first: Int, $after: String) { repository(owner: $owner) { issues(first: $first, after: $after) { nodes { id title updatedAt } pageInfo { hasNextPage endCursor } } } }';

async function bodyOf(req: IncomingMessage): Promise<{ query?: string; variables?: Record<string, unknown> }> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as { query?: string; variables?: Record<string, unknown> };
}

/** Pages of `first` issues after the cursor `c<n>`; `edges` answers in the edges form. */
function server(seen: Array<Record<string, unknown> | undefined>, form: 'nodes' | 'edges' = 'nodes') {
  return (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    void bodyOf(req).then((body) => {
      seen.push(body.variables);
      const first = Number(body.variables?.first ?? 100);
      const start = typeof body.variables?.after === 'string' ? Number(body.variables.after.slice(1)) : 0;
      const slice = ISSUES.slice(start, start + first);
      const end = start + slice.length;
      const connection = form === 'nodes' ? { nodes: slice } : { edges: slice.map((node) => ({ cursor: 'x', node })) };
      sendJson(res, { data: { repository: { issues: { ...connection, pageInfo: { hasNextPage: end < ISSUES.length, endCursor: `c${end}` } } } } });
    });
  };
}

describe('graphql(): a query, its variables, records from a connection, pages from pageInfo', () => {
  for (const form of ['nodes', 'edges'] as const) {
    it(`every record across pages (${form}); the cursor and page size travel as variables, the other variables on every page`, async () => {
      const seen: Array<Record<string, unknown> | undefined> = [];
      const stream = graphql<{ owner: string }>({
        name: 'issues', primaryKey: ['id'], schema, query: QUERY, connection: 'repository.issues', pageSize: 3,
        variables: (ctx) => ({ owner: ctx.settings.owner }),
      });
      const r = await syncWith({ streams: [stream as never], settings: { owner: 'acme' }, handler: server(seen, form) });
      expect(r.error).toBeUndefined();
      expect(recordsOf(r, 'issues').map((x) => x.id)).toEqual(ISSUES.map((i) => i.id));
      expect(seen).toEqual([{ owner: 'acme', first: 3 }, { owner: 'acme', first: 3, after: 'c3' }, { owner: 'acme', first: 3, after: 'c6' }]);
      expect(r.requests).toEqual(['/graphql', '/graphql', '/graphql']);
    });
  }

  it('GraphQL errors in a 200 are one line with their types and messages, not an empty page', async () => {
    const stream = graphql({ name: 'issues', primaryKey: ['id'], schema, query: QUERY, connection: 'repository.issues' });
    const r = await syncWith({
      streams: [stream], handler: (_req, res) => sendJson(res, { data: null, errors: [{ type: 'NOT_FOUND', message: "Could not resolve to a Repository with the name 'x'.", path: ['repository'] }] }),
    });
    expect(r.error?.message).toBe("stream 'issues': the GraphQL query answered with an error: NOT_FOUND: Could not resolve to a Repository with the name 'x'.");
  });

  it('RATE_LIMITED in a 200 is retried with backoff, then the pages go on: every record once', async () => {
    const seen: Array<Record<string, unknown> | undefined> = [];
    const pages = server(seen);
    let calls = 0;
    const stream = graphql({ name: 'issues', primaryKey: ['id'], schema, query: QUERY, connection: 'repository.issues', pageSize: 4 });
    const r = await syncWith({
      streams: [stream],
      settings: { retry_backoff_seconds: 0.01 },
      handler: (req, res) => {
        calls++;
        if (calls === 2) { req.resume(); sendJson(res, { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] }); return; }
        pages(req, res);
      },
    });
    expect(r.error).toBeUndefined();
    expect(recordsOf(r, 'issues').map((x) => x.id)).toEqual(ISSUES.map((i) => i.id));
    expect(calls).toBe(3);
    expect(r.stderr).toMatch(/retry/i);
  });
});
