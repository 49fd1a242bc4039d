// XML records typed by the stream's schema (src/taps/rest/xml-records.ts).
import { describe, it, expect } from 'vitest';
import { conformXml, isXmlPage } from '../../../src/taps/rest/xml-records.js';

describe('conformXml', () => {
  const schema = {
    type: 'object',
    properties: {
      id: { type: ['integer'] }, code: { type: ['string', 'null'] }, ok: { type: ['boolean', 'null'] }, amount: { type: ['number', 'null'] },
      tags: { type: ['array', 'null'], items: { type: ['string', 'null'] } },
      lines: { type: ['array', 'null'], items: { type: 'object', properties: { n: { type: 'integer' } } } },
      name: { type: 'string' },
    },
  };
  it('numbers and booleans from their text, strings kept (007 stays 007), an element with attributes gives its text', () => {
    expect(conformXml({ id: '7', code: '007', ok: 'false', amount: '1.5', name: { '#text': 'x', '@lang': 'en' } }, schema)).toEqual({ id: 7, code: '007', ok: false, amount: 1.5, name: 'x' });
    expect(conformXml({ id: 'n/a' }, schema)).toEqual({ id: 'n/a' });
  });
  it('a list where the schema says array: one element, none, a wrapped list of one or many', () => {
    expect(conformXml({ tags: 'solo' }, schema)).toEqual({ tags: ['solo'] });
    expect(conformXml({ tags: '' }, schema)).toEqual({ tags: [] });
    expect(conformXml({ tags: { tag: ['a', 'b'] } }, schema)).toEqual({ tags: ['a', 'b'] });
    expect(conformXml({ tags: { tag: 'a' } }, schema)).toEqual({ tags: ['a'] });
    expect(conformXml({ lines: { member: { n: '1' } } }, schema)).toEqual({ lines: [{ n: 1 }] });
    // An item with one field of its own is an item, not a wrapper.
    expect(conformXml({ lines: { n: '2' } }, schema)).toEqual({ lines: [{ n: 2 }] });
  });
  it('what the schema does not describe is kept as read', () => {
    expect(conformXml({ extra: { a: '1' } }, schema)).toEqual({ extra: { a: '1' } });
  });
});

describe('isXmlPage', () => {
  it('by the page\'s Content-Type', () => {
    expect(['application/xml', 'text/xml; charset=utf-8', 'application/atom+xml'].map((t) => isXmlPage({ headers: { 'content-type': t } }))).toEqual([true, true, true]);
    expect(isXmlPage({ headers: { 'content-type': 'application/json' } })).toBe(false);
    expect(isXmlPage({ headers: {} })).toBe(false);
  });
});
