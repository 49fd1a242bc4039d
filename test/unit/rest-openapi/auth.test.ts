// Auth from securitySchemes, as {config.*} placeholders with a settings schema.
import { describe, it, expect } from 'vitest';
import { detectAuth } from '../../../src/taps/rest/openapi/auth.js';
import { RefResolver } from '../../../src/taps/rest/openapi/refs.js';
import { generate } from '../../../src/taps/rest/openapi/generate.js';
import { settingsSchema } from '../../../src/taps/rest/openapi/writer.js';
import { checkDefinition } from '../../../src/taps/rest/load.js';
import { get, openapi, source, user } from './support.js';

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
  it('OAuth2 client credentials in a document: the settings schema (client_id, client_secret a secret, both required), the auth block with the token URL', () => {
    const doc = openapi({ '/users': get({ type: 'array', items: user }) }, {
      securitySchemes: { oauth: { type: 'oauth2', description: 'Machine-to-machine tokens', flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/oauth2/token', scopes: { read: 'read' } } } } },
    }, { security: [{ oauth: ['read'] }] });
    const g = generate(source(doc));
    expect(g.definition.client).toEqual({
      base_url: 'https://api.example.com/v1',
      auth: { type: 'oauth2_client_credentials', access_token_url: 'https://auth.example.com/oauth2/token', client_id: '{config.client_id}', client_secret: '{config.client_secret}' },
    });
    expect(settingsSchema(g)).toEqual({
      type: 'object',
      properties: {
        client_id: { type: 'string', description: 'OAuth2 client id (oauth: Machine-to-machine tokens)' },
        client_secret: { type: 'string', secret: true, description: 'OAuth2 client secret (oauth: Machine-to-machine tokens)' },
      },
      required: ['client_id', 'client_secret'],
    });
    expect(g.header).toContain('auth: OAuth2 client credentials (oauth)');
    // tap-rest runs it as written.
    expect(() => checkDefinition(JSON.parse(JSON.stringify(g.definition)), 'generated')).not.toThrow();
    // A flow with no token URL is no client-credentials auth: a bearer token obtained elsewhere.
    const noUrl = auth({ o: { type: 'oauth2', flows: { clientCredentials: { scopes: {} } } } });
    expect(noUrl.auth).toEqual({ type: 'bearer', token: '{config.access_token}' });
    expect(noUrl.settings).not.toHaveProperty('client_secret');
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
