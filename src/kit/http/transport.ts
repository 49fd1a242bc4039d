import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setMaxListeners } from 'node:events';
import got, { RequestError, type Got, type OptionsInit, type Response } from 'got';
import { toError } from './failure.js';
import { CLASSIFIED_RETRY, ClassifiedRetry, ClassifiedStop, isFinalVerdict, judge } from './judge.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../log/log.js';
import { BUILTIN_DEFAULTS } from '../config/settings.js';
import type { Authenticator, RequestSpec } from './auth.js';
import type { Page, Paginator } from '../paging/paginators.js';
import { RETRY_STATUS, NETWORK_CODES, BAD_BODY, UNREACHABLE_CODES, UNREACHABLE_RETRIES, UNREACHABLE_DELAY_SECONDS, isRateLimited, networkProblem, serverDelaySeconds, retryDelaySeconds } from './retry.js';
import { BodyError, bodyReady, decodeBody, prepareBody } from './body.js';
import { RequestBudget } from './budget.js';
import type { Reply, RequestOrigin, SendContext, SendOptions, Transport } from './request.js';
import { retrieve, type RetrieveOptions } from '../retrieve/retriever.js';

export type { RequestOrigin } from './request.js';

export interface HttpClientOptions {
  baseUrl: string;
  auth: Authenticator;
  userAgent: string;
  /** Seconds before one request attempt is abandoned. */
  timeoutSeconds: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and resets. */
  maxRetries?: number;
  /** Seconds of the first backoff; doubles each retry, with jitter. */
  backoffSeconds?: number;
  /** Longest wait the kit accepts from a `Retry-After`/rate-limit reset header, in seconds. */
  maxRetryAfterSeconds?: number;
  /** Requests in flight at once across the tap (default 1: one at a time). */
  maxParallelRequests?: number;
  /** Request attempts per second across the tap (default: no limit but the server's headers). */
  maxRequestsPerSecond?: number;
  headers?: Record<string, string>;
}

/** How one resource's pages are read and checked (see `retrieve`). */
export type PageOptions = Pick<RetrieveOptions, 'parallel' | 'identify' | 'verifyEnd' | 'outcome'>;

/**
 * The HTTP transport: one keep-alive got instance per tap run, every request through one budget
 * (in-flight slots, rate, the server's quota, 429 pauses), retries by the retry policy, timeouts,
 * auth, METRIC lines, and errors that name method, URL (redacted), status and the server's message.
 * It sends one request at a time (`send`); the pages of a resource are the retriever's (`retrieve`).
 */
export class HttpClient implements Transport {
  private readonly got: Got;
  private readonly agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 16 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }) };
  readonly requestCounts = new Map<string, number>();
  /** Retries scheduled so far (every stream), for the run's summary line. */
  retries = 0;
  /** Aborts every request in flight (a SIGINT/SIGTERM should not wait out timeouts and retries). */
  private readonly aborter = new AbortController();
  readonly budget: RequestBudget;
  /** Responses whose attempt was counted done in afterResponse (the others are counted in calculateDelay). */
  private readonly answered = new WeakSet<object>();
  /** Bodies parsed in the afterResponse hook (where a bad one can still be retried). */
  private readonly parsed = new WeakMap<object, unknown>();
  /** Responses classified `end`: the last page of their sequence. */
  private readonly ends = new WeakSet<object>();

  constructor(readonly options: HttpClientOptions, readonly log: Logger) {
    // Every request and every budget wait listens to the one abort signal: many at once is expected.
    setMaxListeners(0, this.aborter.signal);
    // A client made by a run gets every value from the run's settings (httpOptions); one made alone
    // (a test, a script) gets the settings' defaults, and one request at a time.
    const limit = options.maxRetries ?? BUILTIN_DEFAULTS.max_retries;
    const policy = { backoffSeconds: options.backoffSeconds ?? BUILTIN_DEFAULTS.retry_backoff_seconds, maxWaitSeconds: options.maxRetryAfterSeconds ?? 600 };
    const budgetOptions: ConstructorParameters<typeof RequestBudget>[0] = {
      maxInFlight: options.maxParallelRequests ?? 1, maxWaitSeconds: policy.maxWaitSeconds, signal: this.aborter.signal,
    };
    if (options.maxRequestsPerSecond) budgetOptions.maxPerSecond = options.maxRequestsPerSecond;
    this.budget = new RequestBudget(budgetOptions);
    this.got = got.extend({
      agent: this.agents,
      signal: this.aborter.signal,
      timeout: { request: Math.round(options.timeoutSeconds * 1000) },
      headers: { 'user-agent': options.userAgent, accept: 'application/json', ...options.headers },
      responseType: 'text',
      retry: {
        limit,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
        statusCodes: RETRY_STATUS,
        errorCodes: [...NETWORK_CODES, CLASSIFIED_RETRY],
        // The kit caps server-asked waits itself (and says so): got would silently not retry at all.
        maxRetryAfter: Number.POSITIVE_INFINITY,
        calculateDelay: ({ attemptCount, error, computedValue }) => {
          // A failed attempt is over: counted here unless its whole response reached afterResponse.
          if (!error.response || !this.answered.has(error.response)) this.budget.attemptDone();
          // A response classified `fail`, `ignore` or `end` is final, whatever its status.
          if (isFinalVerdict(error.cause)) return 0;
          const classified = error.cause instanceof ClassifiedRetry ? error.cause : undefined;
          const status = error.response?.statusCode;
          const spentQuota = status === 403 && isRateLimited(403, error.response?.headers ?? {}) && attemptCount <= limit;
          if (computedValue === 0 && !spentQuota) return 0;
          // Nothing listening there: a short, bounded retry, not the full backoff.
          const unreachable = error.response === undefined && UNREACHABLE_CODES.includes(error.code ?? '');
          if (unreachable && attemptCount > Math.min(UNREACHABLE_RETRIES, limit)) return 0;
          const fromServer = classified?.afterSeconds ?? (error.response ? serverDelaySeconds(error.response.headers, Date.now(), status) : undefined);
          let seconds = retryDelaySeconds(policy, { attempt: attemptCount, status, fromServer, rateLimited: status === 429 || spentQuota });
          if (unreachable) seconds = Math.min(seconds, UNREACHABLE_DELAY_SECONDS);
          // A rate limit is the whole tap's problem: every request waits, not only this one. The retry
          // waits in that pause too, where it goes first when the pause ends.
          const paused = status === 429 || spentQuota;
          if (paused) this.budget.pause(seconds);
          const origin = error.options.context as Partial<RequestOrigin> | undefined;
          const why = error.code === BAD_BODY || classified ? error.message
            : status !== undefined && status < 400 ? `truncated response (${error.code ?? 'cut short'})`
              : status !== undefined ? `HTTP ${status}` : (error.code ?? error.message);
          const maxWait = policy.maxWaitSeconds;
          const hint = fromServer === undefined ? '' : fromServer > maxWait
            ? ` (the server asked for ${Math.round(fromServer)}s; capped at ${maxWait}s)` : ' (as the server asked)';
          this.retries++;
          const tries = unreachable ? Math.min(UNREACHABLE_RETRIES, limit) : limit;
          this.log.warn(`${origin?.stream ? `stream '${origin.stream}': ` : ''}${error.options.method} ${this.log.redactor.url(String(error.options.url))} ${unreachable ? networkProblem(error.code) : why}; retry ${attemptCount}/${tries} in ${seconds.toFixed(1)}s${hint}`);
          // got treats a delay of 0 as "do not retry": `Retry-After: 0` (or a past date) means retry now.
          return paused ? 1 : Math.max(1, seconds * 1000);
        },
      },
      hooks: {
        beforeRequest: [async (request, { retryCount }) => {
          await this.budget.start(retryCount > 0);
          // Credentials fetched at run time (OAuth2): set before every attempt, renewed once after a 401.
          const auth = this.authOf(request.context);
          if (auth.refresh) request.headers = { ...request.headers, ...(await this.credentials(auth, false)) };
        }],
        afterResponse: [
          (response) => {
            this.answered.add(response);
            this.budget.attemptDone();
            this.budget.observe(response.statusCode, response.headers);
            this.metric(response);
            return response;
          },
          async (response: Response, retryWithMergedOptions: (o: OptionsInit) => never) => {
            const context = response.request.options.context as { authRenewed?: boolean };
            const auth = this.authOf(context);
            if (response.statusCode !== 401 || !auth.refresh || context.authRenewed) return response;
            this.log.info('HTTP 401: renewing the access token and retrying once');
            // The hooks after this one (classification, parsing) run on the renewed attempt too.
            return retryWithMergedOptions({ headers: await this.credentials(auth, true), context: { authRenewed: true }, preserveHooks: true });
          },
          (response: Response) => {
            // Classified (a stream's hook and rules, then the tap's) where a `retry` is retried like a 503.
            const context = response.request.options.context as Partial<SendContext>;
            if (context.classify && judge(response as Response<string>, this.log, { classify: context.classify, stream: context.stream }) === 'end') this.ends.add(response);
            // Parsed here, where a body that is not complete JSON can still be retried.
            if (response.statusCode < 200 || response.statusCode >= 300) return response;
            const type = response.headers['content-type'];
            // The XML parser is loaded by the first XML body (a promise then, once).
            if (!bodyReady(type)) return prepareBody(type).then(() => this.keepParsed(response as Response<string>));
            return this.keepParsed(response as Response<string>);
          },
        ],
      },
    });
  }

  /** The authenticator of a request: its stream's own (in the request context), else the client's. */
  private authOf(context: unknown): Authenticator {
    return (context as { auth?: Authenticator } | undefined)?.auth ?? this.options.auth;
  }

  /** Headers from an authenticator that fetches its credentials (the token is registered as a secret first). */
  private async credentials(auth: Authenticator, force: boolean): Promise<Record<string, string>> {
    const refresh = auth.refresh;
    if (!refresh) return {};
    const { headers, secrets } = await refresh(force);
    for (const secret of secrets) this.log.redactor.add(secret);
    return headers;
  }

  private metric(response: Response): void {
    const origin = response.request.options.context as Partial<RequestOrigin> | undefined;
    const stream = origin?.stream ?? '';
    this.requestCounts.set(stream, (this.requestCounts.get(stream) ?? 0) + 1);
    if (this.log.enabled('debug')) {
      this.log.debug(`${stream ? `stream '${stream}': ` : ''}${response.request.options.method} ${this.log.redactor.url(response.url)} -> HTTP ${response.statusCode} in ${response.timings.phases.total ?? '?'} ms`);
    }
    if (!this.log.enabled('info')) return;
    const ok = response.statusCode < 400;
    this.log.timer('http_request_duration', (response.timings.phases.total ?? 0) / 1000, {
      stream, endpoint: origin?.endpoint ?? '', http_status_code: response.statusCode, status: ok ? 'succeeded' : 'failed',
    });
  }

  /** A request for a path (or absolute URL) relative to the base URL, with auth applied. */
  request(path: string, init: { method?: RequestSpec['method']; params?: Record<string, string | number | boolean | undefined>; json?: unknown; headers?: Record<string, string> } = {}): RequestSpec {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    let url: URL;
    try {
      url = /^https?:\/\//.test(path) ? new URL(path) : new URL(base + (path.startsWith('/') ? path : `/${path}`));
    } catch {
      throw new UserError(`cannot build a URL from base_url '${this.options.baseUrl}' and path '${path}'`);
    }
    for (const [k, v] of Object.entries(init.params ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const spec: RequestSpec = { method: init.method ?? 'GET', url, headers: { ...init.headers } };
    if (init.json !== undefined) spec.json = init.json;
    return spec;
  }

  /**
   * A 2xx body read by its Content-Type (`decodeBody`: JSON, XML, text, binary); one that is not what
   * its type says (JSON cut short, XML not well-formed) throws a retryable error (got retries it).
   */
  private parseBody(response: Response<string>): unknown {
    try {
      return decodeBody(response.body, response.headers['content-type'], () => response.rawBody);
    } catch (error) {
      if (error instanceof RangeError) throw new UserError(`${response.request.options.method} ${this.log.redactor.url(response.url)}: response nested too deeply to read`);
      const problem = new Error(error instanceof BodyError ? error.message : String(error));
      (problem as NodeJS.ErrnoException).code = BAD_BODY;
      throw problem;
    }
  }

  private keepParsed(response: Response<string>): Response<string> {
    this.parsed.set(response, this.parseBody(response));
    return response;
  }

  private parse(response: Response<string>): unknown {
    return this.parsed.has(response) ? this.parsed.get(response) : this.parseBody(response);
  }

  /**
   * One request with its retries, holding one slot of the budget, its body parsed as JSON; undefined
   * when the response was classified `ignore` (or `end` without a 2xx): no records, no further page.
   */
  async send(spec: RequestSpec, o: SendOptions): Promise<Reply | undefined> {
    const response = await this.exchange(spec, o);
    if (!response) return undefined;
    const reply: Reply = { url: response.url, status: response.statusCode, headers: response.headers, text: response.body, bytes: response.rawBody, body: this.parse(response) };
    if (this.ends.has(response)) reply.last = true;
    return reply;
  }

  private async exchange(spec: RequestSpec, o: SendOptions): Promise<Response<string> | undefined> {
    const auth = o.auth ?? this.options.auth;
    auth.apply(spec);
    const release = await this.budget.slot();
    try {
      const context = { ...o.origin, ...(auth !== this.options.auth ? { auth } : {}), ...(o.classify ? { classify: o.classify } : {}) };
      return await this.got(spec.url, {
        method: spec.method, headers: spec.headers, json: spec.json, context,
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (error) {
      if (error instanceof RequestError && error.cause instanceof ClassifiedStop) return undefined;
      throw toError(error, spec, this.log.redactor);
    } finally {
      release();
    }
  }

  /** One request with its retries, holding one slot of the budget, parsed as JSON. */
  async json(spec: RequestSpec, origin: RequestOrigin): Promise<{ body: unknown; response: Response<string> }> {
    const response = await this.exchange(spec, { origin }) as Response<string>;
    return { body: this.parse(response), response };
  }

  abort(): void {
    this.aborter.abort();
  }

  /**
   * An abort signal for one stream's requests, also aborted with the whole client. One listener per
   * stream, removed by `release()` (a signal combined per request would keep every request alive).
   */
  streamSignal(): { signal: AbortSignal; abort(): void; release(): void } {
    const controller = new AbortController();
    // One listener per request in flight on this stream (many with max_parallel_requests above 10).
    setMaxListeners(0, controller.signal);
    const onAbort = () => controller.abort(this.aborter.signal.reason);
    if (this.aborter.signal.aborted) onAbort();
    else this.aborter.signal.addEventListener('abort', onAbort, { once: true });
    return {
      signal: controller.signal,
      abort: () => controller.abort(),
      release: () => this.aborter.signal.removeEventListener('abort', onAbort),
    };
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

export { requestKey } from '../retrieve/retriever.js';
