import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { COMMON_URI } from '../../../src/kit/records/formats.js';
import { createAjv } from '../../../src/kit/records/validate.js';

const fullUri = fullFormats.uri as (value: string) => boolean;

describe('the uri fast path', () => {
  it('takes the common http(s) URLs and leaves the rest to the full rule', () => {
    for (const url of ['https://uptime.betterstack.com', 'http://127.0.0.1:5001/api/v2/monitors?per_page=250&page=2', 'https://api.example.com/v1/a%20b/c;d=1#top', 'https://h/?q=a/b?c']) {
      expect(COMMON_URI.test(url), url).toBe(true);
    }
    for (const url of ['ftp://example.com/x', 'https://[::1]:8080/', 'https://user@example.com/', 'mailto:a@b.c', 'https://exa mple.com', 'https://example.com/a b', 'https://', '/relative']) {
      expect(COMMON_URI.test(url), url).toBe(false);
    }
  });

  it('accepts only what ajv-formats\' uri rule accepts (generated URLs and near-URLs)', () => {
    const chars = (set: string[]) => fc.array(fc.constantFrom(...set), { maxLength: 12 }).map((list) => list.join(''));
    const inRfc = chars([...'aZ09-._~!$&\'()*+,;=:@/?#'.split(''), '%2F', '%zz', '%']);
    const beyond = chars([...'aZ09-._~!$&\'()*+,;=:@/?#%[] "<>\\^`{|}'.split(''), 'é']);
    const part = fc.oneof(inRfc, beyond);
    let taken = 0;
    fc.assert(fc.property(fc.constantFrom('http://', 'https://', 'HTTP://', 'https:/', ''), part, part, part, (scheme, host, path, rest) => {
      const value = `${scheme}${host}/${path}${rest}`;
      if (!COMMON_URI.test(value)) return;
      taken++;
      expect(fullUri(value), value).toBe(true);
    }), { numRuns: 3000 });
    expect(taken).toBeGreaterThan(30);
  });

  it('a record validator built by the kit refuses what the full rule refuses', () => {
    const validate = createAjv().compile({ type: 'string', format: 'uri' });
    expect(validate('https://example.com/x')).toBe(true);
    expect(validate('https://[::1]:8080/')).toBe(true);
    expect(validate('not a uri')).toBe(false);
    expect(validate('https://example.com/a b')).toBe(false);
  });
});
