// Auth from securitySchemes, as {config.*} placeholders with a settings schema.
import { describe, it, expect } from 'vitest';
import { detectAuth } from '../../../src/taps/rest/openapi/auth.js';
import { RefResolver } from '../../../src/taps/rest/openapi/refs.js';

const auth = (schemes: Record<string, unknown>, security?: unknown[], base?: string) => {
  const doc = { components: { securitySchemes: schemes }, ...(security ? { security } : {}), paths: {} };
  return detectAuth(doc, new RefResolver(doc), base);
};

describe('auth', () => {
  it('an API key in a header, the query or a cookie', () => {
    expect(auth({ k: { type: 'apiKey', in: 'header', name: 'X-API-Key' } }).auth).toEqual({ type: 'api_key', name: 'X-API-Key', api_key: '{config.api_key}', location: 'header' });
    expect(auth({ k: { type: 'apiKey', in: 'query', name: 'key' } }).auth).toMatchObject({ location: 'query', name: 'key' });
    expect(auth({ k: { type: 'apiKey', in: 'cookie', name: 'sid' } }).auth).toMatchObject({ location: 'cookie' });
    expect(auth({ k: { type: 'apiKey', in: 'header', name: 'X-API-Key' } }).settings.api_key).toMatchObject({ type: 'string', secret: true });
  });
  it('HTTP bearer and basic', () => {
    expect(auth({ b: { type: 'http', scheme: 'bearer' } }).auth).toEqual({ type: 'bearer', token: '{config.api_token}' });
    const basic = auth({ b: { type: 'http', scheme: 'basic' } });
    expect(basic.auth).toEqual({ type: 'http_basic', username: '{config.username}', password: '{config.password}' });
    expect(Object.keys(basic.settings)).toEqual(['username', 'password']);
  });
  it('OAuth2 client credentials (a relative token URL resolved on the server), other flows a bearer token', () => {
    const cc = auth({ o: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } } }, undefined, 'https://api.example.com/v1');
    expect(cc.auth).toEqual({ type: 'oauth2_client_credentials', access_token_url: 'https://api.example.com/oauth/token', client_id: '{config.client_id}', client_secret: '{config.client_secret}' });
    expect(auth({ o: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'x', tokenUrl: 'y', scopes: {} } } } }).auth).toEqual({ type: 'bearer', token: '{config.access_token}' });
  });
  it('the document\'s security requirement picks the scheme; a second header key of it is a client header', () => {
    const g = auth({ basic: { type: 'http', scheme: 'basic' }, app: { type: 'apiKey', in: 'header', name: 'X-App-Id' }, key: { type: 'apiKey', in: 'header', name: 'X-App-Key' } }, [{ app: [], key: [] }]);
    expect(g.auth).toMatchObject({ type: 'api_key', name: 'X-App-Id' });
    expect(g.headers).toEqual({ 'X-App-Key': '{config.x_app_key}' });
  });
  it('no schemes: no auth', () => {
    expect(auth({}).auth).toBeUndefined();
  });
});
