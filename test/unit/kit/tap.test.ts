import { describe, it, expect } from 'vitest';
import { defineTap, shapesFor } from '../../../src/kit/tap/tap.js';
import { rest } from '../../../src/kit/tap/stream.js';
import { noAuth } from '../../../src/kit/http/auth.js';
import { aboutInfo } from '../../../src/kit/cli/about.js';

interface S { extra?: string }
const schema = { type: 'object', properties: { id: { type: 'string' } } };

const tap = defineTap<S>({
  name: 'tap-t', description: 'd', version: '1', catalogDir: new URL('file:///nowhere/'),
  settings: { type: 'object', properties: { extra: { type: 'string' } } },
  client: () => ({ baseUrl: 'http://x', auth: noAuth }),
  streams: [
    rest<S>({ name: 'always', path: '/a', primaryKey: ['id'], schema }),
    rest<S>({ name: 'never', path: '/n', primaryKey: ['id'], schema, selectedByDefault: false }),
    rest<S>({ name: 'when_set', path: '/w', primaryKey: ['id'], schema, selectedByDefault: (s) => s.extra !== undefined }),
  ],
});

describe('selectedByDefault from the settings', () => {
  it('static shapes (--about) read a settings-dependent default as "no"', () => {
    expect(aboutInfo(tap).streams.map((s) => [s.name, s.selected_by_default])).toEqual([['always', true], ['never', false], ['when_set', false]]);
  });
  it('shapesFor resolves it with the settings', () => {
    const pick = (s: S) => shapesFor(tap, s).map((x) => [x.name, x.selectedByDefault !== false]);
    expect(pick({})).toEqual([['always', true], ['never', false], ['when_set', false]]);
    expect(pick({ extra: 'x' })).toEqual([['always', true], ['never', false], ['when_set', true]]);
  });
});
