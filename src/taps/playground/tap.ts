import { defineTap, defineSettings, rest, generic, graphql, jsonLines, isJsonObject, bearer, nextUrl, pageNumber, offset, fromLastValue, getPath, toIsoSeconds, type SettingsOf, type StreamContext, type QueryParams, type Paginator } from '@singer-io-compatible/tap-kit';
import { VERSION } from '../version.js';
import type { AuditLogRecord } from './records.generated.js';

/** Settings of tap-playground (validated against the `settings` schema below before anything runs). */
export type PlaygroundSettings = SettingsOf<typeof settings>;

type Ctx = StreamContext<PlaygroundSettings>;

/** Server-side incremental filter shared by the paginated endpoints: ascending `updatedAt` from the bookmark. */
const sinceParams = (ctx: Ctx): QueryParams => ({
  order_by: 'updatedAt',
  order_type: 'asc',
  updated_since: ctx.start === undefined ? undefined : toIsoSeconds(ctx.start),
});

/**
 * The keyset endpoint's `scroll_param` returns records strictly after the last `updatedAt`, so users
 * sharing that timestamp beyond the page would be skipped. The next page is asked from
 * `updated_since=<last updatedAt>` (inclusive) instead; the kit drops the records already written at
 * that value. Only a page that is one single timestamp falls back to `scroll_param` (the API offers no
 * way past a tie group larger than a page).
 */
const keyset: Paginator = {
  kind: 'keyset',
  next: (page, request) => {
    const token = getPath(page.body, 'scroll_param');
    if (typeof token !== 'string' || token === '') return null;
    const last = page.records.at(-1)?.updatedAt;
    const url = new URL(request.url);
    url.search = '';
    if (typeof last === 'string' && page.records[0]?.updatedAt !== last) url.searchParams.set('updated_since', last);
    else url.searchParams.set('scroll_param', token);
    return { ...request, url };
  },
};

/** Position paging asked from the last `updatedAt` written, so rows updated during the run are not skipped. */
const fromLast = { param: 'updated_since', key: 'updatedAt' };

const incremental = { schemaFile: 'user', primaryKey: ['id'], replicationKey: 'updatedAt', sorted: true, records: 'data' };

/** Issues of one repository, least recently updated first, from a bookmark on (`since`). */
const ISSUES_QUERY = `query($owner: String!, $name: String!, $first: Int, $after: String, $since: DateTime) {
  repository(owner: $owner, name: $name) {
    issues(first: $first, after: $after, orderBy: {field: UPDATED_AT, direction: ASC}, filterBy: {since: $since}) {
      nodes { id number title state author { login } createdAt updatedAt closedAt url }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** The settings schema: the one source of the settings and of their type. */
const settings = defineSettings({
  type: 'object',
  properties: {
    bearer_token: { type: 'string', secret: true, description: 'Token sent as `Authorization: Bearer <token>`.' },
    base_url: { type: 'string', format: 'uri', default: 'http://127.0.0.1:5001', description: 'Base URL of the playground API.' },
    start_date: { type: 'string', format: 'date-time', description: 'Earliest `updatedAt` to extract on the first run (RFC 3339).' },
    page_size: { type: 'integer', minimum: 1, maximum: 50, default: 50, description: 'Records per page (the API allows 1-50).' },
    repositories: { type: 'array', items: { type: 'string', pattern: '^[^/\\s]+/[^/\\s]+$' }, description: 'Repositories (`owner/name`) whose issues the `issues` stream reads from the playground\'s GraphQL API (`POST /graphql`, GitHub\'s shapes): one partition per repository, each with its own bookmark on `updatedAt`.' },
    audit_log_files: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'JSON Lines files of audit events exported from the playground (`{"at", "user_id", "action"}` per line): the `audit_log` stream reads each as a partition, with its own bookmark (the last line read).' },
  },
  required: ['bearer_token'],
});

export default defineTap<PlaygroundSettings>({
  name: 'tap-playground',
  description: 'Users of the HTTP-bearer playground API: the bearer-auth demo table, one incremental stream per pagination style, and companies with their departments (a parent/child pair).',
  version: VERSION,
  catalogDir: new URL('../../../catalogs/playground/', import.meta.url),
  settings,
  client: (s) => ({ baseUrl: s.base_url, auth: bearer(s.bearer_token) }),
  streams: [
    rest({ name: 'user', path: '/auth/http_bearer', primaryKey: ['id'], records: 'data',
      description: 'The users the bearer-auth endpoint serves (the seed connector\'s USER table).' }),
    rest({ ...incremental, name: 'users_next_page_url', path: '/pagination/next_page_url', params: sinceParams,
      paginator: (ctx) => fromLastValue(nextUrl('next_page_url', { pageSizeParam: 'per_page', pageSize: ctx.settings.page_size }), { ...fromLast, drop: ['page'] }) }),
    rest({ ...incremental, name: 'users_page_number', path: '/pagination/page_number', params: sinceParams,
      paginator: (ctx) => fromLastValue(pageNumber({ param: 'page', pageSizeParam: 'per_page', pageSize: ctx.settings.page_size, totalPagesPath: 'total_pages' }), fromLast) }),
    rest({ ...incremental, name: 'users_offset', path: '/pagination/offset', params: sinceParams,
      paginator: (ctx) => fromLastValue(offset({ limit: ctx.settings.page_size, totalPath: 'total' }), fromLast) }),
    rest({ ...incremental, name: 'users_keyset', path: '/pagination/keyset',
      params: (ctx) => ({ updated_since: ctx.start === undefined ? undefined : toIsoSeconds(ctx.start) }),
      paginator: keyset }),
    rest({ name: 'companies', path: '/cursors/companies', primaryKey: ['company_id'], records: 'data',
      params: () => ({ order_by: 'updatedAt', order_type: 'asc' }),
      childContext: (company) => ({ company_id: company.company_id ?? null }),
      selectedByDefault: false,
      description: 'Companies (full table: a handful of rows), parents of departments. Select it in the catalog.' }),
    rest({ name: 'departments', parent: 'companies', path: '/cursors/{company_id}/departments', primaryKey: ['company_id', 'department_id'],
      replicationKey: 'updatedAt', sorted: true, records: 'data', params: sinceParams,
      selectedByDefault: false,
      description: 'Departments per company, incremental with one bookmark per company. Select it in the catalog.' }),
    // A GraphQL stream, one partition per repository named in the settings, incremental on updatedAt.
    graphql<PlaygroundSettings>({
      name: 'issues', primaryKey: ['id'], replicationKey: 'updatedAt', sorted: true,
      description: 'Issues of the repositories in `repositories`, from the GraphQL API (oldest update first, `filterBy: {since}` from the bookmark): one partition per repository.',
      selectedByDefault: (s) => (s.repositories?.length ?? 0) > 0,
      unavailable: (s) => ((s.repositories?.length ?? 0) > 0 ? undefined : "setting 'repositories' lists no repository"),
      partitions: (s) => (s.repositories ?? []).map((repository) => ({ repository })),
      query: ISSUES_QUERY,
      variables: (ctx) => {
        const [owner, name] = String(ctx.context.repository).split('/');
        return { owner: owner ?? '', name: name ?? '', ...(ctx.start === undefined ? {} : { since: toIsoSeconds(ctx.start) }) };
      },
      connection: 'repository.issues',
      pageSize: (s) => s.page_size,
      transform: (item, _page, ctx) => {
        const login = getPath(item, 'author.login');
        return { ...item, author: typeof login === 'string' ? login : null, repository: String(ctx.context.repository) };
      },
    }),
    // Records from code (a generic stream): each file a partition from the settings, bookmarked on its line number.
    generic<PlaygroundSettings, AuditLogRecord>({
      name: 'audit_log', primaryKey: ['file', 'line'], replicationKey: 'line', sorted: true,
      description: 'Audit events from the JSON Lines files in `audit_log_files` (not over HTTP): one partition per file, each with its own bookmark, so a file that grows is read from its next line.',
      selectedByDefault: (s) => (s.audit_log_files?.length ?? 0) > 0,
      unavailable: (s) => ((s.audit_log_files?.length ?? 0) > 0 ? undefined : "setting 'audit_log_files' lists no file"),
      partitions: (s) => (s.audit_log_files ?? []).map((file) => ({ file })),
      records: async function* (ctx) {
        const file = String(ctx.context.file);
        for await (const { line, value } of jsonLines(file, { after: ctx.start, signal: ctx.signal })) {
          yield { ...(isJsonObject(value) ? value : { value }), file, line };
        }
      },
    }),
  ],
});
