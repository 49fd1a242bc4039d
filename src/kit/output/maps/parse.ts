/**
 * A parser for the stream-map expression language: the subset of Python expressions the Meltano
 * SDK evaluates with simpleeval. It builds a small AST once, at start-up; anything outside the
 * subset (lambda, assignment, f-strings, bitwise operators, dunder attributes, statements) is a
 * syntax error naming the column. No code is ever executed: `evaluate.ts` walks this AST.
 *
 * Hand-written (a Pratt parser) rather than a dependency: the npm parsers of Python parse whole
 * programs (statements, imports, lambdas) that would all have to be rejected again, and none is
 * widely used.
 */


import type { CmpOp, Expr, Generator } from './ast.js';
import { DUNDER_NAMES, ExpressionSyntaxError, KEYWORDS_REJECTED, tokenize, type Token } from './tokens.js';
import { checkChain } from './tree.js';

export type { CmpOp, Expr, Generator } from './ast.js';
export { ExpressionSyntaxError } from './tokens.js';
export { nodeCount, children, namesIn } from './tree.js';

/**
 * How deeply an expression may nest (parentheses, brackets, unary operators, conditionals): parsing
 * and evaluating recurse, so 3,000 nested parentheses would overflow the stack. Python's own parser
 * stops at 200.
 */
export const MAX_NESTING = 100;
export { MAX_CHAIN } from './tree.js';

const REJECTED_OPS: Record<string, string> = {
  '=': "assignment is not allowed (use '==' to compare)", ':=': 'assignment is not allowed', ';': 'only one expression is allowed',
  '|': 'bitwise operators are not supported', '&': 'bitwise operators are not supported', '^': 'bitwise operators are not supported',
  '~': 'bitwise operators are not supported', '<<': 'bitwise operators are not supported', '>>': 'bitwise operators are not supported',
  '@': 'the @ operator is not supported', '->': "unexpected '->'",
};

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Token[]) {}

  /** Parses one nested part, refusing to go deeper than MAX_NESTING. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) this.fail(`nested too deeply (more than ${MAX_NESTING} levels of parentheses, brackets or operators)`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private get t(): Token { return this.toks[this.i] as Token; }
  private fail(reason: string, tok: Token = this.t): never {
    throw new ExpressionSyntaxError(reason, tok.pos + 1);
  }
  private isOp(text: string): boolean { return this.t.kind === 'op' && this.t.text === text; }
  private isKw(text: string): boolean { return this.t.kind === 'name' && this.t.text === text; }
  private eat(text: string): boolean {
    if (this.isOp(text) || this.isKw(text)) { this.i++; return true; }
    return false;
  }
  private expect(text: string): void {
    if (this.eat(text)) return;
    const rejected = this.t.kind === 'op' ? REJECTED_OPS[this.t.text] : undefined;
    this.fail(rejected ?? `expected '${text}' but found ${this.describe(this.t)}`);
  }
  private describe(t: Token): string { return t.kind === 'end' ? 'the end of the expression' : `'${t.text}'`; }

  parseAll(): Expr {
    const e = this.test();
    if (this.t.kind !== 'end') {
      const reason = this.t.kind === 'op' ? REJECTED_OPS[this.t.text] : undefined;
      this.fail(reason ?? `unexpected ${this.describe(this.t)}`);
    }
    return e;
  }

  /** `x if c else y`, or a plain `or` expression. */
  private test(): Expr {
    const pos = this.t.pos;
    if (this.isKw('lambda')) this.fail('lambda is not supported');
    const body = this.or();
    if (this.eat('if')) {
      const test = this.or();
      this.expect('else');
      const orelse = this.nested(() => this.test());
      return { k: 'if', test, body, orelse, pos };
    }
    return body;
  }
  private or(): Expr {
    let l = this.and();
    while (this.isKw('or')) { const pos = this.t.pos; this.i++; l = { k: 'bool', op: 'or', l, r: this.and(), pos }; }
    return l;
  }
  private and(): Expr {
    let l = this.not();
    while (this.isKw('and')) { const pos = this.t.pos; this.i++; l = { k: 'bool', op: 'and', l, r: this.not(), pos }; }
    return l;
  }
  private not(): Expr {
    if (this.isKw('not')) { const pos = this.t.pos; this.i++; return { k: 'unary', op: 'not', x: this.nested(() => this.not()), pos }; }
    return this.comparison();
  }
  private cmpOp(): CmpOp | undefined {
    const t = this.t;
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) { this.i++; return t.text as CmpOp; }
    if (this.isKw('in')) { this.i++; return 'in'; }
    if (this.isKw('not') && this.toks[this.i + 1]?.text === 'in') { this.i += 2; return 'not in'; }
    if (this.isKw('is')) { this.i++; return this.eat('not') ? 'is not' : 'is'; }
    return undefined;
  }
  private comparison(): Expr {
    const pos = this.t.pos;
    const first = this.arith();
    const ops: CmpOp[] = [];
    const operands = [first];
    for (let op = this.cmpOp(); op; op = this.cmpOp()) { ops.push(op); operands.push(this.arith()); }
    return ops.length ? { k: 'cmp', ops, operands, pos } : first;
  }
  private arith(): Expr {
    let l = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const { text, pos } = this.t; this.i++;
      l = { k: 'bin', op: text as '+' | '-', l, r: this.term(), pos };
    }
    return l;
  }
  private term(): Expr {
    let l = this.factor();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const { text, pos } = this.t; this.i++;
      l = { k: 'bin', op: text as '*' | '/' | '//' | '%', l, r: this.factor(), pos };
    }
    return l;
  }
  private factor(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const { text, pos } = this.t; this.i++;
      return { k: 'unary', op: text as '-' | '+', x: this.nested(() => this.factor()), pos };
    }
    return this.power();
  }
  private power(): Expr {
    const base = this.postfix();
    if (this.isOp('**')) { const pos = this.t.pos; this.i++; return { k: 'bin', op: '**', l: base, r: this.nested(() => this.factor()), pos }; }
    return base;
  }
  private postfix(): Expr {
    let e = this.atom();
    for (;;) {
      const pos = this.t.pos;
      if (this.eat('.')) {
        const name = this.t;
        if (name.kind !== 'name') this.fail(`expected an attribute name after '.' but found ${this.describe(name)}`);
        if (name.text.startsWith('_')) this.fail(`access to attribute '${name.text}' is not allowed`, name);
        this.i++;
        e = { k: 'attr', obj: e, name: name.text, pos: name.pos };
      } else if (this.eat('(')) {
        const fn = e;
        e = this.nested(() => this.call(fn, pos));
      } else if (this.eat('[')) {
        const obj = e;
        e = this.nested(() => this.subscript(obj, pos));
      } else return e;
    }
  }
  private call(fn: Expr, pos: number): Expr {
    const args: Expr[] = [];
    const kwargs: Array<[string, Expr]> = [];
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**')) this.fail('argument unpacking is not supported');
      if (this.t.kind === 'name' && this.toks[this.i + 1]?.text === '=' && this.toks[this.i + 1]?.kind === 'op') {
        const name = this.t.text;
        if (name.startsWith('_')) this.fail(`keyword argument '${name}' is not allowed`);
        this.i += 2;
        kwargs.push([name, this.test()]);
      } else {
        if (kwargs.length) this.fail('a positional argument cannot follow a keyword argument');
        const arg = this.test();
        if (this.isKw('for')) { args.push(this.comprehension(arg, arg.pos)); } else args.push(arg);
      }
      if (!this.eat(',')) break;
    }
    this.expect(')');
    return { k: 'call', fn, args, kwargs, pos };
  }
  private subscript(obj: Expr, pos: number): Expr {
    const part = (): Expr | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.test());
    const lower = part();
    if (!this.eat(':')) {
      if (!lower) this.fail('expected an index');
      this.expect(']');
      return { k: 'index', obj, index: lower, pos };
    }
    const upper = part();
    const step = this.eat(':') ? part() : undefined;
    this.expect(']');
    const s: Expr = { k: 'slice', obj, pos };
    if (lower) s.lower = lower;
    if (upper) s.upper = upper;
    if (step) s.step = step;
    return s;
  }
  private comprehension(elt: Expr, pos: number): Expr {
    const generators: Generator[] = [];
    while (this.eat('for')) {
      const targets: string[] = [];
      const paren = this.eat('(');
      do {
        const t = this.t;
        if (t.kind !== 'name') this.fail(`expected a variable name after 'for' but found ${this.describe(t)}`);
        if (t.text.startsWith('__')) this.fail(`variable name '${t.text}' is not allowed`, t);
        targets.push(t.text);
        this.i++;
      } while (this.eat(','));
      if (paren) this.expect(')');
      this.expect('in');
      const iter = this.or();
      const conds: Expr[] = [];
      while (this.eat('if')) conds.push(this.or());
      generators.push({ targets, iter, conds });
    }
    return { k: 'comp', elt, generators, pos };
  }
  private atom(): Expr {
    const t = this.t;
    const pos = t.pos;
    switch (t.kind) {
      case 'num': this.i++; return { k: 'const', v: t.value as number | bigint, pos };
      case 'str': this.i++; return { k: 'const', v: t.value as string, pos };
      case 'name': {
        if (Object.hasOwn(KEYWORDS_REJECTED, t.text)) this.fail(KEYWORDS_REJECTED[t.text] as string);
        if (['and', 'or', 'not', 'in', 'is', 'if', 'else', 'for'].includes(t.text)) this.fail(`unexpected '${t.text}'`);
        this.i++;
        if (t.text === 'True') return { k: 'const', v: true, pos };
        if (t.text === 'False') return { k: 'const', v: false, pos };
        if (t.text === 'None') return { k: 'const', v: null, pos };
        if (/^__.*__$/.test(t.text) && !DUNDER_NAMES.has(t.text)) this.fail(`name '${t.text}' is not allowed`, t);
        return { k: 'name', id: t.text, pos };
      }
      case 'op': return this.nested(() => this.group(t, pos));
      case 'end': this.fail('unexpected end of expression');
    }
    return this.fail(`unexpected ${this.describe(t)}`);
  }
  /** A parenthesised expression, tuple, list, dict or comprehension (one level deeper). */
  private group(t: Token, pos: number): Expr {
    if (this.eat('(')) {
      if (this.eat(')')) return { k: 'tuple', items: [], pos };
      const first = this.test();
      if (this.isKw('for')) { const c = this.comprehension(first, pos); this.expect(')'); return c; }
      if (!this.isOp(',')) { this.expect(')'); return first; }
      const items = [first];
      while (this.eat(',') && !this.isOp(')')) items.push(this.test());
      this.expect(')');
      return { k: 'tuple', items, pos };
    }
    if (this.eat('[')) {
      const items: Expr[] = [];
      if (!this.isOp(']')) {
        const first = this.test();
        if (this.isKw('for')) { const c = this.comprehension(first, pos); this.expect(']'); return c; }
        items.push(first);
        while (this.eat(',') && !this.isOp(']')) items.push(this.test());
      }
      this.expect(']');
      return { k: 'list', items, pos };
    }
    if (this.eat('{')) {
      const entries: Array<[Expr, Expr]> = [];
      while (!this.isOp('}')) {
        const key = this.test();
        if (!this.isOp(':')) this.fail(this.isOp(',') || this.isOp('}') ? 'sets are not supported' : `expected ':' but found ${this.describe(this.t)}`);
        this.i++;
        const value = this.test();
        if (this.isKw('for')) this.fail('dict comprehensions are not supported');
        entries.push([key, value]);
        if (!this.eat(',')) break;
      }
      this.expect('}');
      return { k: 'dict', entries, pos };
    }
    return this.fail(REJECTED_OPS[t.text] ?? `unexpected '${t.text}'`);
  }
}

/** Parses one expression; throws ExpressionSyntaxError (with a 1-based column) on anything else. */
export function parseExpression(source: string): Expr {
  if (source.trim() === '') throw new ExpressionSyntaxError('empty expression', 1);
  const e = new Parser(tokenize(source)).parseAll();
  checkChain(e);
  return e;
}
