import { describe, expect, it } from 'vitest';
import { firstTooDeep } from '../../../src/taps/rest/nesting.js';
import { loadDefinition } from '../../../src/taps/rest/load.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

describe('a definition nested beyond any real one is refused before the YAML parser recurses', () => {
  it('counts flow brackets, block indentation and compact `- ` levels; quoted brackets and comments do not count', () => {
    // The line a text starts on is one level (a document's root), each bracket one more.
    expect(firstTooDeep('[[[]]]', 4)).toBeUndefined();
    expect(firstTooDeep('[[[[]]]]', 4)).toEqual({ line: 1, column: 4 });
    expect(firstTooDeep('a:\n  b:\n    c:\n      d: 1\n', 3)).toEqual({ line: 4, column: 7 });
    expect(firstTooDeep('a:\n  b:\n    c:\n      d: 1\n', 4)).toBeUndefined();
    expect(firstTooDeep('a:\n  b: 1\nc:\n  d: 1\ne: 2\n', 2)).toBeUndefined();
    expect(firstTooDeep('- - - x\n', 4)).toBeUndefined();
    expect(firstTooDeep('- - - - x\n', 4)).toEqual({ line: 1, column: 1 });
    expect(firstTooDeep('x: "[[[[[["\ny: \'{{{{{\'\n# [[[[[[\nz: it\'s [ok]\n', 2)).toBeUndefined();
    expect(firstTooDeep('{"a": {"b": "\\"[[[["}}', 3)).toBeUndefined();
  });

  it('every sample definition is far within the limit', () => {
    for (const f of readdirSync('sample-config').filter((n) => /\.source\.(json|ya?ml)$/.test(n))) {
      expect(firstTooDeep(readFileSync(path.join('sample-config', f), 'utf8'), 16), f).toBeUndefined();
    }
  });

  // Without the limit, the YAML parser ran out of stack inside V8's regular-expression compiler on
  // some of these depths, which ends the process (FATAL ERROR: RegExpCompiler Allocation failed)
  // instead of throwing: the fuzz test crashed its worker that way in CI.
  it('500 to 3,000 levels: one UserError line each, never a crash', () => {
    for (let k = 500; k <= 3_000; k += 37) {
      const text = `\n{"client": {"base_url": "http://x"}, "resources": ${'['.repeat(k)}${']'.repeat(k)}}`;
      let error: Error | undefined;
      try {
        loadDefinition(text);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe('UserError');
      expect(error?.message).toMatch(/^definition \(inline\) line 2 column \d+: not valid JSON or YAML \(nested more than 256 levels deep\)$/);
    }
  });
});
