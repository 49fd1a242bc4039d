// A 2xx body read by its Content-Type (src/kit/http/body.ts): JSON as before, XML, text, bytes.
import { describe, it, expect } from 'vitest';
import { BodyError, bodyKind, bodyReady, decodeBody, prepareBody } from '../../../src/kit/http/body.js';

const bytes = (b: Buffer) => () => b;
const none = () => { throw new Error('bytes asked for a body read as text'); };

describe('bodyKind', () => {
  it('JSON for no type, any JSON type, HTML (an error page) and unknown types; XML, text and binary by name', () => {
    expect([undefined, 'application/json; charset=utf-8', 'application/vnd.api+json', 'text/html', 'application/x-www-form-urlencoded'].map(bodyKind)).toEqual(['json', 'json', 'json', 'json', 'json']);
    expect(['application/xml', 'text/xml; charset=UTF-8', 'application/atom+xml'].map(bodyKind)).toEqual(['xml', 'xml', 'xml']);
    expect(['text/plain', 'text/csv'].map(bodyKind)).toEqual(['text', 'text']);
    expect(['application/pdf', 'application/octet-stream', 'image/png', 'application/zip', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'].map(bodyKind)).toEqual(['binary', 'binary', 'binary', 'binary', 'binary']);
  });
});

describe('decodeBody', () => {
  it('JSON as before: parsed, empty is null, cut short or not JSON a BodyError', () => {
    expect(decodeBody('{"a":[1]}', 'application/json', none)).toEqual({ a: [1] });
    expect(decodeBody('["x","y"]', undefined, none)).toEqual(['x', 'y']);
    expect(decodeBody('', 'application/json', none)).toBeNull();
    expect(() => decodeBody('{"a":', 'application/json', none)).toThrow(new BodyError('truncated response (5 characters, not complete JSON)'));
    expect(() => decodeBody('<html>down</html>', 'text/html', none)).toThrow(new BodyError('response is not JSON'));
  });
  it('text is the string (JSON sent as text/plain is JSON)', () => {
    expect(decodeBody('hello\n', 'text/plain', none)).toBe('hello\n');
    expect(decodeBody('{"a":1}', 'text/plain', none)).toEqual({ a: 1 });
    expect(decodeBody('[not json', 'text/plain', none)).toBe('[not json');
  });
  it('bytes are base64 from the raw body, never a text decode', () => {
    const raw = Buffer.from([0x25, 0x50, 0xff, 0xfe, 0x00, 0xe2]);
    expect(decodeBody(raw.toString('utf8'), 'application/pdf; name=x.pdf', bytes(raw))).toEqual({ value: raw.toString('base64'), content_type: 'application/pdf', size: 6 });
  });
  it('XML: elements as objects, repeated ones as lists, text as strings, attributes as @name, namespace prefixes dropped', async () => {
    // The parser is loaded by prepareBody (an import(), which a bundle carries as a chunk), only for XML.
    expect(bodyReady('application/json')).toBe(true);
    expect(bodyReady('application/xml')).toBe(false);
    expect(() => decodeBody('<a/>', 'application/xml', none)).toThrow(/before prepareBody/);
    await prepareBody('application/json');
    expect(bodyReady('application/xml')).toBe(false);
    await prepareBody('application/xml');
    expect(bodyReady('application/xml')).toBe(true);
    const xml = '<?xml version="1.0"?><r:List xmlns:r="urn:x"><r:Item id="7"><n>007</n><ok>true</ok></r:Item><r:Item><n>b &amp; c</n></r:Item></r:List>';
    expect(decodeBody(xml, 'application/xml', none)).toEqual({ List: { Item: [{ '@id': '7', n: '007', ok: 'true' }, { n: 'b & c' }] } });
    expect(decodeBody('', 'text/xml', none)).toBeNull();
    expect(() => decodeBody('<a><b>1</a>', 'text/xml', none)).toThrow(/^response is not well-formed XML \(line 1: /);
  });
});
