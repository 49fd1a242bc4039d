import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { MapExpression, ExpressionSyntaxError, PyError } from '../../../../src/kit/maps/expression.js';

/** An arithmetic/boolean expression tree, printed as Python and evaluated in JS as Python would. */
type Tree = { n: number } | { op: '+' | '-' | '*' | '//' | '%'; l: Tree; r: Tree } | { neg: Tree } | { cond: Tree; a: Tree; b: Tree };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 20 }).map((n) => ({ n })),
    fc.record({ op: fc.constantFrom('+', '-', '*', '//', '%') as fc.Arbitrary<'+' | '-' | '*' | '//' | '%'>, l: tie('t'), r: tie('t') }),
    fc.record({ neg: tie('t') }),
    fc.record({ cond: tie('t'), a: tie('t'), b: tie('t') }),
  ),
})).t;

function reference(t: Tree): number {
  if ('n' in t) return t.n;
  if ('neg' in t) return -reference(t.neg);
  if ('cond' in t) return reference(t.cond) !== 0 ? reference(t.a) : reference(t.b);
  const l = reference(t.l);
  const r = reference(t.r);
  switch (t.op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '//': if (r === 0) throw new Error('div0'); return Math.floor(l / r);
    case '%': if (r === 0) throw new Error('div0'); return l - r * Math.floor(l / r);
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

  it('arithmetic and conditionals evaluate as Python does, with minimal or full parentheses', () => {
    fc.assert(fc.property(tree, (t) => {
      let want: number;
      try {
        want = reference(t);
      } catch {
        expect(() => evaluate(full(t))).toThrow(PyError);
        return;
      }
      // Python's -0 is 0; JS keeps the sign, which JSON drops anyway.
      expect(evaluate(full(t)) as number + 0).toBe(want + 0);
      expect(evaluate(minimal(t)) as number + 0).toBe(want + 0);
    }), { numRuns: 1000 });
  });
});
