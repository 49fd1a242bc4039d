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

export type Expr =
  | { k: 'const'; v: string | number | bigint | boolean | null; pos: number }
  | { k: 'name'; id: string; pos: number }
  | { k: 'list' | 'tuple'; items: Expr[]; pos: number }
  | { k: 'dict'; entries: Array<[Expr, Expr]>; pos: number }
  | { k: 'attr'; obj: Expr; name: string; pos: number }
  | { k: 'index'; obj: Expr; index: Expr; pos: number }
  | { k: 'slice'; obj: Expr; lower?: Expr; upper?: Expr; step?: Expr; pos: number }
  | { k: 'call'; fn: Expr; args: Expr[]; kwargs: Array<[string, Expr]>; pos: number }
  | { k: 'unary'; op: '-' | '+' | 'not'; x: Expr; pos: number }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '//' | '%' | '**'; l: Expr; r: Expr; pos: number }
  | { k: 'cmp'; ops: CmpOp[]; operands: Expr[]; pos: number }
  | { k: 'bool'; op: 'and' | 'or'; l: Expr; r: Expr; pos: number }
  | { k: 'if'; test: Expr; body: Expr; orelse: Expr; pos: number }
  | { k: 'comp'; elt: Expr; generators: Generator[]; pos: number };

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';
export interface Generator { targets: string[]; iter: Expr; conds: Expr[] }

/** A parse error: `column` is 1-based in the expression text. */
export class ExpressionSyntaxError extends Error {
  constructor(readonly reason: string, readonly column: number) {
    super(`${reason} at column ${column}`);
  }
}

type TokKind = 'num' | 'str' | 'name' | 'op' | 'end';
interface Token { kind: TokKind; text: string; value?: string | number | bigint; pos: number }

/**
 * How deeply an expression may nest (parentheses, brackets, unary operators, conditionals): parsing
 * and evaluating recurse, so 3,000 nested parentheses would overflow the stack. Python's own parser
 * stops at 200.
 */
export const MAX_NESTING = 100;
/** How many operations an expression may chain (`1 + 1 + ... + 1` is a tree that deep). */
export const MAX_CHAIN = 1000;

const KEYWORDS_REJECTED: Record<string, string> = {
  lambda: 'lambda is not supported', import: 'imports are not allowed', from: 'imports are not allowed',
  def: 'definitions are not allowed', class: 'definitions are not allowed', yield: 'yield is not supported',
  await: 'await is not supported', async: 'async is not supported', del: 'del is not allowed', global: 'global is not allowed',
  nonlocal: 'nonlocal is not allowed', exec: 'exec is not allowed', eval: 'eval is not allowed', while: 'statements are not allowed',
  with: 'statements are not allowed', return: 'statements are not allowed', raise: 'statements are not allowed',
  try: 'statements are not allowed', assert: 'statements are not allowed', pass: 'statements are not allowed',
};
/** Allowed dunder names: the SDK's own variables (never attributes). */
const DUNDER_NAMES = new Set(['__stream_name__', '__original_stream_name__']);
const OPS = ['**', '//', '==', '!=', '<=', '>=', ':=', '->', '<<', '>>', '+', '-', '*', '/', '%', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '|', '&', '^', '~', ';', '@'];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '#') throw new ExpressionSyntaxError('comments are not supported', i + 1);
    const start = i;
    // String literals, with optional r/u prefixes (f-strings and bytes are not supported).
    const prefix = /^([rRuUbBfF]{0,2})(['"])/.exec(src.slice(i, i + 3));
    if (prefix) {
      const p = (prefix[1] as string).toLowerCase();
      if (p.includes('f')) throw new ExpressionSyntaxError('f-strings are not supported (use + and str())', i + 1);
      if (p.includes('b')) throw new ExpressionSyntaxError('bytes literals are not supported', i + 1);
      const raw = p.includes('r');
      i += p.length;
      const q = src[i] as string;
      const triple = src.startsWith(q.repeat(3), i);
      const close = triple ? q.repeat(3) : q;
      i += close.length;
      let value = '';
      for (;;) {
        if (i >= src.length) throw new ExpressionSyntaxError('unterminated string', start + 1);
        if (src.startsWith(close, i)) { i += close.length; break; }
        const ch = src[i] as string;
        if (ch === '\n' && !triple) throw new ExpressionSyntaxError('unterminated string', start + 1);
        if (ch === '\\' && !raw) {
          const n = src[i + 1] ?? '';
          if (n === 'x' || n === 'u' || n === 'U') {
            const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
            const hex = src.slice(i + 2, i + 2 + len);
            if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new ExpressionSyntaxError(`bad \\${n} escape`, i + 1);
            value += String.fromCodePoint(parseInt(hex, 16));
            i += 2 + len;
            continue;
          }
          if (Object.hasOwn(ESCAPES, n)) { value += ESCAPES[n]; i += 2; continue; }
          value += ch; // Python keeps unknown escapes as written
          i++;
          continue;
        }
        value += ch;
        i++;
      }
      // Adjacent literals concatenate, as in Python.
      const prev = out[out.length - 1];
      if (prev?.kind === 'str') prev.value = String(prev.value) + value;
      else out.push({ kind: 'str', text: src.slice(start, i), value, pos: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?|\d[\d_]*\.)/.exec(src.slice(i));
      const text = m?.[0] ?? c;
      if (/[a-zA-Z_]/.test(src[i + text.length] ?? '')) throw new ExpressionSyntaxError('invalid number literal', i + 1);
      const clean = text.replace(/_/g, '');
      const value = Number(clean); // decimal, float, 0x/0o/0b
      if (!Number.isFinite(value)) throw new ExpressionSyntaxError('invalid number literal', i + 1);
      // An integer literal beyond 2^53 is exact, as Python's ints are.
      const exact = !Number.isSafeInteger(value) && /^(0[xob][0-9a-f]+|\d+)$/i.test(clean);
      if (exact && clean.length > 4300) throw new ExpressionSyntaxError('integer literal with more than 4300 digits', i + 1);
      out.push({ kind: 'num', text, value: exact ? BigInt(clean) : value, pos: start });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: 'name', text: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(`unexpected character '${c}'`, i + 1);
    out.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'end', text: 'end of expression', pos: src.length });
  return out;
}

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

/** Refuses a tree deeper than MAX_CHAIN (compiling and evaluating it recurse), walked without recursion. */
function checkChain(root: Expr): void {
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length) {
    const [e, depth] = stack.pop() as [Expr, number];
    if (depth > MAX_CHAIN) throw new ExpressionSyntaxError(`too many operations chained (more than ${MAX_CHAIN})`, e.pos + 1);
    for (const c of children(e)) stack.push([c, depth + 1]);
  }
}

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
