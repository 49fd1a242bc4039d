import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { MapExpression, ExpressionSyntaxError, PyError, BudgetError } from '../../../../src/kit/output/maps/expression.js';

/** An arithmetic/boolean expression tree, printed as Python and evaluated exactly (BigInt) as Python would. */
type Tree = { n: bigint } | { op: '+' | '-' | '*' | '//' | '%'; l: Tree; r: Tree } | { neg: Tree } | { cond: Tree; a: Tree; b: Tree };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    // Small ints, and ints beyond 2^53 (ids as APIs send them), which Python keeps exact.
    fc.oneof(fc.bigInt({ min: 0n, max: 20n }), fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n })).map((n) => ({ n })),
    fc.record({ op: fc.constantFrom('+', '-', '*', '//', '%') as fc.Arbitrary<'+' | '-' | '*' | '//' | '%'>, l: tie('t'), r: tie('t') }),
    fc.record({ neg: tie('t') }),
    fc.record({ cond: tie('t'), a: tie('t'), b: tie('t') }),
  ),
})).t;

function reference(t: Tree): bigint {
  if ('n' in t) return t.n;
  if ('neg' in t) return -reference(t.neg);
  if ('cond' in t) return reference(t.cond) !== 0n ? reference(t.a) : reference(t.b);
  const l = reference(t.l);
  const r = reference(t.r);
  switch (t.op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '//': {
      if (r === 0n) throw new Error('div0');
      const q = l / r;
      return l % r !== 0n && l < 0n !== r < 0n ? q - 1n : q;
    }
    case '%': {
      if (r === 0n) throw new Error('div0');
      const m = l % r;
      return m !== 0n && m < 0n !== r < 0n ? m + r : m;
    }
  }
}

/** Fully parenthesised. */
const full = (t: Tree): string =>
  'n' in t ? String(t.n) : 'neg' in t ? `(-${full(t.neg)})` : 'cond' in t ? `(${full(t.a)} if ${full(t.cond)} else ${full(t.b)})` : `(${full(t.l)} ${t.op} ${full(t.r)})`;

/** With only the parentheses Python's precedence needs (left-associative binary operators). */
const PREC = { '+': 1, '-': 1, '*': 2, '//': 2, '%': 2 } as const;
function minimal(t: Tree, ctx = 0, rightOfSame = false): string {
  if ('n' in t) return String(t.n);
  if ('neg' in t) return ctx > 2 ? `(-${minimal(t.neg, 3)})` : `-${minimal(t.neg, 3)}`;
  if ('cond' in t) return ctx > 0 ? `(${minimal(t.a, 1)} if ${minimal(t.cond, 1)} else ${minimal(t.b, 0)})` : `${minimal(t.a, 1)} if ${minimal(t.cond, 1)} else ${minimal(t.b, 0)}`;
  const p = PREC[t.op];
  const s = `${minimal(t.l, p)} ${t.op} ${minimal(t.r, p + 1, true)}`;
  return p < ctx || (rightOfSame && p < ctx) ? `(${s})` : s;
}

const evaluate = (src: string) => new MapExpression(src).evaluate({ vars: {}, record: {} });

describe('map expressions: fuzzed', () => {
  it('any text either parses or is an ExpressionSyntaxError with a column inside it (never a crash)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (src) => {
      try {
        new MapExpression(src);
      } catch (error) {
        expect(error).toBeInstanceOf(ExpressionSyntaxError);
        const column = (error as ExpressionSyntaxError).column;
        expect(column).toBeGreaterThanOrEqual(1);
        expect(column).toBeLessThanOrEqual(src.length + 1);
      }
    }), { numRuns: 2000 });
  });

  it('text made of the language tokens parses or fails cleanly too', () => {
    const token = fc.constantFrom('email', 'record', "'a'", '1', '2.5', '(', ')', '[', ']', '{', '}', ',', ':', '.', 'lower', '+', '-', '*', '/', '//', '%', '**',
      '==', '<', 'not', 'and', 'or', 'in', 'is', 'if', 'else', 'for', 'x', 'None', 'True', 'md5', '=', '__class__', 'lambda');
    fc.assert(fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
      const src = tokens.join(' ');
      try {
        new MapExpression(src);
      } catch (error) {
        expect(error).toBeInstanceOf(ExpressionSyntaxError);
      }
    }), { numRuns: 2000 });
  });

  it('arithmetic and conditionals evaluate exactly as Python does (ints beyond 2^53 too), with minimal or full parentheses', () => {
    fc.assert(fc.property(tree, (t) => {
      let want: bigint;
      try {
        want = reference(t);
      } catch {
        expect(() => evaluate(full(t))).toThrow(PyError);
        return;
      }
      // An int is a number while it is a safe integer, an exact bigint beyond.
      const exact = (v: unknown) => (typeof v === 'bigint' ? v : Number.isSafeInteger(v) ? BigInt(v as number) : v);
      const got = evaluate(full(t));
      expect(exact(got)).toBe(want);
      expect(exact(evaluate(minimal(t)))).toBe(want);
      if (typeof got === 'number') expect(Number.isSafeInteger(got)).toBe(true);
    }), { numRuns: 1000 });
  });
});

// --- the sandbox: nothing of JavaScript is reachable, nothing exhausts the process --------------

/** Names of JS internals an attribute or key could reach (Object, String, Array, Function prototypes, our host objects). */
const JS_NAMES = ['constructor', 'valueOf', 'toString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString',
  'length', 'prototype', 'call', 'apply', 'bind', 'charAt', 'at', 'map', 'push', 'concat', 'slice', 'then', 'name', 'arith', 'getAttr',
  'str', 'toJSON', 'pyTypeName', 'truthy', 'compareKey', 'attrs', 'faker', 'ms', 'wall'];
const METHODS: Record<string, string[]> = {
  str: ['lower', 'upper', 'strip', 'lstrip', 'rstrip', 'title', 'capitalize', 'swapcase', 'startswith', 'endswith', 'find', 'rfind', 'index', 'count', 'replace', 'split', 'join', 'zfill', 'isdigit', 'isalpha', 'isalnum', 'isspace', 'islower', 'isupper', 'encode'],
  list: ['count', 'index'],
  dict: ['get', 'keys', 'values', 'items'],
};
const identifier = fc.oneof(fc.constantFrom(...JS_NAMES, ...Object.values(METHODS).flat()), fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/));
/** Either a value JSON can carry, or a PyError: never a JS error, never a JS function or object. */
function valueOrPyError(run: () => unknown): { value?: unknown; error?: PyError } {
  try {
    const value = run();
    const walk = (v: unknown): void => {
      if (v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v)) return;
      if (Array.isArray(v)) return v.forEach(walk);
      expect(typeof v).toBe('object');
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      Object.values(v as object).forEach(walk);
    };
    walk(value);
    return { value };
  } catch (error) {
    if (!(error instanceof PyError)) throw error;
    return { error };
  }
}
const json = (scope: Record<string, unknown>) => (src: string) => new MapExpression(src).evaluateJson({ vars: { record: scope, _: scope }, record: scope }, () => 'fuzz');

describe('map expressions: a sandbox (fuzzed)', () => {
  it('attributes are the documented methods of str, list and dict, or a dict\'s own keys: nothing of JavaScript', () => {
    fc.assert(fc.property(identifier, fc.boolean(), fc.constantFrom('name', 'tags', 'record', 'datetime', 'json', 'fake_', 'md5', 'n', 'none'), fc.constantFrom('', '()', "('id')"),
      (attr, hasField, receiver, call) => {
        const record: Record<string, unknown> = JSON.parse(`{"id": 1, "name": "Ann", "tags": ["a"], "n": 5, "none": null${hasField ? `, ${JSON.stringify(attr)}: "field"` : ''}}`);
        const { value, error } = valueOrPyError(() => json(record)(`${receiver === 'fake_' ? 'record' : receiver}.${attr}${call}`));
        const kind = receiver === 'name' ? 'str' : receiver === 'tags' ? 'list' : receiver === 'record' || receiver === 'fake_' ? 'dict' : 'other';
        const documented = (METHODS[kind] ?? []).includes(attr);
        const ownKey = kind === 'dict' && Object.hasOwn(record, attr);
        if (ownKey && !documented && call === '') expect(value).toEqual(record[attr]);
        else if (kind !== 'other' && !documented && !ownKey) expect(error?.pyType).toBe('AttributeError');
        if (kind === 'other' && JS_NAMES.includes(attr)) expect(error).toBeInstanceOf(PyError);
      }), { numRuns: 1500 });
  });

  it('any key is data: dict literals, subscripts and get() keep `__proto__`, `constructor` and the rest as keys', () => {
    fc.assert(fc.property(fc.oneof(fc.constantFrom('__proto__', ...JS_NAMES), fc.string({ maxLength: 12 })), fc.integer(), (key, n) => {
      const literal = JSON.stringify(key);
      const record: Record<string, unknown> = JSON.parse(`{${literal}: ${n}}`);
      const dict = json(record)(`{${literal}: ${n}, 'other': [${literal}]}`) as Record<string, unknown>;
      expect(Object.getPrototypeOf(dict)).toBe(Object.prototype);
      expect(Object.keys(dict).sort()).toEqual([...new Set([key, 'other'])].sort());
      if (key !== 'other') expect(Object.getOwnPropertyDescriptor(dict, key)?.value).toBe(n);
      expect(json(record)(`record[${literal}]`)).toBe(n);
      expect(json(record)(`record.get(${literal})`)).toBe(n);
      expect(json(record)(`${literal} in record`)).toBe(true);
      expect(json({})(`${literal} in {}`)).toBe(false);
    }), { numRuns: 500 });
  });

  it('a field of any name is read by its name, as a variable or an attribute of record', () => {
    const keywords = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'True', 'False', 'None', 'lambda', 'import', 'from', 'def', 'class', 'yield', 'await', 'async', 'del', 'global', 'nonlocal', 'exec', 'eval', 'while', 'with', 'return', 'raise', 'try', 'assert', 'pass']);
    const scope = new Set(['record', 'config', 'fake', 'self', '_', 'md5', 'sha256', 'int', 'float', 'str', 'bool', 'len', 'round', 'min', 'max', 'abs', 'json', 'datetime']);
    fc.assert(fc.property(identifier.filter((n) => !keywords.has(n) && !scope.has(n) && !n.startsWith('_')), fc.integer(), (name, n) => {
      const record: Record<string, unknown> = JSON.parse(`{${JSON.stringify(name)}: ${n}}`);
      expect(json(record)(name)).toBe(n);
      if (!METHODS.dict!.includes(name)) expect(json(record)(`record.${name}`)).toBe(n);
    }), { numRuns: 500 });
  });

  it('nesting of any depth parses or is one syntax error (the stack never overflows)', () => {
    const shapes: Array<(d: number) => string> = [
      (d) => '('.repeat(d) + '1' + ')'.repeat(d),
      (d) => '['.repeat(d) + '1' + ']'.repeat(d),
      (d) => "{'a': ".repeat(d) + '1' + '}'.repeat(d),
      (d) => 'str('.repeat(d) + '1' + ')'.repeat(d),
      (d) => '-'.repeat(d) + '1',
      (d) => 'not '.repeat(d) + 'n',
      (d) => '2 ** '.repeat(d) + '1',
      (d) => 'n if n else '.repeat(d) + '1',
      (d) => '1' + ' + 1'.repeat(d),
      (d) => 'n' + '[0]'.repeat(d),
      (d) => '[x for x in '.repeat(d) + "'ab'" + ']'.repeat(d),
    ];
    fc.assert(fc.property(fc.constantFrom(...shapes.keys()), fc.oneof(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 150, max: 6000 })), (shape, depth) => {
      const src = (shapes[shape] as (d: number) => string)(depth);
      let parsed: MapExpression;
      try {
        parsed = new MapExpression(src);
      } catch (error) {
        expect(error).toBeInstanceOf(ExpressionSyntaxError);
        return;
      }
      valueOrPyError(() => parsed.evaluateJson({ vars: {}, record: { n: [1] } }, () => 'fuzz'));
    }), { numRuns: 200 });
  }, 30_000);

  it('work and memory per record are bounded: a value, or a PyError (the budget), never a JS error or an exhausted process', () => {
    const big = fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 2 ** 26, max: 2 ** 40 }));
    const template = fc.oneof(
      big.map((n) => `'ab' * ${n}`),
      big.map((n) => `[0, 1] * ${n}`),
      big.map((n) => `'x'.zfill(${n})`),
      big.map((n) => `json.dumps(record, indent=${n})`),
      big.map((n) => `2 ** ${n}`),
      big.map((n) => `${n} ** ${n}`),
      fc.tuple(fc.integer({ min: 1, max: 300 }), big).map(([m, n]) => `' '.join(['ab'] * ${m}) * ${n}`),
      fc.tuple(fc.integer({ min: 1, max: 100 }), big).map(([m, n]) => `'a,b'.replace(',', 'x' * ${m}) * ${n}`),
      fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 300, max: 3000 })).map((m) => `[a + b + c for a in 'x' * ${m} for b in 'y' * ${m} for c in 'z' * ${m}]`),
      fc.integer({ min: 1, max: 3000 }).map((m) => `len([x for x in [0] * ${m} if x in [0] * ${m}])`),
    );
    fc.assert(fc.property(template, (src) => {
      const { error } = valueOrPyError(() => json({ id: 1, tags: ['a', 'b'] })(src));
      if (error) expect(error.pyType === 'BudgetError' || error.pyType === 'ValueError').toBe(true);
    }), { numRuns: 100 });
    // Reaching a budget of 1,000,000 steps takes a fraction of a second: room for a loaded machine.
  }, 30_000);

  it('a budget error says which budget was exceeded', () => {
    expect(() => json({})("'a' * 10**9")).toThrow(BudgetError);
    expect(() => json({})("'a' * 10**9")).toThrow(/more than 64 MB of values for one record/);
    expect(() => json({})("[a for a in 'x' * 100 for b in 'x' * 100 for c in 'x' * 100]")).toThrow(/more than 1,000,000 steps for one record/);
  });
});
