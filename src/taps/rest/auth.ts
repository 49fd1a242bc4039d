import { apiKey, basic, bearer, noAuth, oauth2ClientCredentials, UserError, type Authenticator } from '@singer-io-compatible/tap-kit';
import type { AuthConfig } from './definition.js';

/** A dlt auth block (after `{config.*}` resolution) as a kit authenticator. */
export function buildAuth(auth: AuthConfig | undefined, where: string): Authenticator {
  if (!auth) return noAuth;
  const need = (key: keyof AuthConfig): string => {
    const v = auth[key];
    if (typeof v !== 'string' || v === '' || /^\{config\./.test(v)) throw new UserError(`${where}: auth.${String(key)} has no value (set the setting it references)`);
    return v;
  };
  switch (auth.type) {
    case 'bearer': return bearer(need('token'));
    case 'api_key': {
      const location = auth.location === 'param' ? 'query' : auth.location ?? 'header';
      return apiKey({ name: auth.name ?? 'Authorization', value: need('api_key'), location });
    }
    case 'http_basic': return basic(need('username'), need('password'));
    case 'oauth2_client_credentials': return oauth2ClientCredentials({
      tokenUrl: need('access_token_url'), clientId: need('client_id'), clientSecret: need('client_secret'),
      ...(auth.access_token_request_data ? { requestData: auth.access_token_request_data } : {}),
      ...(auth.default_token_expiration ? { defaultExpiresIn: auth.default_token_expiration } : {}),
    });
  }
}
