/**
 * The GraphQL mock's schema, a small slice of GitHub's GraphQL v4 with the same names and shapes:
 * `viewer`, `organization(login)`, `repository(owner, name)`, `rateLimit`; repositories and issues
 * as connections (`first`/`after`, `nodes`, `edges`, `pageInfo`, `totalCount`); issues filtered by
 * `filterBy: {since, states}` (updated at or after `since`) and ordered by `orderBy: {field,
 * direction}`. Objects resolve with graphql-js's default resolver: a method of the source object is
 * called with the field's arguments.
 */
import { GraphQLError, buildSchema, type GraphQLSchema } from 'graphql';
import { connection, type ConnectionArgs } from './graphql-connection.js';
import { ORGANIZATION, VIEWER, type IssueRow, type RepositoryRow } from './graphql-data.js';

export const SDL = /* GraphQL */ `
scalar DateTime
scalar URI

enum OrderDirection { ASC DESC }
enum IssueState { OPEN CLOSED }
enum IssueOrderField { CREATED_AT UPDATED_AT }
enum RepositoryOrderField { CREATED_AT UPDATED_AT NAME }

input IssueOrder { field: IssueOrderField! direction: OrderDirection! }
input IssueFilters { since: DateTime states: [IssueState!] }
input RepositoryOrder { field: RepositoryOrderField! direction: OrderDirection! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

type RateLimit { limit: Int! cost: Int! remaining: Int! used: Int! resetAt: DateTime! nodeCount: Int! }

type Actor { login: String! }
type Label { name: String! color: String! }
type LabelConnection { nodes: [Label] totalCount: Int! }

type Issue {
  id: ID!
  databaseId: Int
  number: Int!
  title: String!
  body: String
  state: IssueState!
  author: Actor
  labels(first: Int): LabelConnection
  createdAt: DateTime!
  updatedAt: DateTime!
  closedAt: DateTime
  url: URI!
  repository: Repository!
}
type IssueEdge { cursor: String! node: Issue }
type IssueConnection { nodes: [Issue] edges: [IssueEdge] pageInfo: PageInfo! totalCount: Int! }

type Repository {
  id: ID!
  databaseId: Int
  name: String!
  nameWithOwner: String!
  owner: Actor!
  description: String
  isPrivate: Boolean!
  stargazerCount: Int!
  createdAt: DateTime!
  updatedAt: DateTime!
  url: URI!
  issue(number: Int!): Issue
  issues(first: Int, after: String, orderBy: IssueOrder, filterBy: IssueFilters, states: [IssueState!]): IssueConnection!
}
type RepositoryEdge { cursor: String! node: Repository }
type RepositoryConnection { nodes: [Repository] edges: [RepositoryEdge] pageInfo: PageInfo! totalCount: Int! }

type Organization {
  id: ID!
  login: String!
  name: String
  repositories(first: Int, after: String, orderBy: RepositoryOrder): RepositoryConnection!
}
type User { id: ID! login: String! name: String }

type Query {
  viewer: User!
  organization(login: String!): Organization
  repository(owner: String!, name: String!): Repository
  rateLimit(dryRun: Boolean = false): RateLimit
}
`;

/** What every resolver of one request sees: the rate-limit figures of this query. */
export interface RequestContext {
  rateLimit: { limit: number; cost: number; remaining: number; used: number; resetAt: string; nodeCount: number };
}

interface Order<F extends string> { field: F; direction: 'ASC' | 'DESC' }

const notFound = (message: string) => new GraphQLError(message, { extensions: { type: 'NOT_FOUND' } });

class IssueNode {
  constructor(private readonly row: IssueRow, private readonly repo: RepositoryNode) {
    const { labels: _labels, ...fields } = row;
    Object.assign(this, fields);
  }
  labels(args: { first?: number | null }): { nodes: IssueRow['labels']; totalCount: number } {
    return { nodes: this.row.labels.slice(0, args.first ?? 100), totalCount: this.row.labels.length };
  }
  repository(): RepositoryNode {
    return this.repo;
  }
}

class RepositoryNode {
  readonly owner = { login: ORGANIZATION };
  constructor(private readonly row: RepositoryRow) {
    const { issues: _issues, ...fields } = row;
    Object.assign(this, fields);
  }
  issue(args: { number: number }): IssueNode | null {
    const row = this.row.issues.find((i) => i.number === args.number);
    return row ? new IssueNode(row, this) : null;
  }
  issues(args: ConnectionArgs & { orderBy?: Order<'CREATED_AT' | 'UPDATED_AT'> | null; filterBy?: { since?: string | null; states?: string[] | null } | null; states?: string[] | null }) {
    const since = args.filterBy?.since;
    const sinceMs = since ? Date.parse(since) : undefined;
    if (sinceMs !== undefined && !Number.isFinite(sinceMs)) throw new GraphQLError(`Argument 'since' on InputObject 'IssueFilters' has an invalid value (${since}). Expected type 'DateTime'.`, { extensions: { type: 'INVALID_ARGUMENT' } });
    const states = args.states ?? args.filterBy?.states ?? undefined;
    const rows = this.row.issues.filter((i) => (sinceMs === undefined || Date.parse(i.updatedAt) >= sinceMs) && (!states || states.includes(i.state)));
    const field = args.orderBy?.field === 'UPDATED_AT' ? 'updatedAt' : 'createdAt';
    const page = connection('issues', rows, args, (i) => [i[field], i.databaseId], args.orderBy?.direction ?? 'ASC');
    const wrap = (row: IssueRow) => new IssueNode(row, this);
    return { ...page, nodes: page.nodes.map(wrap), edges: page.edges.map((e) => ({ cursor: e.cursor, node: wrap(e.node) })) };
  }
}

function repositories(rows: readonly RepositoryRow[], args: ConnectionArgs & { orderBy?: Order<'CREATED_AT' | 'UPDATED_AT' | 'NAME'> | null }) {
  const field = args.orderBy?.field === 'UPDATED_AT' ? 'updatedAt' : args.orderBy?.field === 'NAME' ? 'name' : 'createdAt';
  const page = connection('repositories', rows, args, (r) => [r[field], r.databaseId], args.orderBy?.direction ?? 'ASC');
  const wrap = (row: RepositoryRow) => new RepositoryNode(row);
  return { ...page, nodes: page.nodes.map(wrap), edges: page.edges.map((e) => ({ cursor: e.cursor, node: wrap(e.node) })) };
}

/** The schema, and the root value answering its queries over `data()`'s repositories (read live: mutations show). */
export function graphqlApi(data: () => readonly RepositoryRow[]): { schema: GraphQLSchema; root: Record<string, unknown> } {
  const schema = buildSchema(SDL);
  const root = {
    viewer: () => ({ id: 'U_kgDOplayground', login: VIEWER, name: 'Playground Viewer' }),
    organization: ({ login }: { login: string }) => {
      if (login.toLowerCase() !== ORGANIZATION) throw notFound(`Could not resolve to an Organization with the login of '${login}'.`);
      return { id: 'O_kgDOacme', login: ORGANIZATION, name: 'Acme Corp', repositories: (args: ConnectionArgs) => repositories(data(), args) };
    },
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const row = owner.toLowerCase() === ORGANIZATION ? data().find((r) => r.name === name.toLowerCase()) : undefined;
      if (!row) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return new RepositoryNode(row);
    },
    rateLimit: (_args: unknown, context: RequestContext) => context.rateLimit,
  };
  return { schema, root };
}
