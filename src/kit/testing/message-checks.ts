import { isSelected, keyProperties, type Catalog, type CatalogStream } from './catalog.js';
import { Findings } from './findings.js';
import { containsRef, describe, isObject, propertiesOf, schemaProblem } from './json-schema.js';
import type { Message, SingerOutput } from './singer-output.js';
import { checkStateLast } from './state-last.js';

const TYPES = new Set(['SCHEMA', 'RECORD', 'STATE', 'ACTIVATE_VERSION', 'BATCH']);
/** RFC 3339 date-time with a time zone (`Z` or an offset). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export interface MessageCheckOptions {
  /** The catalog the tap was given: only its selected streams may appear, with its keys and properties. */
  catalog?: Catalog;
  /** The output must end with a STATE (the tap declares `state`, or wrote a STATE at all). */
  stateExpected: boolean;
}

const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * The protocol, message by message: every stdout line a known Singer message of the right shape;
 * a stream's SCHEMA (a valid JSON Schema, `$ref`s resolved, keys among its properties) before its
 * RECORDs; only streams the catalog selected, with its key properties and its properties; the
 * output ending with a STATE (see `checkStateLast`).
 */
export function checkMessages(output: SingerOutput, options: MessageCheckOptions): Findings {
  const findings = new Findings();
  output.badLines.forEach((line) => findings.fail(`stdout ${line}`));
  if (output.messages.length === 0 && output.badLines.length === 0) findings.fail('stdout holds no Singer message');
  const byId = new Map((options.catalog?.streams ?? []).map((s) => [s.tap_stream_id, s]));
  const schemas = new Map<string, string>();
  const reported = new Set<string>();
  const catalogEntry = (m: Message, stream: string): CatalogStream | undefined => {
    if (!options.catalog) return undefined;
    const entry = byId.get(stream) ?? options.catalog.streams.find((s) => s.stream === stream);
    const problem = !entry ? `stream '${stream}' is not in the catalog` : !isSelected(entry) ? `stream '${stream}' is deselected in the catalog` : undefined;
    if (problem && !reported.has(stream)) {
      reported.add(stream);
      findings.fail(`line ${m.line}: ${m.type} of ${problem} but was written`);
    }
    return entry;
  };
  let previousState: string | undefined;

  for (const m of output.messages) {
    const { body } = m;
    const at = `line ${m.line}: ${m.type || 'message'}`;
    if (!TYPES.has(m.type)) {
      findings.fail(`line ${m.line}: unknown message type ${JSON.stringify(body.type)}`);
      continue;
    }
    if (m.type !== 'STATE' && (typeof body.stream !== 'string' || body.stream === '')) {
      findings.fail(`${at} has no stream name`);
      continue;
    }
    const stream = body.stream as string;
    if (m.type === 'SCHEMA') {
      if (!isObject(body.schema)) {
        findings.fail(`${at} '${stream}' has no schema object`);
        continue;
      }
      const problem = schemaProblem(body.schema);
      if (problem) findings.fail(`${at} '${stream}': the schema is ${problem}`);
      if (containsRef(body.schema)) findings.fail(`${at} '${stream}': the schema still holds a $ref (resolve it before writing)`);
      const props = propertiesOf(body.schema);
      if (!strings(body.key_properties)) findings.fail(`${at} '${stream}': key_properties must be an array of strings (may be empty)`);
      else body.key_properties.filter((k) => !(k in props)).forEach((k) => findings.fail(`${at} '${stream}': key property '${k}' is not a property of the schema`));
      if (body.bookmark_properties !== undefined) {
        if (!strings(body.bookmark_properties)) findings.fail(`${at} '${stream}': bookmark_properties must be an array of strings`);
        else body.bookmark_properties.filter((k) => !(k in props)).forEach((k) => findings.fail(`${at} '${stream}': bookmark property '${k}' is not a property of the schema`));
      }
      const text = JSON.stringify(body);
      if (schemas.get(stream) === text) findings.warn(`${at} '${stream}' sent again unchanged (targets flush on every SCHEMA)`);
      schemas.set(stream, text);
      const entry = catalogEntry(m, stream);
      if (entry && isSelected(entry)) {
        const keys = keyProperties(entry);
        if (strings(body.key_properties) && JSON.stringify(keys) !== JSON.stringify(body.key_properties)) {
          findings.fail(`${at} '${stream}': key_properties ${JSON.stringify(body.key_properties)} differ from the catalog's ${JSON.stringify(keys)}`);
        }
        const known = propertiesOf(entry.schema);
        Object.keys(props).filter((p) => !(p in known)).forEach((p) => findings.fail(`${at} '${stream}': property '${p}' is not in the catalog's schema`));
      }
    } else if (m.type === 'RECORD') {
      if (!isObject(body.record)) findings.fail(`${at} '${stream}': record is ${describe(body.record)}, not an object`);
      if (!schemas.has(stream)) findings.fail(`${at} '${stream}' before any SCHEMA of that stream`);
      if (body.time_extracted !== undefined && (typeof body.time_extracted !== 'string' || !RFC3339.test(body.time_extracted) || !Number.isFinite(Date.parse(body.time_extracted)))) {
        findings.fail(`${at} '${stream}': time_extracted ${JSON.stringify(body.time_extracted)} is not an RFC 3339 date-time`);
      }
      if (body.version !== undefined && !Number.isInteger(body.version)) findings.fail(`${at} '${stream}': version ${JSON.stringify(body.version)} is not an integer`);
      catalogEntry(m, stream);
    } else if (m.type === 'ACTIVATE_VERSION') {
      if (!Number.isInteger(body.version)) findings.fail(`${at} '${stream}': version ${JSON.stringify(body.version)} is not an integer`);
      if (!schemas.has(stream)) findings.fail(`${at} '${stream}' before any SCHEMA of that stream`);
      catalogEntry(m, stream);
    } else if (m.type === 'BATCH') {
      if (!isObject(body.encoding)) findings.fail(`${at} '${stream}' has no encoding object`);
      if (!strings(body.manifest)) findings.fail(`${at} '${stream}': manifest must be an array of file URLs`);
      if (!schemas.has(stream)) findings.fail(`${at} '${stream}' before any SCHEMA of that stream`);
      catalogEntry(m, stream);
    } else {
      if (!isObject(body.value)) findings.fail(`${at}: value is ${describe(body.value)}, not an object`);
      else if (body.value.bookmarks !== undefined && !isObject(body.value.bookmarks)) findings.fail(`${at}: value.bookmarks is ${describe(body.value.bookmarks)}, not an object`);
      const text = JSON.stringify(body.value);
      if (text === previousState) findings.warn(`${at} repeats the STATE just before it`);
    }
    previousState = m.type === 'STATE' ? JSON.stringify(body.value) : undefined;
  }

  checkStateLast(output, options, findings);
  return findings;
}
