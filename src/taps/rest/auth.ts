import { apiKey, basic, bearer, noAuth, oauth2ClientCredentials, UserError, type Authenticator, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { AuthConfig } from './definition.js';
import { int, str, strMap, typedSchema, type Kind } from './schema-parts.js';

/** An auth block as its builder reads it: `need(key)` is a value that must be set. */
interface AuthInput {
  auth: AuthConfig;
  need(key: keyof AuthConfig): string;
}

/** dlt's auth types, each with its parameters (and which are required) beside the kit authenticator it builds. */
export const AUTH_TYPES: Record<string, Kind<AuthInput, Authenticator>> = {
  bearer: { params: { token: str }, required: ['token'], build: ({ need }) => bearer(need('token')) },
  api_key: {
    params: { name: str, api_key: str, location: { enum: ['header', 'query', 'param', 'cookie'] } },
    required: ['api_key'],
    build: ({ auth, need }) => {
      const location = auth.location === 'param' ? 'query' : auth.location ?? 'header';
      return apiKey({ name: auth.name ?? 'Authorization', value: need('api_key'), location });
    },
  },
  http_basic: { params: { username: str, password: str }, required: ['username', 'password'], build: ({ need }) => basic(need('username'), need('password')) },
  oauth2_client_credentials: {
    params: { access_token_url: str, client_id: str, client_secret: str, access_token_request_data: strMap, default_token_expiration: int },
    required: ['access_token_url', 'client_id', 'client_secret'],
    build: ({ auth, need }) => oauth2ClientCredentials({
      tokenUrl: need('access_token_url'), clientId: need('client_id'), clientSecret: need('client_secret'),
      ...(auth.access_token_request_data ? { requestData: auth.access_token_request_data } : {}),
      ...(auth.default_token_expiration ? { defaultExpiresIn: auth.default_token_expiration } : {}),
    }),
  },
};

/** A definition's `auth`: `{type, ...params}`, `type` one of AUTH_TYPES. */
export const authSchema: JsonSchema = typedSchema(AUTH_TYPES);

/** A dlt auth block (after `{config.*}` resolution) as a kit authenticator. */
export function buildAuth(auth: AuthConfig | undefined, where: string): Authenticator {
  if (!auth) return noAuth;
  const need = (key: keyof AuthConfig): string => {
    const v = auth[key];
    if (typeof v !== 'string' || v === '' || /^\{config\./.test(v)) throw new UserError(`${where}: auth.${String(key)} has no value (set the setting it references)`);
    return v;
  };
  const kind = Object.hasOwn(AUTH_TYPES, auth.type) ? AUTH_TYPES[auth.type] : undefined;
  if (!kind) throw new UserError(`${where}: auth type '${auth.type}' is not one of ${Object.keys(AUTH_TYPES).join(', ')}`);
  return kind.build({ auth, need });
}
