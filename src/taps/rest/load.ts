import { readFileSync, existsSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseDocument } from 'yaml';
import { UserError, fileProblem, isJsonObject } from '@singer-io-compatible/tap-kit';
import { definitionSchema, PAGINATOR_PARAMS } from './definition-schema.js';
import type { RestApiDefinition } from './definition.js';
import { didYouMean } from './suggest.js';
import { firstTooDeep, MAX_NESTING } from './nesting.js';

/** Where a definition came from, for error lines: `definition sample-config/x.json` or `definition (inline)`. */
export interface DefinitionSource {
  label: string;
  text: string;
}

/** `source` is a file path, or the definition itself (JSON or YAML text, or an already parsed object). */
export function readSource(source: unknown): DefinitionSource {
  if (isJsonObject(source)) return { label: 'definition (inline)', text: JSON.stringify(source) };
  if (typeof source !== 'string' || source.trim() === '') throw new UserError("config: setting 'source' must be a definition file path or the definition itself");
  const inline = /^\s*[{[]/.test(source) || source.includes('\n');
  if (inline) return { label: 'definition (inline)', text: source };
  if (!existsSync(source)) throw new UserError(`config: setting 'source': definition file ${source} does not exist`);
  try {
    return { label: `definition ${source}`, text: readFileSync(source, 'utf8') };
  } catch (error) {
    throw new UserError(`config: setting 'source': cannot read ${source} (${fileProblem(error)})`);
  }
}

/** JSON or YAML (a YAML parser reads both), with the line and column of a syntax error. */
export function parseSource(src: DefinitionSource): unknown {
  const deep = firstTooDeep(src.text);
  if (deep) throw new UserError(`${src.label} line ${deep.line} column ${deep.column}: not valid JSON or YAML (nested more than ${MAX_NESTING} levels deep)`);
  // logLevel 'error': the yaml package's own warnings ("Keys with collection values will be stringified...") never reach the user.
  const doc = parseDocument(src.text, { prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    throw new UserError(`${src.label}${at ? ` line ${at.line} column ${at.col}` : ''}: not valid JSON or YAML (${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')})`);
  }
  try {
    return doc.toJS();
  } catch (error) {
    // An alias without its anchor (`*name`) and the like surface only here (found by fuzzing); the
    // file's own words (the alias name) are left out, as in every other error about a file.
    const why = (error instanceof Error ? error.message : String(error)).replace(/\s*:?\s*"[^"]*"/g, '').split('\n')[0];
    throw new UserError(`${src.label}: not valid JSON or YAML (${why})`);
  }
}

/** The definition schema's validator, compiled on first use (--about without a definition never needs it). */
let compiled: ValidateFunction | undefined;
const definitionValidator = (): ValidateFunction => (compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(definitionSchema));

/** `resource 'environments'` for an error under `/resources/0/...`, else the top-level section. */
function owner(def: unknown, instancePath: string): { who: string; rest: string[] } {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'resources' && parts[1] !== undefined) {
    const r = (def as { resources: unknown[] }).resources[Number(parts[1])];
    const name = isJsonObject(r) && typeof r.name === 'string' ? r.name : typeof r === 'string' ? r : `#${Number(parts[1]) + 1}`;
    return { who: `resource '${name}'`, rest: parts.slice(2) };
  }
  return { who: parts[0] ?? 'definition', rest: parts.slice(1) };
}

/** The most useful error: an unknown key, then a bad value deepest in the tree; `if`/`anyOf` wrappers last. */
function pick(errors: ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject) => (e.keyword === 'additionalProperties' ? 0 : e.keyword === 'required' ? 1 : ['if', 'anyOf', 'oneOf', 'allOf'].includes(e.keyword) ? 3 : 2);
  return [...errors].sort((a, b) => rank(a) - rank(b) || b.instancePath.split('/').length - a.instancePath.split('/').length)[0] as ErrorObject;
}

function describe(e: ErrorObject, def: unknown): string {
  const { who, rest } = owner(def, e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const raw = String(params.additionalProperty);
    // A key that is itself a YAML mapping (a stray indentation) would print a whole block: one line, short.
    const key = /[\n{]/.test(raw) ? `${raw.replace(/\s+/g, ' ').slice(0, 40)}...` : raw;
    const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const typeName = (e.data as { type?: unknown } | undefined)?.type;
    const where = [...rest, key].join('.');
    const of = typeof typeName === 'string' && PAGINATOR_PARAMS[typeName] && rest.at(-1) === 'paginator' ? ` (a '${typeName}' paginator takes ${allowed.filter((k) => k !== 'type').join(', ') || 'no parameters'})` : '';
    const hint = didYouMean(key, allowed);
    if (key === 'processing_steps') return `${who}: processing_steps are Python callables and cannot be expressed in a definition`;
    return `${who}: unknown key '${where}'${hint ? ` (did you mean '${hint}'?)` : ''}${of || `; allowed: ${allowed.join(', ')}`}`;
  }
  const where = rest.join('.') || '(top level)';
  if (e.keyword === 'required') return `${who}: '${[...rest, String(params.missingProperty)].join('.')}' is required`;
  if (e.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
    const hint = typeof e.data === 'string' ? didYouMean(e.data, (params.allowedValues as unknown[]).map(String)) : undefined;
    return `${who}: '${where}' is ${JSON.stringify(e.data)}${hint ? ` (did you mean '${hint}'?)` : ''}; allowed: ${allowed.join(', ')}`;
  }
  if (e.keyword === 'const') return `${who}: '${where}' must be ${JSON.stringify(params.allowedValue)}`;
  return `${who}: '${where}' ${e.message ?? 'is invalid'} (got ${JSON.stringify(e.data)?.slice(0, 60)})`;
}

/** Checks a parsed definition against the format's JSON Schema; the first problem is one line. */
export function checkDefinition(def: unknown, label: string): RestApiDefinition {
  if (isJsonObject(def) && 'processing_steps' in def) throw new UserError(`${label}: processing_steps are Python callables and cannot be expressed in a definition`);
  const steps = isJsonObject(def) && Array.isArray(def.resources) ? def.resources.find((r) => isJsonObject(r) && r.processing_steps !== undefined) : undefined;
  if (isJsonObject(steps)) throw new UserError(`${label}: resource '${String(steps.name)}': processing_steps are Python callables and cannot be expressed in a definition (transform records downstream)`);
  if (isJsonObject(def) && isJsonObject(def.resource_defaults) && def.resource_defaults.processing_steps !== undefined) {
    throw new UserError(`${label}: resource_defaults: processing_steps are Python callables and cannot be expressed in a definition`);
  }
  const validate = definitionValidator();
  if (!validate(def)) throw new UserError(`${label}: ${describe(pick(validate.errors ?? []), def)}`);
  return def as unknown as RestApiDefinition;
}

export function loadDefinition(source: unknown): { definition: RestApiDefinition; label: string } {
  const src = readSource(source);
  return { definition: checkDefinition(parseSource(src), src.label), label: src.label };
}
