/**
 * Mock of a GraphQL API modelled on GitHub's GraphQL v4: `POST /graphql` with `{query, variables,
 * operationName}` and `Authorization: bearer TOKEN` (or `token TOKEN`; 401 `Requires authentication`
 * without, `Bad credentials` with another). Queries are parsed, validated and executed by graphql-js
 * against the schema of graphql-schema.ts. As on GitHub, every answer to a well-formed request is
 * HTTP 200: errors (syntax, validation, NOT_FOUND, bad cursors, pages over 100, RATE_LIMITED) are
 * `{"errors": [{"type", "path", "locations", "message"}]}` beside any `data`. Each query costs
 * points (graphql-cost.ts) out of 5,000 an hour, reported by `rateLimit { cost remaining resetAt }`
 * and the `X-RateLimit-Limit/Remaining/Used/Reset/Resource` headers; a query costing more than what
 * is left is answered RATE_LIMITED.
 */
import type { ServerResponse } from 'node:http';
import { GraphQLError, execute, getOperationAST, parse, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import type { MockApi, MockOptions, MockRequest } from './types.js';
import { generateRepositories, touchIssues, type RepositoryRow } from './graphql-data.js';
import { graphqlApi, type RequestContext } from './graphql-schema.js';
import { queryCost } from './graphql-cost.js';

export const GRAPHQL_PATH = '/graphql';
export const POINTS_PER_HOUR = 5000;
const WINDOW_MS = 3_600_000;
const DOCS = 'https://docs.github.com/graphql';

function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** GitHub's error shape: `type` (when there is one) beside `path`, `locations` and `message`. */
function wireError(error: GraphQLError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const type = error.extensions?.type;
  if (typeof type === 'string') out.type = type;
  if (error.path) out.path = error.path;
  if (error.locations) out.locations = error.locations;
  out.message = error.message;
  return out;
}

/** A RATE_LIMITED answer, as GitHub gives it (HTTP 200) with the headers of an exhausted budget. */
export function rateLimitedBody(): { errors: Array<{ type: string; message: string }> } {
  return { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit already exceeded for user ID 1.' }] };
}

export function rateLimitHeaders(limit: number, remaining: number, resetMs: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-used': String(limit - remaining),
    'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    'x-ratelimit-resource': 'graphql',
  };
}

interface ParsedBody { query: string; variables: Record<string, unknown>; operationName: string | undefined }

/** The request body as GitHub reads it (variables may be an object, null, or a JSON string), or the error to answer. */
function readBody(text: string): ParsedBody | { status: number; value: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: 400, value: { message: 'Problems parsing JSON', documentation_url: `${DOCS}/guides/forming-calls-with-graphql` } };
  }
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (typeof record.query !== 'string') return { status: 200, value: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
  let variables: unknown = record.variables ?? {};
  if (typeof variables === 'string') {
    try {
      variables = variables === '' ? {} : (JSON.parse(variables) as unknown);
    } catch {
      return { status: 200, value: { errors: [{ message: 'Variables are invalid JSON.' }] } };
    }
  }
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return { status: 200, value: { errors: [{ message: 'Variables are invalid JSON.' }] } };
  const operationName = typeof record.operationName === 'string' && record.operationName !== '' ? record.operationName : undefined;
  return { query: record.query, variables: variables as Record<string, unknown>, operationName };
}

export function graphqlMock(opts: MockOptions): MockApi {
  // Built on first use: a playground serving other APIs (at any scale) does not pay for it.
  let repos: RepositoryRow[] | undefined;
  const data = (): RepositoryRow[] => (repos ??= generateRepositories(opts.seed, opts.scale));
  let api: ReturnType<typeof graphqlApi> | undefined;
  let windowStart = 0;
  let used = 0;
  let queries = 0;

  function authorized(header: string | undefined): 'missing' | 'bad' | 'ok' {
    if (!header) return 'missing';
    const m = /^(?:bearer|token)\s+(.+)$/i.exec(header.trim());
    return m && m[1] === opts.token ? 'ok' : 'bad';
  }

  /** Takes `cost` points from this hour's budget; the figures of the query, or undefined when too few are left. */
  function charge(cost: number, nodeCount: number, dryRun: boolean): RequestContext['rateLimit'] | undefined {
    const now = Date.now();
    if (now - windowStart >= WINDOW_MS) {
      windowStart = Math.floor(now / 1000) * 1000;
      used = 0;
    }
    if (used + cost > POINTS_PER_HOUR) return undefined;
    if (!dryRun) used += cost;
    const resetAt = new Date(windowStart + WINDOW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { limit: POINTS_PER_HOUR, cost, remaining: POINTS_PER_HOUR - used, used, resetAt, nodeCount };
  }

  async function answer(res: ServerResponse, request: ParsedBody): Promise<void> {
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return send(res, 200, { errors: [wireError(error as GraphQLError)] });
    }
    api ??= graphqlApi(data);
    const { schema, root } = api;
    const invalid = validate(schema, document);
    if (invalid.length > 0) return send(res, 200, { errors: invalid.map(wireError) });
    if (!getOperationAST(document, request.operationName)) {
      return send(res, 200, { errors: [{ message: request.operationName ? `No operation named "${request.operationName}"` : 'An operation name is required when the document holds several operations.' }] });
    }
    const { cost, nodeCount, dryRun } = queryCost(document, request.operationName, request.variables);
    const rateLimit = charge(cost, nodeCount, dryRun);
    const resetMs = windowStart + WINDOW_MS;
    if (!rateLimit) return send(res, 200, rateLimitedBody(), rateLimitHeaders(POINTS_PER_HOUR, POINTS_PER_HOUR - used, resetMs));
    queries++;
    const context: RequestContext = { rateLimit };
    const result: ExecutionResult = await execute({ schema, document, rootValue: root, contextValue: context, variableValues: request.variables, operationName: request.operationName });
    const body: Record<string, unknown> = {};
    if (result.errors?.length) body.errors = result.errors.map(wireError);
    if (result.data !== undefined) body.data = result.data;
    send(res, 200, body, rateLimitHeaders(POINTS_PER_HOUR, rateLimit.remaining, resetMs));
  }

  return {
    name: 'graphql',
    async handle({ req, res, url, body }: MockRequest): Promise<boolean> {
      if (url.pathname !== GRAPHQL_PATH) return false;
      const auth = authorized(req.headers.authorization);
      if (auth !== 'ok') {
        send(res, 401, auth === 'missing'
          ? { message: 'Requires authentication', documentation_url: `${DOCS}/guides/forming-calls-with-graphql#authenticating-with-graphql` }
          : { message: 'Bad credentials', documentation_url: DOCS });
        return true;
      }
      if (req.method !== 'POST') {
        send(res, 405, { message: 'Method Not Allowed: send the query with POST', documentation_url: `${DOCS}/guides/forming-calls-with-graphql` }, { allow: 'POST' });
        return true;
      }
      const request = readBody(body);
      if ('status' in request) send(res, request.status, request.value);
      else await answer(res, request);
      return true;
    },
    mutate(count: number): number {
      return touchIssues(data(), count, Date.now());
    },
    stats(): Record<string, number> {
      return {
        repositories: data().length,
        issues: data().reduce((n, r) => n + r.issues.length, 0),
        queries,
        points_used: used,
      };
    },
  };
}
