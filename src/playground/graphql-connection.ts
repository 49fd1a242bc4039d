/**
 * GitHub-style Relay connections over an in-memory list: `first` (1..100, required) and `after` (an
 * opaque cursor), `nodes`, `edges { cursor node }`, `pageInfo { hasNextPage endCursor ... }` and
 * `totalCount`. A cursor holds the sort key of its record (value, then databaseId), so a page after
 * it stays right when records before it change.
 */
import { GraphQLError } from 'graphql';

export const MAX_PAGE = 100;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  nodes: T[];
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

type Key = [string | number, number];

const PREFIX = 'cursor:v2:';

function encode(key: Key): string {
  return Buffer.from(PREFIX + JSON.stringify(key)).toString('base64');
}

function decode(cursor: string, connection: string): Key {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  try {
    if (text.startsWith(PREFIX)) {
      const key = JSON.parse(text.slice(PREFIX.length)) as unknown;
      if (Array.isArray(key) && key.length === 2 && (typeof key[0] === 'string' || typeof key[0] === 'number') && typeof key[1] === 'number') return key as Key;
    }
  } catch {
    // not a cursor of ours
  }
  throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, { extensions: { type: 'INVALID_CURSOR_ARGUMENTS', connection } });
}

function compare(a: Key, b: Key): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1];
}

/** The page of `items` (already filtered) in the order `keyOf` and `direction` give. */
export function connection<T>(
  name: string,
  items: readonly T[],
  args: ConnectionArgs,
  keyOf: (item: T) => Key,
  direction: 'ASC' | 'DESC' = 'ASC',
): Connection<T> {
  const { first, after } = args;
  if (first === undefined || first === null) {
    throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`, { extensions: { type: 'MISSING_PAGINATION_BOUNDARIES' } });
  }
  if (first < 0) throw new GraphQLError(`\`first\` on the \`${name}\` connection cannot be less than zero.`, { extensions: { type: 'INVALID_PAGINATION_ARGUMENTS' } });
  if (first > MAX_PAGE) {
    throw new GraphQLError(`Requesting ${first} records on the \`${name}\` connection exceeds the \`first\` limit of ${MAX_PAGE} records.`, { extensions: { type: 'EXCESSIVE_PAGINATION' } });
  }
  const sign = direction === 'DESC' ? -1 : 1;
  const sorted = items.map((node) => ({ node, key: keyOf(node) })).sort((a, b) => sign * compare(a.key, b.key));
  const from = after ? decode(after, name) : undefined;
  const rest = from ? sorted.filter((x) => sign * compare(x.key, from) > 0) : sorted;
  const page = rest.slice(0, first);
  const edges = page.map((x) => ({ cursor: encode(x.key), node: x.node }));
  return {
    nodes: page.map((x) => x.node),
    edges,
    pageInfo: {
      hasNextPage: rest.length > page.length,
      hasPreviousPage: rest.length < sorted.length,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: items.length,
  };
}
