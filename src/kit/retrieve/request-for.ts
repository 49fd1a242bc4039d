import type { Authenticator, RequestSpec } from '../http/auth.js';
import type { RequestOrigin } from '../http/request.js';
import type { RecordSelector } from '../http/response.js';
import { classifier, type Classification, type Classifier } from '../http/classify.js';
import type { Paginator } from '../paging/paginators.js';
import { singlePage } from '../paging/links.js';
import { fillPath, type QueryParams, type RestStream, type StreamContext } from '../tap/stream.js';

/** What a stream asks for in one context: its first request (path and parts) and how its pages are read. */
export interface StreamRequest {
  path: string;
  init: { method: RequestSpec['method']; params?: QueryParams | undefined; json?: unknown; headers?: Record<string, string> | undefined };
  paginator: Paginator;
  selector: RecordSelector | undefined;
  origin: RequestOrigin;
  auth: Authenticator | undefined;
  /** The stream's classification, then the tap's (hooks before rules), or undefined when neither has any. */
  classify: Classifier | undefined;
}

/**
 * A stream's request in one context (its parent's values, its start), classified by its own and the tap's (`tap`) hooks and rules: the one place a declaration
 * becomes a request, used by the sync and by discovery's samples. Turn it into pages with
 * `retrieve({transport, first: http.request(path, init), ...rest})`.
 */
export function requestFor<S>(stream: RestStream<S>, ctx: StreamContext<S>, tap?: Classification): StreamRequest {
  const paginator = typeof stream.paginator === 'function' ? stream.paginator(ctx) : (stream.paginator ?? singlePage());
  const path = fillPath(stream.path, ctx.context, { stream: stream.name, settings: ctx.settings });
  const init = { method: stream.method ?? 'GET', params: stream.params?.(ctx), json: stream.body?.(ctx), headers: stream.headers?.(ctx) };
  return {
    path, init, paginator, selector: stream.records, origin: { stream: stream.name, endpoint: stream.path },
    auth: stream.auth?.(ctx.settings), classify: classifier([{ classify: stream.classify, responseRules: stream.responseRules, name: 'stream' }, tap && { ...tap, name: 'tap' }]),
  };
}
