import type { Paginator } from './page.js';
import { placeTokens, type TokenPlace } from './token-place.js';

/**
 * Any position paginator (page number, offset) with its positions in the JSON body instead of the
 * query: `{ page: 'paging.page' }` sends the page number at `paging.page` of a POST body (dlt's
 * `page_body_path`, `offset_body_path`, `limit_body_path`). A shorthand of `placeTokens`.
 */
export function inBody(inner: Paginator, places: Record<string, string>): Paginator {
  return placeTokens(inner, Object.fromEntries(Object.entries(places).map(([param, path]): [string, TokenPlace] => [param, { in: 'body', path }])));
}
