import type { Logger } from '../log/log.js';
import type { Authenticator, RequestSpec } from './auth.js';
import type { Classifier } from './classify.js';

/** Where a request is made from, for METRIC tags and error messages. */
export interface RequestOrigin {
  stream: string;
  endpoint: string;
}

/** How one request is sent (`HttpClient.send`). */
export interface SendOptions {
  origin: RequestOrigin;
  /** Replaces the client's credentials for this request (an endpoint with its own key or scheme). */
  auth?: Authenticator;
  /** Aborts this request and its retries (one stream's requests). */
  signal?: AbortSignal;
  /** Classifies every response (a stream's and the tap's `classify` hooks and response rules). */
  classify?: Classifier | undefined;
}

/** What travels with a request through got's hooks. */
export type SendContext = RequestOrigin & { auth?: Authenticator; classify?: Classifier };

/** A response read in full: its body as text and as JSON (parsed where a bad body could still be retried). */
export interface Reply {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes as they came (a page's fingerprint is taken from them, without encoding `text` again). */
  bytes?: Uint8Array;
  body: unknown;
  /** Classified `end`: the last page of its sequence. */
  last?: boolean;
}

/** What a retriever needs of the HTTP client: one request at a time, and the run's log (with its redactor). */
export interface Transport {
  readonly log: Logger;
  /** The client's own credentials (a request without its own `auth` gets these). */
  readonly options: { readonly auth: Authenticator };
  /** One request with its retries; undefined when it was classified `ignore` (or `end` without a 2xx). */
  send(spec: RequestSpec, options: SendOptions): Promise<Reply | undefined>;
}
