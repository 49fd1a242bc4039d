import { describe, it, expect } from 'vitest';
import { Redactor } from '../../../src/kit/log/redact.js';

describe('Redactor.redact', () => {
  it('replaces a registered secret everywhere in a text', () => {
    const r = new Redactor();
    r.add('s3cr3t-value');
    expect(r.redact('token s3cr3t-value and again s3cr3t-value.')).toBe('token *** and again ***.');
    expect(r.redact('nothing here')).toBe('nothing here');
  });

  it('replaces the URL-encoded and base64 forms', () => {
    const r = new Redactor();
    const secret = 'p@ss/w0rd+key=';
    r.add(secret);
    expect(encodeURIComponent(secret)).not.toBe(secret);
    expect(r.redact(`raw ${secret}`)).toBe('raw ***');
    expect(r.redact(`url ${encodeURIComponent(secret)}`)).toBe('url ***');
    expect(r.redact(`basic ${Buffer.from(secret).toString('base64')}`)).toBe('basic ***');
  });

  it('replaces the form a secret takes in a query string built with URLSearchParams', () => {
    const r = new Redactor();
    const secret = "key with space~and!quote's";
    r.add(secret);
    const url = new URL('https://api.test/x');
    url.searchParams.set('custom', secret);
    const shown = r.redact(url.toString());
    expect(shown).toBe('https://api.test/x?custom=***');
  });

  it('ignores missing values and values too short to be secrets', () => {
    const r = new Redactor();
    r.add(undefined);
    r.add('ab');
    r.add('');
    expect(r.redact('ab abc')).toBe('ab abc');
  });

  it('a secret of the wrong type (number, list) is redacted as it would be printed', () => {
    const r = new Redactor();
    r.add(98765432123);
    r.add(['tok-one-111', 'tok-two-222']);
    expect(r.redact('got 98765432123')).toBe('got ***');
    expect(r.redact('a tok-two-222 b')).toBe('a *** b');
  });

  it('a longer secret containing a shorter one is fully replaced', () => {
    const r = new Redactor();
    r.add('abc');
    r.add('abcdef-long');
    expect(r.redact('x abcdef-long y abc')).toBe('x *** y ***');
  });

  it('several secrets, registered twice', () => {
    const r = new Redactor();
    r.add('first-secret');
    r.add('second-secret');
    r.add('first-secret');
    expect(r.redact('first-secret:second-secret')).toBe('***:***');
  });
});

describe('Redactor.url', () => {
  it('replaces sensitive query parameters whatever their value', () => {
    const r = new Redactor();
    for (const name of ['api_key', 'apikey', 'api-key', 'API_KEY', 'key', 'token', 'access_token', 'auth', 'secret', 'password', 'client_secret', 'signature']) {
      const shown = r.url(`https://api.test/v1/items?page=2&${name}=unregistered-value`);
      expect(shown).toBe(`https://api.test/v1/items?page=2&${name}=***`);
    }
  });

  it('keeps ordinary parameters', () => {
    const r = new Redactor();
    expect(r.url('https://api.test/items?page=2&per_page=50&monkey=1&tokens_used=3')).toBe('https://api.test/items?page=2&per_page=50&monkey=1&tokens_used=3');
  });

  it('replaces a password in the URL, and registered secrets anywhere in it', () => {
    const r = new Redactor();
    expect(r.url('https://user:hunter2pass@db.test/path')).toBe('https://user:***@db.test/path');
    r.add('tenant-secret-id');
    expect(r.url(new URL('https://api.test/tenants/tenant-secret-id/items?x=tenant-secret-id'))).toBe('https://api.test/tenants/***/items?x=***');
  });

  it('a string that is not a URL is still redacted', () => {
    const r = new Redactor();
    r.add('abc-secret');
    expect(r.url('/relative?x=abc-secret')).toBe('/relative?x=***');
  });
});
