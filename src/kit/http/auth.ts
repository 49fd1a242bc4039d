import type { Redactor } from '../log/redact.js';

/** A request as the kit builds it before handing it to got. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  json?: unknown;
  /** Paging state that travels with the request and is never sent (a total only the first page carries). */
  memo?: Record<string, string | number | boolean | null>;
}

/** Adds credentials to a request. The secret is registered with the redactor when the client is built. */
export interface Authenticator {
  readonly secrets: string[];
  apply(request: RequestSpec): void;
  /**
   * Credentials fetched at run time (OAuth2 tokens): the headers for the next request, cached and
   * renewed when about to expire, or at once with `force` (after a 401). Secrets it returns are redacted.
   */
  refresh?(force: boolean): Promise<{ headers: Record<string, string>; secrets: string[] }>;
}

/** `Authorization: Bearer <token>` (Better Stack, the playground, JSON:API incident tools). */
export function bearer(token: string): Authenticator {
  return { secrets: [token], apply: (r) => { r.headers.authorization = `Bearer ${token}`; } };
}

/**
 * An API key in a header (`x-api-key: KEY`, or `Authorization: APIKEY KEY` with a prefix), in the
 * query string, or in a cookie (`Cookie: name=KEY`, added to any cookie the request already has).
 */
export function apiKey(options: { name: string; value: string; location?: 'header' | 'query' | 'cookie'; prefix?: string }): Authenticator {
  const { name, value, location = 'header', prefix } = options;
  return {
    secrets: [value],
    apply: (r) => {
      if (location === 'query') r.url.searchParams.set(name, value);
      else if (location === 'cookie') {
        const others = (r.headers.cookie ?? '').split(/;\s*/).filter((c) => c && !c.startsWith(`${name}=`));
        r.headers.cookie = [...others, `${name}=${encodeURIComponent(value)}`].join('; ');
      } else r.headers[name.toLowerCase()] = prefix ? `${prefix} ${value}` : value;
    },
  };
}

/** HTTP basic auth. */
export function basic(username: string, password: string): Authenticator {
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  return { secrets: [password, encoded], apply: (r) => { r.headers.authorization = `Basic ${encoded}`; } };
}

/** No credentials. */
export const noAuth: Authenticator = { secrets: [], apply: () => {} };

export function registerSecrets(auth: Authenticator, redactor: Redactor): void {
  for (const s of auth.secrets) redactor.add(s);
}
