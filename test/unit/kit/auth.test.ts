import { describe, it, expect } from 'vitest';
import { bearer, apiKey, basic, noAuth, registerSecrets, type RequestSpec } from '../../../src/kit/http/auth.js';
import { Redactor } from '../../../src/kit/log/redact.js';

const req = (): RequestSpec => ({ method: 'GET', url: new URL('https://api.test/items?page=1'), headers: {} });

describe('authenticators', () => {
  it('bearer sets Authorization', () => {
    const r = req();
    bearer('tok-123').apply(r);
    expect(r.headers.authorization).toBe('Bearer tok-123');
    expect(bearer('tok-123').secrets).toEqual(['tok-123']);
  });

  it('apiKey in a header, with and without prefix', () => {
    const r = req();
    apiKey({ name: 'X-API-Key', value: 'k-1' }).apply(r);
    expect(r.headers['x-api-key']).toBe('k-1');
    const r2 = req();
    apiKey({ name: 'Authorization', value: 'k-2', prefix: 'APIKEY' }).apply(r2);
    expect(r2.headers.authorization).toBe('APIKEY k-2');
    expect(r2.url.search).toBe('?page=1');
  });

  it('apiKey in the query string, applied twice stays one parameter', () => {
    const r = req();
    const a = apiKey({ name: 'api_key', value: 'k 3', location: 'query' });
    a.apply(r);
    a.apply(r);
    expect(r.url.searchParams.getAll('api_key')).toEqual(['k 3']);
    expect(r.url.searchParams.get('page')).toBe('1');
  });

  it('basic auth encodes user:password and registers both password and encoded form as secrets', () => {
    const r = req();
    const b = basic('me', 'pw-secret');
    b.apply(r);
    const encoded = Buffer.from('me:pw-secret').toString('base64');
    expect(r.headers.authorization).toBe(`Basic ${encoded}`);
    const red = new Redactor();
    registerSecrets(b, red);
    expect(red.redact(`Authorization: Basic ${encoded} / pw-secret`)).toBe('Authorization: Basic *** / ***');
  });

  it('noAuth changes nothing', () => {
    const r = req();
    noAuth.apply(r);
    expect(r).toEqual(req());
    expect(noAuth.secrets).toEqual([]);
  });
});
