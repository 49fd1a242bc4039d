/**
 * The authentications `tap-kit new --auth` offers. Each is what it adds to the scaffold: the kit
 * declaration the tap uses (src/tap.ts), the settings it needs, the check the stand-in API makes
 * (test/server.mjs), and how the tap's own test gives good and wrong credentials.
 */

export const AUTH_NAMES = ['none', 'api-key-header', 'api-key-query', 'bearer', 'basic', 'oauth2-client-credentials'] as const;
export type AuthName = (typeof AUTH_NAMES)[number];
export const DEFAULT_AUTH: AuthName = 'bearer';

/** One setting of the tap: its TypeScript field and its JSON Schema property (one line of source each). */
interface Setting {
  name: string;
  type: string;
  schema: string;
  optional?: boolean;
}

export interface AuthChoice {
  name: AuthName;
  /** One line for the menu and the README. */
  summary: string;
  /** What the tap imports from the kit for it. */
  imports: string[];
  settings: Setting[];
  /** The client's `auth:` expression, over the settings `s`. */
  expression: string;
  /** Values of sample-config.json besides `base_url`. */
  sample: Record<string, string>;
  /** test/server.mjs: constants besides TOKEN, and `function authorized(req, url)` (plus any endpoint of its own). */
  server: { constants: string[]; check: string[]; routes?: string[]; imports?: string[] };
  /** test/tap.test.mjs: the names it imports from server.mjs besides TOKEN, and `credentials(secret)`. */
  test: { imports: string[]; credentials: string; secretSetting?: string };
}

/** A single-quoted TypeScript string. */
const quoted = (text: string): string => `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
const secret = (name: string, description: string): Setting => ({ name, type: 'string', schema: `{ type: 'string', secret: true, description: ${quoted(description)} }` });

const HEADER_OK = (expression: string): string[] => [`const authorized = (req) => ${expression};`];

export const AUTH_CHOICES: Record<AuthName, AuthChoice> = {
  none: {
    name: 'none',
    summary: 'no credentials (an open API)',
    imports: ['noAuth'],
    settings: [],
    expression: 'noAuth',
    sample: {},
    server: { constants: [], check: ['const authorized = () => true;'] },
    test: { imports: [], credentials: '() => ({})' },
  },
  'api-key-header': {
    name: 'api-key-header',
    summary: 'an API key in a header (`x-api-key: <api_key>`)',
    imports: ['apiKey'],
    settings: [secret('api_key', 'API key, sent in the `x-api-key` header.')],
    expression: "apiKey({ name: 'x-api-key', value: s.api_key })",
    sample: { api_key: 'dev-token' },
    server: { constants: [], check: HEADER_OK("req.headers['x-api-key'] === TOKEN") },
    test: { imports: [], credentials: '(secret) => ({ api_key: secret })', secretSetting: 'api_key' },
  },
  'api-key-query': {
    name: 'api-key-query',
    summary: 'an API key in the query string (`?api_key=<api_key>`)',
    imports: ['apiKey'],
    settings: [secret('api_key', 'API key, sent as the `api_key` query parameter.')],
    expression: "apiKey({ name: 'api_key', value: s.api_key, location: 'query' })",
    sample: { api_key: 'dev-token' },
    server: { constants: [], check: ["const authorized = (req, url) => url.searchParams.get('api_key') === TOKEN;"] },
    test: { imports: [], credentials: '(secret) => ({ api_key: secret })', secretSetting: 'api_key' },
  },
  bearer: {
    name: 'bearer',
    summary: 'a bearer token (`Authorization: Bearer <api_token>`)',
    imports: ['bearer'],
    settings: [secret('api_token', 'API token, sent as `Authorization: Bearer`.')],
    expression: 'bearer(s.api_token)',
    sample: { api_token: 'dev-token' },
    server: { constants: [], check: HEADER_OK('req.headers.authorization === `Bearer ${TOKEN}`') },
    test: { imports: [], credentials: '(secret) => ({ api_token: secret })', secretSetting: 'api_token' },
  },
  basic: {
    name: 'basic',
    summary: 'HTTP basic auth (`username` and `password`)',
    imports: ['basic'],
    settings: [
      { name: 'username', type: 'string', schema: "{ type: 'string', description: 'User name (HTTP basic auth).' }" },
      secret('password', 'Password (HTTP basic auth).'),
    ],
    expression: 'basic(s.username, s.password)',
    sample: { username: 'dev-user', password: 'dev-token' },
    server: {
      constants: ["export const USERNAME = 'dev-user';"],
      check: HEADER_OK("req.headers.authorization === `Basic ${Buffer.from(`${USERNAME}:${TOKEN}`).toString('base64')}`"),
    },
    test: { imports: ['USERNAME'], credentials: '(secret) => ({ username: USERNAME, password: secret })', secretSetting: 'password' },
  },
  'oauth2-client-credentials': {
    name: 'oauth2-client-credentials',
    summary: 'OAuth2 client credentials (a token from `<base_url>/oauth/token`, renewed before it expires)',
    imports: ['oauth2ClientCredentials'],
    settings: [
      { name: 'client_id', type: 'string', schema: "{ type: 'string', description: 'OAuth2 client id.' }" },
      secret('client_secret', 'OAuth2 client secret.'),
      { name: 'token_url', type: 'string', optional: true, schema: "{ type: 'string', format: 'uri', description: 'OAuth2 token endpoint (default: <base_url>/oauth/token).' }" },
    ],
    expression: 'oauth2ClientCredentials({ tokenUrl: s.token_url ?? `${s.base_url}/oauth/token`, clientId: s.client_id, clientSecret: s.client_secret })',
    sample: { client_id: 'dev-client', client_secret: 'dev-token' },
    server: {
      imports: ["import { randomUUID } from 'node:crypto';"],
      constants: ["export const CLIENT_ID = 'dev-client';"],
      check: [
        '/** Access tokens issued by POST /oauth/token (client credentials, the client authenticated with HTTP basic). */',
        'const issued = new Set();',
        'const authorized = (req) => issued.has(req.headers.authorization?.replace(/^Bearer /, \'\'));',
        'function tokenEndpoint(req, send) {',
        '  let form = \'\';',
        '  req.on(\'data\', (chunk) => { form += chunk; });',
        '  req.on(\'end\', () => {',
        '    if (req.headers.authorization !== `Basic ${Buffer.from(`${CLIENT_ID}:${TOKEN}`).toString(\'base64\')}`) return send(401, { error: \'invalid_client\' });',
        '    if (new URLSearchParams(form).get(\'grant_type\') !== \'client_credentials\') return send(400, { error: \'unsupported_grant_type\' });',
        '    const token = randomUUID();',
        '    issued.add(token);',
        '    send(200, { access_token: token, token_type: \'Bearer\', expires_in: 3600 });',
        '  });',
        '}',
      ],
      routes: ["if (req.method === 'POST' && url.pathname === '/oauth/token') return tokenEndpoint(req, send);"],
    },
    test: { imports: ['CLIENT_ID'], credentials: '(secret) => ({ client_id: CLIENT_ID, client_secret: secret })', secretSetting: 'client_secret' },
  },
};
