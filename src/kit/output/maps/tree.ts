import type { Expr } from './ast.js';
import { ExpressionSyntaxError } from './tokens.js';

/** How many operations an expression may chain (`1 + 1 + ... + 1` is a tree that deep). */
export const MAX_CHAIN = 1000;

/** Nodes of an expression (what evaluating it once costs, in steps). */
export function nodeCount(e: Expr): number {
  let n = 0;
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop() as Expr;
    n++;
    stack.push(...children(x));
  }
  return n;
}

/** The sub-expressions of a node. */
export function children(e: Expr): Expr[] {
  switch (e.k) {
    case 'const': case 'name': return [];
    case 'list': case 'tuple': return e.items;
    case 'dict': return e.entries.flat();
    case 'attr': return [e.obj];
    case 'index': return [e.obj, e.index];
    case 'slice': return [e.obj, e.lower, e.upper, e.step].filter((x): x is Expr => x !== undefined);
    case 'call': return [e.fn, ...e.args, ...e.kwargs.map(([, x]) => x)];
    case 'unary': return [e.x];
    case 'bin': case 'bool': return [e.l, e.r];
    case 'cmp': return e.operands;
    case 'if': return [e.test, e.body, e.orelse];
    case 'comp': return [e.elt, ...e.generators.flatMap((g) => [g.iter, ...g.conds])];
  }
}
/** Every name the expression reads (not comprehension variables): used to check names at start-up. */
export function namesIn(e: Expr, bound: ReadonlySet<string> = new Set(), out = new Set<string>()): Set<string> {
  const visit = (x: Expr | undefined, b: ReadonlySet<string>) => { if (x) namesIn(x, b, out); };
  switch (e.k) {
    case 'name': if (!bound.has(e.id)) out.add(e.id); break;
    case 'const': break;
    case 'list': case 'tuple': e.items.forEach((x) => visit(x, bound)); break;
    case 'dict': e.entries.forEach(([a, b]) => { visit(a, bound); visit(b, bound); }); break;
    case 'attr': visit(e.obj, bound); break;
    case 'index': visit(e.obj, bound); visit(e.index, bound); break;
    case 'slice': visit(e.obj, bound); visit(e.lower, bound); visit(e.upper, bound); visit(e.step, bound); break;
    case 'call': visit(e.fn, bound); e.args.forEach((x) => visit(x, bound)); e.kwargs.forEach(([, x]) => visit(x, bound)); break;
    case 'unary': visit(e.x, bound); break;
    case 'bin': case 'bool': visit(e.l, bound); visit(e.r, bound); break;
    case 'cmp': e.operands.forEach((x) => visit(x, bound)); break;
    case 'if': visit(e.test, bound); visit(e.body, bound); visit(e.orelse, bound); break;
    case 'comp': {
      let b = new Set(bound);
      for (const g of e.generators) {
        visit(g.iter, b);
        b = new Set([...b, ...g.targets]);
        g.conds.forEach((c) => visit(c, b));
      }
      visit(e.elt, b);
      break;
    }
  }
  return out;
}

/** Refuses a tree deeper than MAX_CHAIN (compiling and evaluating it recurse), walked without recursion. */
export function checkChain(root: Expr): void {
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length) {
    const [e, depth] = stack.pop() as [Expr, number];
    if (depth > MAX_CHAIN) throw new ExpressionSyntaxError(`too many operations chained (more than ${MAX_CHAIN})`, e.pos + 1);
    for (const c of children(e)) stack.push([c, depth + 1]);
  }
}
