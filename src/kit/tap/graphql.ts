import { getPath, isJsonObject, type JsonObject } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { cursor } from '../paging/cursor.js';
import { placeTokens } from '../paging/token-place.js';
import { rest, type RestStream, type StreamContext } from './stream.js';
import type { ResponseRule } from '../http/response-rules.js';

/** A GraphQL stream: a query, its variables, and the connection its records are in. */
export interface GraphqlStream<S, R extends object = JsonObject> extends Omit<RestStream<S, R>, 'kind' | 'path' | 'method' | 'body' | 'paginator' | 'records'> {
  /** The endpoint (default `/graphql`). */
  path?: string;
  /** The query; it takes the page size and cursor variables (`$first`, `$after`) and selects `pageInfo { hasNextPage endCursor }`. */
  query: string;
  /** The query's other variables (from the settings, the bookmark, the partition). */
  variables?: (ctx: StreamContext<S>) => JsonObject;
  /** Where the connection is under `data` (`repository.issues`): records are its `nodes` (or its `edges[].node`). */
  connection: string;
  /** Records per page, sent as the page size variable. */
  pageSize?: number | ((settings: S) => number);
  /** Variable names of the page size and the cursor (default `first` and `after`, as GitHub and Relay). */
  pageSizeVariable?: string;
  cursorVariable?: string;
}

/** A GraphQL error saying the rate limit is spent (GitHub's `RATE_LIMITED`, in a 200): tried again with backoff. */
const RATE_LIMITED: ResponseRule = { body: { path: 'errors[0].type', equals: 'RATE_LIMITED' }, action: 'retry' };

/**
 * Declares a GraphQL stream on the HTTP engine (the SDK's `GraphQLStream`): a POST of `{query,
 * variables}`, records from the connection's `nodes` or `edges`, the next page from its
 * `pageInfo` (`hasNextPage`, `endCursor` sent back as the cursor variable). GraphQL `errors` in a
 * 200 are errors: one line with their messages and types, but `RATE_LIMITED`, which is retried with
 * backoff (a response rule; the stream's own `responseRules` and `classify` come first).
 */
export function graphql<S, R extends object = JsonObject>(def: GraphqlStream<S, R>): RestStream<S> {
  const { query, variables, connection, pageSize, pageSizeVariable = 'first', cursorVariable = 'after', path = '/graphql', ...stream } = def;
  const at = `data.${connection}`;
  const paginator = placeTokens(
    cursor({ cursorPath: `${at}.pageInfo.endCursor`, hasMorePath: `${at}.pageInfo.hasNextPage`, param: cursorVariable }),
    { [cursorVariable]: { in: 'body', path: `variables.${cursorVariable}` } },
  );
  return rest<S, R>({
    ...stream,
    // The stream's own rules first; then GitHub's RATE_LIMITED (a 200) is retried like a 429.
    responseRules: [...(stream.responseRules ?? []), RATE_LIMITED],
    path,
    method: 'POST',
    body: (ctx) => {
      const size = typeof pageSize === 'function' ? pageSize(ctx.settings) : pageSize;
      return { query, variables: { ...variables?.(ctx), ...(size === undefined ? {} : { [pageSizeVariable]: size }) } };
    },
    paginator,
    records: (body) => connectionNodes(body, at, def.name),
  });
}

/** The records of a connection, after checking the response carries no GraphQL errors. */
function connectionNodes(body: unknown, at: string, stream: string): unknown {
  const errors = isJsonObject(body) && Array.isArray(body.errors) ? body.errors : [];
  if (errors.length > 0) {
    const words = errors.slice(0, 3).map((e) => (isJsonObject(e) ? `${typeof e.type === 'string' ? `${e.type}: ` : ''}${String(e.message ?? 'error')}` : String(e))).join('; ');
    throw new UserError(`stream '${stream}': the GraphQL query answered with ${errors.length === 1 ? 'an error' : `${errors.length} errors`}: ${words}`);
  }
  const nodes = getPath(body, `${at}.nodes`);
  if (nodes !== undefined) return nodes;
  const edges = getPath(body, `${at}.edges`);
  return Array.isArray(edges) ? edges.map((e) => (isJsonObject(e) ? e.node : e)) : undefined;
}
