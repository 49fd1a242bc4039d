import { schemaTypes, type JsonSchema } from '../../core/json.js';
import { setProperty, stringifyJson } from '../../core/jsontext.js';
import type { Expr } from './parse.js';

/**
 * The JSON Schema of a computed property, decided once from its expression (the SDK's rules,
 * extended): `int(...)` integer, `float(...)` number, `str(...)`/`md5(...)`/`sha256(...)`/
 * `json.dumps(...)`/string methods string, `bool(...)`/comparisons boolean, arithmetic on integers
 * integer (`/` number), on numbers number, `datetime.datetime...`
 * date-time, `datetime.date...`/`.date()` date, `record` the whole record's schema, a property
 * read as is (`name`, `record['name']`, `record.get('name')`) that property's schema; otherwise
 * the schema the property had, else a string. Every computed property is nullable.
 */
const STRING_METHODS = new Set(['lower', 'upper', 'strip', 'lstrip', 'rstrip', 'title', 'capitalize', 'swapcase', 'replace', 'join', 'zfill', 'isoformat', 'strftime']);
const FAKE_INTEGERS = new Set(['pyint', 'random_int', 'random_number']);
const FAKE_BOOLEANS = new Set(['pybool', 'boolean']);

export function nullable(schema: JsonSchema): JsonSchema {
  const out = { ...schema };
  if (out.type === undefined) return out;
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (!types.includes('null')) out.type = [...types, 'null'];
  return out;
}

function fnName(e: Expr): string | undefined {
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') {
    const base = fnName(e.obj);
    return base ? `${base}.${e.name}` : `?.${e.name}`;
  }
  return undefined;
}

/** The property an expression reads as is, if it does: `name`, `record['name']`, `_.name`, `record.get('name')`. */
function propertyRead(e: Expr): string | undefined {
  const isRecord = (x: Expr) => x.k === 'name' && (x.id === 'record' || x.id === '_');
  if (e.k === 'name' && e.id !== 'record' && e.id !== '_') return e.id;
  if (e.k === 'index' && isRecord(e.obj) && e.index.k === 'const' && typeof e.index.v === 'string') return e.index.v;
  if (e.k === 'attr' && isRecord(e.obj)) return e.name;
  if (e.k === 'call' && e.fn.k === 'attr' && e.fn.name === 'get' && isRecord(e.fn.obj) && e.args[0]?.k === 'const' && typeof e.args[0].v === 'string' && e.args.length === 1) return e.args[0].v;
  return undefined;
}

function infer(e: Expr, raw: JsonSchema): JsonSchema | undefined {
  switch (e.k) {
    case 'const':
      if (typeof e.v === 'string') return { type: 'string' };
      if (typeof e.v === 'boolean') return { type: 'boolean' };
      if (typeof e.v === 'number') return { type: Number.isInteger(e.v) ? 'integer' : 'number' };
      if (typeof e.v === 'bigint') return { type: 'integer' };
      return undefined;
    case 'cmp': return { type: 'boolean' };
    case 'unary': return e.op === 'not' ? { type: 'boolean' } : infer(e.x, raw);
    case 'if': {
      const a = infer(e.body, raw);
      const b = infer(e.orelse, raw);
      if (e.orelse.k === 'const' && e.orelse.v === null) return a;
      if (e.body.k === 'const' && e.body.v === null) return b;
      return a && b && stringifyJson(a) === stringifyJson(b) ? a : undefined;
    }
    case 'bin': {
      const l = valueType(infer(e.l, raw));
      const r = valueType(infer(e.r, raw));
      if (e.op === '+' && (l === 'string' || r === 'string')) return { type: 'string' };
      const numeric = (t: string | undefined) => t === 'integer' || t === 'number' || t === 'boolean';
      if (!numeric(l) || !numeric(r)) return undefined;
      if (e.op === '/' || l === 'number' || r === 'number') return { type: 'number' };
      // `**` with a negative exponent is a float in Python; the sign is known only for a literal.
      if (e.op === '**' && !(e.r.k === 'const' && typeof e.r.v !== 'string' && Number(e.r.v) >= 0)) return { type: 'number' };
      return { type: 'integer' };
    }
    case 'list': case 'comp': return { type: 'array' };
    case 'dict': {
      // A dict literal with text keys declares its properties (so flattening can make them columns).
      if (!e.entries.every(([k]) => k.k === 'const' && typeof k.v === 'string')) return { type: 'object' };
      const properties: Record<string, JsonSchema> = {};
      for (const [k, v] of e.entries) setProperty(properties, String((k as { v: string }).v), nullable(infer(v, raw) ?? { type: 'string' }));
      return { type: 'object', properties };
    }
    case 'call': {
      const name = fnName(e.fn) ?? '';
      if (name === 'int' || name === 'len') return { type: 'integer' };
      if (name === 'round') return { type: e.args.length > 1 ? 'number' : 'integer' };
      if (name === 'float') return { type: 'number' };
      if (name === 'bool') return { type: 'boolean' };
      if (['str', 'md5', 'sha256', 'json.dumps'].includes(name)) return { type: 'string' };
      if (name.startsWith('datetime.datetime')) return { type: 'string', format: 'date-time' };
      if (name.startsWith('datetime.date') || name.endsWith('.date')) return { type: 'string', format: 'date' };
      if (name.startsWith('fake.')) {
        const p = name.slice(5);
        return FAKE_INTEGERS.has(p) ? { type: 'integer' } : FAKE_BOOLEANS.has(p) ? { type: 'boolean' } : { type: 'string' };
      }
      const method = name.split('.').pop() ?? '';
      if (STRING_METHODS.has(method)) return { type: 'string' };
      if (method === 'split') return { type: 'array', items: { type: 'string' } };
      if (['startswith', 'endswith', 'isdigit', 'isalpha', 'isalnum'].includes(method)) return { type: 'boolean' };
      if (['find', 'count', 'index'].includes(method)) return { type: 'integer' };
      break;
    }
    default: break;
  }
  if (e.k === 'name' && (e.id === 'record' || e.id === '_')) return { ...raw };
  const prop = propertyRead(e);
  const schema = prop === undefined ? undefined : raw.properties?.[prop];
  return schema ? { ...schema } : undefined;
}

/** The one type a schema has besides null (`['integer', 'null']` → integer), if it has one. */
function valueType(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  const types = schemaTypes(schema).filter((t) => t !== 'null');
  return types.length === 1 ? types[0] : undefined;
}

/** The schema of a computed property: inferred from its expression, else `existing`, else a string. */
export function inferSchema(e: Expr, raw: JsonSchema, existing: JsonSchema | undefined): JsonSchema {
  return nullable(infer(e, raw) ?? existing ?? { type: 'string' });
}
