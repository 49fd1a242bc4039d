import { UserError } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue } from '../../core/json.js';
import type { OutputStream, StreamStage } from '../stage.js';
import { setProperty, stringifyJson } from '../../core/jsontext.js';
import { Budget, MapExpression, ExpressionSyntaxError, PyError } from './expression.js';
import { createFake } from './fake.js';
import { inferSchema } from './infer.js';
import { pyRepr, truthy } from './pyvalue.js';
import { BUILTINS } from './builtins.js';
import { streamMatches } from './glob.js';

/**
 * Stream maps with the Meltano SDK's meaning: per stream (or glob), computed, replaced and removed
 * properties, `__filter__`, `__alias__`, `__source__` (one stream into several), `__key_properties__`,
 * `__else__: null`; a stream mapped to null is dropped, and a top-level `__else__: null` drops every
 * stream not named. Both the `stream_maps` setting (Python-syntax expressions) and a tap's own
 * `maps` declaration (TypeScript functions) compile to the same `MapSpec`.
 */

/** What a computed property's function is given. */
export interface MapContext {
  /** The property's current value (`self`), undefined when the record has no such property. */
  self: unknown;
  /** The output stream's name (after `__alias__`). */
  streamName: string;
  /** The tap's stream name. */
  originalStreamName: string;
}

type PropertySpec =
  | { name: string; remove: true }
  | { name: string; remove?: false; value: (record: JsonObject, ctx: MapContext) => unknown; schema: (raw: JsonSchema, existing: JsonSchema | undefined) => JsonSchema };

/** One map, compiled. */
export interface MapSpec {
  /** Where it comes from, for messages (`stream_maps.users`). */
  where: string;
  /** The stream name or glob it applies to (`__source__` when given). */
  source: string;
  /** False: an extra output of the source stream (`__source__`), not a replacement of it. */
  primary: boolean;
  /** The output stream's name for a given source stream; undefined keeps the name. */
  alias?: (stream: string) => string;
  drop?: boolean;
  filter?: (record: JsonObject, ctx: MapContext) => boolean;
  properties: PropertySpec[];
  /** `__else__: null`: only key properties and the mapped ones. */
  onlyMapped: boolean;
  /** `__key_properties__` (null: none). */
  keyProperties?: string[] | null;
  /** Names read by each expression (`where` -> names), checked against the stream's properties. */
  reads?: Array<{ where: string; source: string; names: ReadonlySet<string> }>;
  /** Called before each record (the expressions' budget starts again). */
  startRecord?: () => void;
}

/** Names every expression may read besides the record's properties. */
const SCOPE_NAMES = new Set(['record', '_', 'config', 'fake', 'self', '__stream_name__', '__original_stream_name__', ...Object.keys(BUILTINS)]);

const NULL = (v: unknown) => v === null || v === '__NULL__';

export { globToRegExp } from './glob.js';

/** Applies a list of maps to tap streams (a stage of the output pipeline). */
export class StreamMapper implements StreamStage {
  constructor(private readonly specs: MapSpec[], private readonly dropUnmapped: boolean) {}

  /** The output streams of one tap stream: none (dropped), itself (mapped or not), and any `__source__` copies. */
  outputs(stream: string, schema: JsonSchema, keyProperties: string[]): OutputStream[] {
    let primary: MapSpec | 'same' | 'drop' = this.dropUnmapped ? 'drop' : 'same';
    const extra: MapSpec[] = [];
    for (const spec of this.specs) {
      if (!streamMatches(stream, spec.source)) continue;
      if (spec.primary) primary = spec.drop ? 'drop' : spec;
      else if (!spec.drop) extra.push(spec);
    }
    const out: OutputStream[] = [];
    if (primary === 'same') out.push({ name: stream, schema, keyProperties, record: (r) => r });
    else if (primary !== 'drop') out.push(this.apply(primary, stream, schema, keyProperties));
    for (const spec of extra) out.push(this.apply(spec, stream, schema, keyProperties));
    return out;
  }

  private apply(spec: MapSpec, stream: string, raw: JsonSchema, rawKeys: string[]): OutputStream {
    const name = spec.alias ? spec.alias(stream) : stream;
    const keys = spec.keyProperties === undefined ? rawKeys : (spec.keyProperties ?? []);
    const rawProps = raw.properties ?? {};
    // A name that is neither a property of this stream nor a variable or function fails on every
    // record: say so now, before any request.
    for (const read of spec.reads ?? []) {
      const unknown = [...read.names].filter((n) => !SCOPE_NAMES.has(n) && !Object.hasOwn(rawProps, n));
      if (unknown.length) {
        throw new UserError(`${read.where}: name '${unknown[0]}' is not defined: not a property of stream '${stream}' (${Object.keys(rawProps).join(', ')}) nor a variable or function of map expressions (in ${quoted(read.source)})`);
      }
    }
    const props: Record<string, JsonSchema> = {};
    if (spec.onlyMapped) for (const k of keys) { if (Object.hasOwn(rawProps, k)) setProperty(props, k, rawProps[k]); }
    else for (const [k, v] of Object.entries(rawProps)) setProperty(props, k, v);
    let required = Array.isArray(raw.required) ? [...raw.required] : undefined;
    for (const p of spec.properties) {
      if (p.remove) {
        if (keys.includes(p.name)) {
          throw new UserError(`${spec.where}.${p.name}: removing key property '${p.name}' of stream '${stream}' is not allowed; set __key_properties__ to a new list (or null) first`);
        }
        delete props[p.name];
        if (required) required = required.filter((r) => r !== p.name);
      } else {
        setProperty(props, p.name, p.schema(raw, Object.hasOwn(props, p.name) ? props[p.name] : undefined));
      }
    }
    for (const k of keys) {
      if (!Object.hasOwn(props, k)) throw new UserError(`${spec.where}: key property '${k}' of stream '${name}' is not a property of the mapped stream (properties: ${Object.keys(props).join(', ') || 'none'})`);
    }
    const schema: JsonSchema = { ...raw, properties: props };
    if (required) schema.required = required.filter((r) => Object.hasOwn(props, r));
    else delete schema.required;

    const ctx: MapContext = { self: undefined, streamName: name, originalStreamName: stream };
    const { filter, properties, onlyMapped, startRecord } = spec;
    const record = (input: JsonObject): JsonObject | null => {
      ctx.self = undefined;
      startRecord?.();
      if (filter && !filter(input, ctx)) return null;
      let result: JsonObject;
      if (onlyMapped) {
        result = {};
        for (const k of keys) if (Object.hasOwn(input, k)) setProperty(result, k, input[k]);
      } else result = { ...input };
      for (const p of properties) {
        if (p.remove) {
          delete result[p.name];
          continue;
        }
        ctx.self = Object.hasOwn(input, p.name) ? input[p.name] : undefined;
        setProperty(result, p.name, p.value(input, ctx) as JsonValue);
      }
      return result;
    };
    return { name, schema, keyProperties: keys, record };
  }
}

// --- the `stream_maps` setting ------------------------------------------------------------------

export interface MapsSettings {
  stream_maps?: unknown;
  stream_map_config?: unknown;
  faker_config?: unknown;
}

const OPTIONS = new Set(['__alias__', '__filter__', '__source__', '__key_properties__', '__else__']);

/** An expression as quoted in a message: JSON, cut after 200 characters. */
function quoted(source: string): string {
  return JSON.stringify(source.length > 200 ? `${source.slice(0, 200)}…` : source);
}

function parse(source: unknown, where: string): MapExpression {
  if (typeof source !== 'string') throw new UserError(`${where}: expected an expression (a string) or null, got ${stringifyJson(source)}`);
  try {
    return new MapExpression(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) {
      throw new UserError(`${where}: ${error.reason} at column ${error.column} of ${quoted(source)}`);
    }
    throw error;
  }
}

function runtimeError(error: unknown, where: string, expr: MapExpression, stream: string): never {
  if (error instanceof PyError) throw new UserError(`stream '${stream}': ${where}: ${error.message} (evaluating ${quoted(expr.source)})`);
  // The budgets come first; should a value still be too large or too deep for JS, it is this expression's doing.
  if (error instanceof RangeError) throw new UserError(`stream '${stream}': ${where}: the expression exceeds what one record can hold (${error.message}) (evaluating ${quoted(expr.source)})`);
  throw error;
}

/**
 * Compiles the `stream_maps`, `stream_map_config` and `faker_config` settings: every expression is
 * parsed here, once, so a mistake is one line naming the stream, the property and the column,
 * before any request. Loads Faker only when an expression uses `fake`.
 */
export async function compileStreamMaps(settings: MapsSettings): Promise<StreamMapper | undefined> {
  const raw = settings.stream_maps;
  if (raw === undefined || raw === null) return undefined;
  if (!isJsonObject(raw)) throw new UserError('config: stream_maps must be an object of stream name (or glob) -> map or null');
  const mapConfig = settings.stream_map_config ?? {};
  const fakerConfig = isJsonObject(settings.faker_config) ? settings.faker_config : {};
  let dropUnmapped = false;
  const specs: MapSpec[] = [];
  const expressions: MapExpression[] = [];
  let fake: unknown;
  // One scope per record and output stream, shared by its expressions (only `self` changes).
  let scopeOf: JsonObject | undefined;
  let scopeStream = '';
  let scope: Record<string, unknown> = {};
  const vars = (record: JsonObject, ctx: MapContext): Record<string, unknown> => {
    if (record !== scopeOf || ctx.streamName !== scopeStream) {
      scope = { record, _: record, config: mapConfig, __stream_name__: ctx.streamName, __original_stream_name__: ctx.originalStreamName, fake, self: undefined };
      scopeOf = record;
      scopeStream = ctx.streamName;
    }
    scope.self = ctx.self;
    return scope;
  };

  for (const [key, value] of Object.entries(raw)) {
    const where = `config: stream_maps.${key}`;
    if (key === '__else__') {
      if (!NULL(value)) throw new UserError(`${where}: only null is supported (drop every stream not named)`);
      dropUnmapped = true;
      continue;
    }
    if (key.startsWith('__')) throw new UserError(`${where}: '${key}' is not a stream name nor an option (the only top-level option is __else__)`);
    if (NULL(value)) {
      specs.push({ where, source: key, primary: true, drop: true, properties: [], onlyMapped: false });
      continue;
    }
    if (!isJsonObject(value)) throw new UserError(`${where}: expected a map (an object) or null to drop the stream, got ${stringifyJson(value)}`);
    const spec: MapSpec = { where, source: key, primary: true, properties: [], onlyMapped: false };
    // What this map's expressions may spend on one record (budget.ts).
    const budget = new Budget();
    spec.startRecord = () => budget.reset();
    const sourceOpt = value.__source__;
    if (sourceOpt !== undefined) {
      if (typeof sourceOpt !== 'string' || !sourceOpt) throw new UserError(`${where}.__source__: expected a stream name`);
      spec.source = sourceOpt;
      spec.primary = false;
      spec.alias = () => key;
    } else if (value.__alias__ !== undefined) {
      const aliasExpr = parse(value.__alias__, `${where}.__alias__`);
      // As in the SDK: an expression of __stream_name__, or, when it names nothing, the text itself.
      spec.alias = (stream) => {
        try {
          const v = aliasExpr.evaluate({ vars: { __stream_name__: stream }, record: {} });
          if (typeof v !== 'string' || !v) throw new UserError(`${where}.__alias__: ${quoted(aliasExpr.source)} gives ${pyRepr(v)}, not a stream name`);
          return v;
        } catch (error) {
          if (error instanceof PyError && error.pyType === 'NameError') return aliasExpr.source;
          if (error instanceof PyError) throw new UserError(`${where}.__alias__: ${error.message}`);
          throw error;
        }
      };
    }
    if (value.__filter__ !== undefined && value.__filter__ !== null) {
      const f = parse(value.__filter__, `${where}.__filter__`);
      expressions.push(f);
      (spec.reads ??= []).push({ where: `${where}.__filter__`, source: f.source, names: f.names });
      spec.filter = (record, ctx) => {
        try {
          return truthy(f.evaluate({ vars: vars(record, ctx), record, budget }));
        } catch (error) {
          return runtimeError(error, `stream_maps.${key}.__filter__`, f, ctx.originalStreamName);
        }
      };
    }
    if ('__key_properties__' in value) {
      const k = value.__key_properties__;
      if (k !== null && !(Array.isArray(k) && k.every((x) => typeof x === 'string'))) throw new UserError(`${where}.__key_properties__: expected a list of property names or null`);
      spec.keyProperties = k as string[] | null;
    }
    if ('__else__' in value) {
      if (!NULL(value.__else__)) throw new UserError(`${where}.__else__: only null is supported (drop every property not named)`);
      spec.onlyMapped = true;
    }
    for (const [prop, def] of Object.entries(value)) {
      if (OPTIONS.has(prop)) continue;
      if (prop.startsWith('__')) throw new UserError(`${where}: unknown option '${prop}' (options: ${[...OPTIONS].join(', ')})`);
      if (NULL(def)) {
        spec.properties.push({ name: prop, remove: true });
        continue;
      }
      const pwhere = `${where}.${prop}`;
      const e = parse(def, pwhere);
      expressions.push(e);
      (spec.reads ??= []).push({ where: pwhere, source: e.source, names: e.names });
      spec.properties.push({
        name: prop,
        value: (record, ctx) => {
          try {
            return e.evaluateJson({ vars: vars(record, ctx), record, budget }, () => `stream_maps.${key}.${prop}`);
          } catch (error) {
            return runtimeError(error, `stream_maps.${key}.${prop}`, e, ctx.originalStreamName);
          }
        },
        // The SDK's rule: the property's own schema, else that of the property the expression names.
        schema: (rawSchema, existing) => inferSchema(e.ast, rawSchema, existing ?? rawSchema.properties?.[String(def)]),
      });
    }
    specs.push(spec);
  }
  if (expressions.some((e) => e.names.has('fake'))) fake = await createFake(fakerConfig);
  return new StreamMapper(specs, dropUnmapped);
}
