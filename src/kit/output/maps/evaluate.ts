import { nodeCount, type Expr } from './parse.js';
import { BUILTINS, iterate, length } from './builtins.js';
import { callMethod, getAttribute } from './methods.js';
import { charged, reserve, spend, type Budget } from './budget.js';
import { arith, numeric } from './pynumber.js';
import { asNumber, isDict, isPyObject, PyError, PyFunction, pyEquals, pyLess, pyRepr, setItem, truthy, typeName, type PyDict } from './pyvalue.js';

/**
 * Turns a parsed expression into a JS closure once; evaluating a record is then a plain call. Names
 * resolve as in the SDK: the expression's own variables (`record`, `_`, `self`, `config`, `fake`,
 * `__stream_name__`), then the record's properties by name, then the built-in functions. Only own
 * properties are ever read (never a JS prototype's), and the work is charged to the record's
 * budget (budget.ts): comprehension iterations here, linear built-ins where they run.
 */
export interface Scope {
  /** The SDK's variables for this evaluation (not the record's properties). */
  vars: Record<string, unknown>;
  record: Record<string, unknown>;
  /** What the evaluation may spend (default: a fresh budget per evaluation). */
  budget?: Budget;
}

type Locals = Map<string, unknown> | undefined;
export type Compiled = (scope: Scope, locals?: Locals) => unknown;

const own = Object.prototype.hasOwnProperty;

function lookup(id: string, scope: Scope, locals: Locals): unknown {
  if (locals?.has(id)) return locals.get(id);
  // A variable set to undefined (`self` of a property the record lacks, `fake` unused) is not defined.
  const v = scope.vars[id];
  if (v !== undefined && own.call(scope.vars, id)) return v;
  if (own.call(scope.record, id)) return scope.record[id];
  if (own.call(BUILTINS, id)) return BUILTINS[id];
  throw new PyError('NameError', `name '${id}' is not defined`);
}

type Arith = { arith: (op: string, other: unknown, reflected: boolean) => unknown };
/** A host object (datetime, timedelta) that does arithmetic; never a dict, whatever keys it has. */
const hasArith = (v: unknown): v is Arith => isPyObject(v) && typeof (v as Partial<Arith>).arith === 'function';

function hostArith(op: string, l: unknown, r: unknown): unknown {
  const a = hasArith(l) ? l.arith(op, r, false) : undefined;
  if (a !== undefined) return a;
  return hasArith(r) ? r.arith(op, l, true) : undefined;
}

function binop(op: string, l: unknown, r: unknown): unknown {
  const a = numeric(l);
  const b = numeric(r);
  if (a !== undefined && b !== undefined) return arith(op, a, b);
  if (op === '+' && typeof l === 'string' && typeof r === 'string') return charged(l + r);
  if (op === '+' && Array.isArray(l) && Array.isArray(r)) {
    reserve(8 * (l.length + r.length));
    return [...l, ...r];
  }
  if (op === '*') {
    const [seq, times] = typeof l === 'string' || Array.isArray(l) ? [l, b] : [r, a];
    const n = times === undefined ? undefined : Number(times);
    if (n !== undefined && Number.isInteger(n)) {
      // Charged before it is built: 'a' * 10**9 is one clear error, not a gigabyte.
      if (typeof seq === 'string') {
        reserve(seq.length * Math.max(0, n));
        return seq.repeat(Math.max(0, n));
      }
      if (Array.isArray(seq)) {
        reserve(8 * seq.length * Math.max(0, n));
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) for (const x of seq) out.push(x);
        return out;
      }
    }
  }
  const host = hostArith(op, l, r);
  if (host !== undefined) return host;
  if (op === '%' && typeof l === 'string') throw new PyError('TypeError', "'%' string formatting is not supported (use + and str())");
  throw new PyError('TypeError', `unsupported operand type(s) for ${op}: '${typeName(l)}' and '${typeName(r)}'`);
}

function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new PyError('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) {
    spend(container.length);
    return container.some((x) => pyEquals(x, item));
  }
  if (isDict(container)) return (typeof item === 'string' || typeof item === 'number' || typeof item === 'bigint') && own.call(container, String(item));
  throw new PyError('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

function compare(op: string, l: unknown, r: unknown): boolean {
  switch (op) {
    case '==': return pyEquals(l, r);
    case '!=': return !pyEquals(l, r);
    case '<': return pyLess(l, r, op);
    case '>': return pyLess(r, l, op);
    case '<=': return !pyLess(r, l, op);
    case '>=': return !pyLess(l, r, op);
    case 'in': return contains(r, l);
    case 'not in': return !contains(r, l);
    case 'is': return l === r || (l == null && r == null);
    default: return !(l === r || (l == null && r == null)); // 'is not'
  }
}

function index(obj: unknown, key: unknown): unknown {
  if (Array.isArray(obj) || typeof obj === 'string') {
    const n = asNumber(key);
    const what = typeof obj === 'string' ? 'string' : 'list';
    if (n === undefined || !Number.isInteger(n)) throw new PyError('TypeError', `${what} indices must be integers, not '${typeName(key)}'`);
    if (typeof obj === 'string') spend(obj.length);
    const items = typeof obj === 'string' ? [...obj] : obj;
    const i = n < 0 ? items.length + n : n;
    if (i < 0 || i >= items.length) throw new PyError('IndexError', `${what} index out of range`);
    return items[i];
  }
  if (isDict(obj)) {
    const k = typeof key === 'string' ? key : typeof key === 'number' || typeof key === 'bigint' ? String(key) : undefined;
    if (k === undefined || !own.call(obj, k)) throw new PyError('KeyError', pyRepr(key));
    return obj[k];
  }
  throw new PyError('TypeError', `'${typeName(obj)}' object is not subscriptable`);
}

function slice(obj: unknown, lower: unknown, upper: unknown, step: unknown): unknown {
  if (!Array.isArray(obj) && typeof obj !== 'string') throw new PyError('TypeError', `'${typeName(obj)}' object is not subscriptable`);
  spend(obj.length);
  const items = typeof obj === 'string' ? [...obj] : obj;
  const n = items.length;
  const st = step === undefined || step === null ? 1 : asNumber(step) ?? 1;
  if (st === 0) throw new PyError('ValueError', 'slice step cannot be zero');
  const norm = (v: unknown, dflt: number) => {
    if (v === undefined || v === null) return dflt;
    const x = asNumber(v) ?? 0;
    const i = x < 0 ? n + x : x;
    return st > 0 ? Math.min(Math.max(i, 0), n) : Math.min(Math.max(i, -1), n - 1);
  };
  const start = norm(lower, st > 0 ? 0 : n - 1);
  const stop = norm(upper, st > 0 ? n : -1);
  const out: unknown[] = [];
  for (let i = start; st > 0 ? i < stop : i > stop; i += st) out.push(items[i]);
  return charged(typeof obj === 'string' ? out.join('') : out);
}

function call(fn: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
  if (fn instanceof PyFunction) return fn.call(args, kwargs);
  throw new PyError('TypeError', `'${typeName(fn)}' object is not callable`);
}

/** Compiles an AST into a closure. */
export function compile(e: Expr): Compiled {
  switch (e.k) {
    case 'const': { const v = e.v; return () => v; }
    case 'name': { const id = e.id; return (s, l) => lookup(id, s, l); }
    case 'list': case 'tuple': {
      const items = e.items.map(compile);
      return (s, l) => {
        reserve(8 * items.length);
        return items.map((f) => f(s, l));
      };
    }
    case 'dict': {
      const entries = e.entries.map(([k, v]) => [compile(k), compile(v)] as const);
      return (s, l) => {
        reserve(8 * entries.length);
        const out: PyDict = {};
        for (const [k, v] of entries) {
          const key = k(s, l);
          if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'bigint' && typeof key !== 'boolean' && key !== null) throw new PyError('TypeError', `unhashable type: '${typeName(key)}'`);
          // Any key is data, `__proto__` included.
          setItem(out, String(key), v(s, l));
        }
        return out;
      };
    }
    case 'attr': { const obj = compile(e.obj); const name = e.name; return (s, l) => getAttribute(obj(s, l), name); }
    case 'index': { const obj = compile(e.obj); const i = compile(e.index); return (s, l) => index(obj(s, l), i(s, l)); }
    case 'slice': {
      const obj = compile(e.obj);
      const [lo, up, st] = [e.lower, e.upper, e.step].map((x) => (x ? compile(x) : undefined));
      return (s, l) => slice(obj(s, l), lo?.(s, l), up?.(s, l), st?.(s, l));
    }
    case 'call': {
      const args = e.args.map(compile);
      const kwargs = e.kwargs.map(([k, v]) => [k, compile(v)] as const);
      if (e.fn.k === 'attr') {
        const obj = compile(e.fn.obj);
        const name = e.fn.name;
        return (s, l) => {
          const kw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
          for (const [k, v] of kwargs) kw[k] = v(s, l);
          return callMethod(obj(s, l), name, { args: args.map((a) => a(s, l)), kwargs: kw });
        };
      }
      const f = compile(e.fn);
      return (s, l) => {
        const kw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        for (const [k, v] of kwargs) kw[k] = v(s, l);
        return call(f(s, l), args.map((a) => a(s, l)), kw);
      };
    }
    case 'unary': {
      const x = compile(e.x);
      if (e.op === 'not') return (s, l) => !truthy(x(s, l));
      const sign = e.op === '-' ? -1 : 1;
      return (s, l) => {
        const v = x(s, l);
        const n = numeric(v);
        if (n === undefined) {
          const host = hasArith(v) ? (sign < 0 ? v.arith('*', -1, false) : v) : undefined;
          if (host !== undefined && host !== null && typeof host === 'object') return host;
          throw new PyError('TypeError', `bad operand type for unary ${e.op}: '${typeName(v)}'`);
        }
        if (typeof n === 'bigint') return sign < 0 ? -n : n;
        return sign * n;
      };
    }
    case 'bin': { const a = compile(e.l); const b = compile(e.r); const op = e.op; return (s, l) => binop(op, a(s, l), b(s, l)); }
    case 'bool': {
      const a = compile(e.l);
      const b = compile(e.r);
      return e.op === 'and' ? (s, l) => { const v = a(s, l); return truthy(v) ? b(s, l) : v; } : (s, l) => { const v = a(s, l); return truthy(v) ? v : b(s, l); };
    }
    case 'cmp': {
      const operands = e.operands.map(compile);
      const ops = e.ops;
      return (s, l) => {
        let left = (operands[0] as Compiled)(s, l);
        for (let i = 0; i < ops.length; i++) {
          const right = (operands[i + 1] as Compiled)(s, l);
          if (!compare(ops[i] as string, left, right)) return false;
          left = right;
        }
        return true;
      };
    }
    case 'if': {
      const t = compile(e.test);
      const a = compile(e.body);
      const b = compile(e.orelse);
      return (s, l) => (truthy(t(s, l)) ? a(s, l) : b(s, l));
    }
    case 'comp': {
      // Each iteration is charged the nodes it evaluates: its conditions, then the next loop's
      // iterable or the element: a triple comprehension over long lists stops at the step budget.
      const gens = e.generators.map((g, i) => {
        const after = e.generators[i + 1];
        const cost = 1 + g.conds.reduce((n, c) => n + nodeCount(c), 0) + (after ? nodeCount(after.iter) : nodeCount(e.elt));
        return { targets: g.targets, iter: compile(g.iter), conds: g.conds.map(compile), cost };
      });
      const elt = compile(e.elt);
      return (s, outer) => {
        const out: unknown[] = [];
        const run = (gi: number, locals: Map<string, unknown>) => {
          if (gi === gens.length) {
            reserve(8);
            out.push(elt(s, locals));
            return;
          }
          const g = gens[gi] as (typeof gens)[number];
          for (const item of iterate(g.iter(s, locals))) {
            spend(g.cost);
            const next = new Map(locals);
            if (g.targets.length === 1) next.set(g.targets[0] as string, item);
            else {
              const parts = iterate(item);
              if (parts.length !== g.targets.length) throw new PyError('ValueError', `cannot unpack ${length(parts)} values into ${g.targets.length} variables`);
              g.targets.forEach((t, i) => next.set(t, parts[i]));
            }
            if (g.conds.every((c) => truthy(c(s, next)))) run(gi + 1, next);
          }
        };
        run(0, new Map(outer ?? []));
        return out;
      };
    }
  }
}

