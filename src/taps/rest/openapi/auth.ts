import { isJsonObject, type JsonObject, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { AuthConfig } from '../definition.js';
import type { RefResolver } from './refs.js';
import { settingName } from './names.js';

/** Auth for the definition, extra headers (a second API key of the same requirement), and the settings they reference. */
export interface AuthGuess {
  auth?: AuthConfig;
  headers: Record<string, string>;
  settings: Record<string, JsonSchema>;
  why: string;
}

/** A token URL relative to the server (`/oauth2/token`) made absolute, as OpenAPI resolves it. */
function absolute(url: string, base: string | undefined): string {
  if (/^https?:\/\//i.test(url) || !base || !/^https?:\/\//i.test(base)) return url;
  return new URL(url, base.endsWith('/') ? base : `${base}/`).toString();
}

function schemesUsed(doc: JsonObject): string[][] {
  const out: string[][] = [];
  const add = (sec: unknown) => {
    if (Array.isArray(sec)) for (const req of sec) if (isJsonObject(req)) out.push(Object.keys(req));
  };
  add(doc.security);
  const paths = isJsonObject(doc.paths) ? doc.paths : {};
  for (const item of Object.values(paths)) if (isJsonObject(item) && isJsonObject(item.get)) add(item.get.security);
  return out.filter((r) => r.length > 0);
}

/**
 * `securitySchemes` as a tap-rest/dlt auth with `{config.*}` placeholders: an API key in a header,
 * the query or a cookie; HTTP bearer and basic; OAuth2 client credentials (its token URL); other
 * OAuth2 flows and OpenID Connect as a bearer token obtained elsewhere. The scheme is the document's
 * `security` requirement (else the one its GET operations use most, else the first declared); a
 * second API key of the same requirement is a client header.
 */
export function detectAuth(doc: JsonObject, refs: RefResolver, base?: string): AuthGuess {
  const components = isJsonObject(doc.components) ? doc.components : {};
  const schemes = isJsonObject(components.securitySchemes) ? components.securitySchemes : {};
  const names = Object.keys(schemes);
  if (!names.length) return { headers: {}, settings: {}, why: 'no securitySchemes in the document: no auth' };
  const used = schemesUsed(doc);
  const counts = new Map<string, number>();
  for (const r of used) counts.set(r.join('+'), (counts.get(r.join('+')) ?? 0) + 1);
  const top = isJsonObject(doc) && Array.isArray(doc.security) && used[0] ? used[0] : [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0].split('+');
  const supported = (n: string) => {
    const s = refs.deref(schemes[n]);
    return isJsonObject(s) && ['apiKey', 'http', 'oauth2', 'openIdConnect'].includes(String(s.type));
  };
  const requirement = (top ?? [names.find(supported) ?? (names[0] as string)]).filter((n) => n in schemes);
  const settings: Record<string, JsonSchema> = {};
  const headers: Record<string, string> = {};
  let auth: AuthConfig | undefined;
  const whys: string[] = [];
  const secret = (name: string, description: string) => {
    settings[name] = { type: 'string', secret: true, description };
    return `{config.${name}}`;
  };
  for (const schemeName of requirement) {
    const s = refs.deref(schemes[schemeName]);
    if (!isJsonObject(s)) continue;
    const desc = `${schemeName}${typeof s.description === 'string' && s.description ? `: ${s.description.split('\n')[0]?.slice(0, 160)}` : ''}`;
    if (s.type === 'apiKey' && typeof s.name === 'string') {
      const location = s.in === 'query' ? 'query' : s.in === 'cookie' ? 'cookie' : 'header';
      const setting = auth ? settingName(s.name).toLowerCase() : 'api_key';
      if (!auth) {
        auth = { type: 'api_key', name: s.name, api_key: secret(setting, `API key sent in the ${location} '${s.name}' (${desc})`), location };
        whys.push(`API key in ${location} '${s.name}' (${schemeName})`);
      } else if (location === 'header') {
        headers[s.name] = secret(/key|token|secret|password/i.test(setting) ? setting : `${setting}_key`, `Sent as header '${s.name}' (${desc})`);
        whys.push(`and header '${s.name}' (${schemeName})`);
      } else whys.push(`scheme '${schemeName}' (a second ${location} key) is not set: tap-rest sends one auth`);
    } else if (auth) {
      whys.push(`scheme '${schemeName}' not set (one auth per definition)`);
    } else if (s.type === 'http' && String(s.scheme).toLowerCase() === 'bearer') {
      auth = { type: 'bearer', token: secret('api_token', `Bearer token (${desc})`) };
      whys.push(`HTTP bearer (${schemeName})`);
    } else if (s.type === 'http' && String(s.scheme).toLowerCase() === 'basic') {
      settings.username = { type: 'string', description: `HTTP basic user name (${desc})` };
      auth = { type: 'http_basic', username: '{config.username}', password: secret('password', `HTTP basic password (${desc})`) };
      whys.push(`HTTP basic (${schemeName})`);
    } else if (s.type === 'oauth2' && isJsonObject(s.flows) && isJsonObject(s.flows.clientCredentials) && typeof s.flows.clientCredentials.tokenUrl === 'string') {
      settings.client_id = { type: 'string', description: `OAuth2 client id (${desc})` };
      auth = { type: 'oauth2_client_credentials', access_token_url: absolute(s.flows.clientCredentials.tokenUrl, base), client_id: '{config.client_id}', client_secret: secret('client_secret', `OAuth2 client secret (${desc})`) };
      whys.push(`OAuth2 client credentials (${schemeName})`);
    } else if (s.type === 'oauth2' || s.type === 'openIdConnect') {
      auth = { type: 'bearer', token: secret('access_token', `OAuth2 access token obtained outside the tap (${desc})`) };
      whys.push(`${s.type === 'oauth2' ? 'OAuth2 (no client-credentials flow)' : 'OpenID Connect'}: a bearer token obtained elsewhere (${schemeName})`);
    } else {
      whys.push(`scheme '${schemeName}' (${String(s.type)} ${String(s.scheme ?? '')}) is not supported`);
    }
  }
  return { ...(auth ? { auth } : {}), headers, settings, why: whys.join('; ') || 'no usable scheme' };
}
