import got from 'got';
import type { Authenticator } from './auth.js';
import { UserError } from '../core/errors.js';
import { isJsonObject } from '../core/json.js';
import { serverMessage } from './response.js';

export interface OAuth2ClientCredentialsOptions {
  /** The token endpoint (`access_token_url`). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Extra form fields of the token request (`scope`, `audience`, ...); `grant_type` defaults to `client_credentials`. */
  requestData?: Record<string, string>;
  /** Seconds a token lives when the endpoint does not say (`expires_in`); default 3600. */
  defaultExpiresIn?: number;
  /** Renew this many seconds before the expiry (default 60, or a tenth of a short lifetime). */
  refreshMarginSeconds?: number;
  /** Seconds before the token request is abandoned (default 30). */
  timeoutSeconds?: number;
  /** For tests: the clock. */
  now?: () => number;
}

/**
 * OAuth2 client-credentials grant (RFC 6749 §4.4): the token is fetched once, cached, renewed shortly
 * before it expires and at once after a 401. The client authenticates with HTTP basic (§2.3.1); the
 * client secret and every token are registered as secrets, so neither appears in a log line.
 */
export function oauth2ClientCredentials(options: OAuth2ClientCredentialsOptions): Authenticator {
  const { tokenUrl, clientId, clientSecret, defaultExpiresIn = 3600, timeoutSeconds = 30, now = Date.now } = options;
  const basicCredentials = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  let token: string | undefined;
  let expiresAt = 0;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const form = { grant_type: 'client_credentials', ...options.requestData };
    let text: string;
    try {
      const response = await got.post(tokenUrl, {
        form, headers: { authorization: `Basic ${basicCredentials}`, accept: 'application/json' },
        timeout: { request: timeoutSeconds * 1000 }, retry: { limit: 2, methods: ['POST'] }, responseType: 'text',
      });
      text = response.body;
    } catch (error) {
      const response = (error as { response?: { statusCode: number; body: unknown } }).response;
      const detail = response ? `HTTP ${response.statusCode} - ${serverMessage(response.body)}` : (error as Error).message;
      throw new UserError(`OAuth2 token request to ${tokenUrl} failed: ${detail.split(clientSecret).join('***')} (check client_id and client_secret)`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new UserError(`OAuth2 token endpoint ${tokenUrl} did not answer JSON`);
    }
    const access = isJsonObject(body) ? body.access_token : undefined;
    if (typeof access !== 'string' || access === '') throw new UserError(`OAuth2 token endpoint ${tokenUrl} answered without an access_token`);
    const lifetime = isJsonObject(body) && Number(body.expires_in) > 0 ? Number(body.expires_in) : defaultExpiresIn;
    const margin = options.refreshMarginSeconds ?? Math.min(60, lifetime / 10);
    expiresAt = now() + (lifetime - margin) * 1000;
    token = access;
    return access;
  };

  return {
    secrets: [clientSecret, basicCredentials],
    apply: () => {},
    refresh: async (force) => {
      if (force || !token || now() >= expiresAt) {
        if (force) token = undefined;
        // Concurrent requests share one token request.
        pending ??= fetchToken().finally(() => { pending = undefined; });
        await pending;
      }
      const current = token as string;
      return { headers: { authorization: `Bearer ${current}` }, secrets: [current] };
    },
  };
}
