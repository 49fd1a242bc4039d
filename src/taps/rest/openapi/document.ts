import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { UserError, isJsonObject, type JsonObject } from '@singer-io-compatible/tap-kit';
import { firstTooDeep, MAX_NESTING } from '../nesting.js';

/** An OpenAPI 3.x document as parsed (Swagger 2.0 is converted to it first), with where it came from. */
export interface OpenApiDocument {
  /** `openapi SPEC` for error lines. */
  label: string;
  /** The version the file declared: `2.0`, `3.0.x`, `3.1.x`. */
  declared: string;
  doc: JsonObject;
}

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/** JSON (a file starting with `{`) or YAML, with the line and column of a syntax error. */
export function parseText(text: string, label: string): unknown {
  const deep = firstTooDeep(text);
  if (deep) throw new UserError(`${label} line ${deep.line} column ${deep.column}: nested more than ${MAX_NESTING} levels deep (no API description nests that far)`);
  if (/^\s*\{/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const at = /position (\d+)/.exec(message);
      const where = at ? position(text, Number(at[1])) : undefined;
      const why = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '').split('\n')[0];
      throw new UserError(`${label}${where ? ` line ${where.line} column ${where.col}` : ''}: not valid JSON (${why})`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    throw new UserError(`${label}${at ? ` line ${at.line} column ${at.col}` : ''}: not valid JSON or YAML (${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')})`);
  }
  return doc.toJS({ maxAliasCount: -1 });
}

interface Swagger2OpenApi {
  convertObj(swagger: unknown, options: Record<string, unknown>): Promise<{ openapi: unknown }>;
}

/**
 * Swagger 2.0 to OpenAPI 3.0 with swagger2openapi (body and formData parameters, `produces`,
 * `securityDefinitions`, `definitions` refs...), patching the small errors real documents have.
 */
async function fromSwagger2(doc: JsonObject, label: string): Promise<JsonObject> {
  // An import() by name: a bundle carries the converter as a chunk (a runtime require would look for node_modules).
  const converter: Swagger2OpenApi = (await import('swagger2openapi')).default;
  try {
    const { openapi } = await converter.convertObj(doc, { patch: true, warnOnly: true, resolveInternal: false, direct: false });
    if (!isJsonObject(openapi)) throw new Error('no document');
    return openapi;
  } catch (error) {
    throw new UserError(`${label}: a Swagger 2.0 document that cannot be converted to OpenAPI 3 (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Reads a local OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML); anything else is one line. */
export async function readDocument(file: string): Promise<OpenApiDocument> {
  const label = `openapi ${file}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${label}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (error as Error).message})`}`);
  }
  const parsed = parseText(text, label);
  if (!isJsonObject(parsed)) throw new UserError(`${label}: not an OpenAPI document (the top level is not a mapping)`);
  const version = typeof parsed.openapi === 'string' ? parsed.openapi : typeof parsed.swagger === 'string' || typeof parsed.swagger === 'number' ? String(parsed.swagger) : undefined;
  if (version === undefined) throw new UserError(`${label}: not an OpenAPI document (no 'openapi' or 'swagger' version at the top level)`);
  if (/^2(\.0)?$/.test(version)) return { label, declared: '2.0', doc: await fromSwagger2(parsed, label) };
  if (!/^3\.[01]\./.test(version)) throw new UserError(`${label}: OpenAPI version ${version} is not supported (3.0, 3.1 and Swagger 2.0 are)`);
  if (!isJsonObject(parsed.paths) && !isJsonObject(parsed.webhooks)) throw new UserError(`${label}: no 'paths' in the document`);
  return { label, declared: version, doc: parsed };
}
