import { defineTap, rest, bearer, nextUrl, pageNumber, offset, cursor, toIsoSeconds, type StreamContext, type QueryParams } from '../../kit/index.js';
import { VERSION } from '../version.js';

/** Settings of tap-playground (validated against the `settings` schema below before anything runs). */
export interface PlaygroundSettings {
  bearer_token: string;
  base_url: string;
  start_date?: string;
  page_size: number;
}

type Ctx = StreamContext<PlaygroundSettings>;

/** Server-side incremental filter shared by the paginated endpoints: ascending `updatedAt` from the bookmark. */
const sinceParams = (ctx: Ctx): QueryParams => ({
  order_by: 'updatedAt',
  order_type: 'asc',
  updated_since: ctx.start === undefined ? undefined : toIsoSeconds(ctx.start),
});

const incremental = { schemaFile: 'user', primaryKey: ['id'], replicationKey: 'updatedAt', sorted: true, records: 'data' };

export default defineTap<PlaygroundSettings>({
  name: 'tap-playground',
  description: 'Users of the HTTP-bearer playground API: the bearer-auth demo table, and one incremental stream per pagination style.',
  version: VERSION,
  catalogDir: new URL('../../../catalogs/playground/', import.meta.url),
  settings: {
    type: 'object',
    properties: {
      bearer_token: { type: 'string', secret: true, description: 'Token sent as `Authorization: Bearer <token>`.' },
      base_url: { type: 'string', format: 'uri', default: 'http://127.0.0.1:5001', description: 'Base URL of the playground API.' },
      start_date: { type: 'string', format: 'date-time', description: 'Earliest `updatedAt` to extract on the first run (RFC 3339).' },
      page_size: { type: 'integer', minimum: 1, maximum: 50, default: 50, description: 'Records per page (the API allows 1-50).' },
    },
    required: ['bearer_token'],
  },
  client: (s) => ({ baseUrl: s.base_url, auth: bearer(s.bearer_token) }),
  streams: [
    rest({ name: 'user', path: '/auth/http_bearer', primaryKey: ['id'], records: 'data',
      description: 'The users the bearer-auth endpoint serves (the seed connector\'s USER table).' }),
    rest({ ...incremental, name: 'users_next_page_url', path: '/pagination/next_page_url', params: sinceParams,
      paginator: (ctx) => nextUrl('next_page_url', { pageSizeParam: 'per_page', pageSize: ctx.settings.page_size }) }),
    rest({ ...incremental, name: 'users_page_number', path: '/pagination/page_number', params: sinceParams,
      paginator: (ctx) => pageNumber({ param: 'page', pageSizeParam: 'per_page', pageSize: ctx.settings.page_size, totalPagesPath: 'total_pages' }) }),
    rest({ ...incremental, name: 'users_offset', path: '/pagination/offset', params: sinceParams,
      paginator: (ctx) => offset({ limit: ctx.settings.page_size, totalPath: 'total' }) }),
    rest({ ...incremental, name: 'users_keyset', path: '/pagination/keyset',
      params: (ctx) => ({ updated_since: ctx.start === undefined ? undefined : toIsoSeconds(ctx.start) }),
      paginator: cursor({ cursorPath: 'scroll_param', param: 'scroll_param', only: true }) }),
  ],
});
