import { fieldMetadata, keyProperties, replicationKey, rootMetadata, type Catalog, type CatalogStream } from './catalog.js';
import type { Check } from './check.js';
import { unsuccessful } from './checks-cli.js';
import { counted, fail, Findings, skip, type Outcome } from './findings.js';
import { containsRef, draftOf, isObject, propertiesOf, schemaProblem } from './json-schema.js';
import type { Session } from './session.js';

/** The discovered catalog, or the outcome explaining why a check cannot read one. */
async function discovered(session: Session): Promise<{ catalog: Catalog; raw: unknown } | Outcome> {
  const { run, raw, catalog } = await session.discover();
  if (!catalog) return run.code === 0 ? skip('--discover printed no readable catalog (see "discover")') : skip('--discover failed (see "discover")');
  return { catalog, raw };
}

const discover: Check = {
  id: 'discover',
  title: '--discover prints one JSON catalog: streams with tap_stream_id, schema, metadata',
  async run(session) {
    const { run, catalog, problem } = await session.discover();
    const failed = unsuccessful(run, session, '--discover');
    if (failed) return failed;
    if (!catalog) return fail(`--discover: ${problem}`);
    const findings = new Findings();
    if (catalog.streams.length === 0) findings.fail('the catalog has no streams');
    const seen = new Set<string>();
    for (const stream of catalog.streams) {
      if (seen.has(stream.tap_stream_id)) findings.fail(`tap_stream_id '${stream.tap_stream_id}' appears twice (it must be unique)`);
      seen.add(stream.tap_stream_id);
      if (typeof stream.stream !== 'string' || stream.stream === '') findings.warn(`stream '${stream.tap_stream_id}' has no "stream" name`);
      if (stream.metadata.length === 0) findings.warn(`stream '${stream.tap_stream_id}' has no metadata: nothing to select it or its fields with`);
    }
    return findings.outcome(counted(catalog.streams.length, 'stream'));
  },
};

const schemas: Check = {
  id: 'discover-schemas',
  title: "every stream's schema is a valid JSON Schema of an object",
  async run(session) {
    const found = await discovered(session);
    if (!('catalog' in found)) return found;
    const findings = new Findings();
    const drafts = new Set<string>();
    for (const stream of found.catalog.streams) {
      drafts.add(draftOf(stream.schema));
      const problem = schemaProblem(stream.schema);
      if (problem) findings.fail(`stream '${stream.tap_stream_id}': the schema is ${problem}`);
      const type = stream.schema.type;
      if (type !== undefined && type !== 'object' && !(Array.isArray(type) && type.includes('object'))) findings.fail(`stream '${stream.tap_stream_id}': the schema's type is ${JSON.stringify(type)}, not "object"`);
      if (Object.keys(propertiesOf(stream.schema)).length === 0) findings.warn(`stream '${stream.tap_stream_id}': the schema declares no properties`);
      if (containsRef(stream.schema)) findings.warn(`stream '${stream.tap_stream_id}': the schema holds a $ref (resolve it before the SCHEMA message)`);
    }
    return findings.outcome(`${counted(found.catalog.streams.length, 'schema')} valid (${[...drafts].join(', ')})`);
  },
};

const METHODS = ['FULL_TABLE', 'INCREMENTAL', 'LOG_BASED'];
const INCLUSIONS = ['available', 'automatic', 'unsupported'];
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The schema node a breadcrumb points to (`["properties", "a", "properties", "b"]`), if any. */
function resolves(schema: unknown, breadcrumb: string[]): boolean {
  let node: unknown = schema;
  for (const step of breadcrumb) {
    if (!isObject(node) || !(step in node)) return false;
    node = node[step];
  }
  return isObject(node);
}

function metadataProblems(stream: CatalogStream, rawMetadata: unknown, findings: Findings): void {
  const at = `stream '${stream.tap_stream_id}'`;
  const raw = Array.isArray(rawMetadata) ? rawMetadata : [];
  raw.forEach((m: unknown, i) => {
    if (!isObject(m) || !isStrings(m.breadcrumb) || !isObject(m.metadata)) findings.fail(`${at}: metadata[${i}] is not {breadcrumb: [strings], metadata: {...}}`);
  });
  const crumbs = new Set<string>();
  for (const { breadcrumb, metadata } of stream.metadata) {
    const crumb = JSON.stringify(breadcrumb);
    if (crumbs.has(crumb)) findings.fail(`${at}: two metadata entries for breadcrumb ${crumb}`);
    crumbs.add(crumb);
    if (breadcrumb.length > 0 && !resolves(stream.schema, breadcrumb)) findings.fail(`${at}: breadcrumb ${crumb} points to nothing in the schema`);
    if (metadata.inclusion !== undefined && !INCLUSIONS.includes(String(metadata.inclusion))) findings.fail(`${at} ${crumb}: inclusion ${JSON.stringify(metadata.inclusion)} is not available, automatic or unsupported`);
    for (const flag of ['selected', 'selected-by-default']) {
      if (metadata[flag] !== undefined && typeof metadata[flag] !== 'boolean') findings.fail(`${at} ${crumb}: ${flag} is ${JSON.stringify(metadata[flag])}, not a boolean`);
    }
  }
  if (stream.metadata.length === 0) return;
  if (!crumbs.has('[]')) {
    findings.fail(`${at}: no stream-level metadata (breadcrumb [])`);
    return;
  }
  const root = rootMetadata(stream);
  for (const list of ['table-key-properties', 'valid-replication-keys']) {
    if (root[list] !== undefined && !isStrings(root[list])) findings.fail(`${at}: ${list} is ${JSON.stringify(root[list])}, not an array of strings`);
  }
  for (const method of ['forced-replication-method', 'replication-method']) {
    if (root[method] !== undefined && !METHODS.includes(String(root[method]))) findings.fail(`${at}: ${method} ${JSON.stringify(root[method])} is not one of ${METHODS.join(', ')}`);
  }
  const valid = isStrings(root['valid-replication-keys']) ? (root['valid-replication-keys'] as string[]) : [];
  if (root['replication-key'] !== undefined) {
    if (typeof root['replication-key'] !== 'string') findings.fail(`${at}: replication-key is not a string`);
    else if (valid.length > 0 && !valid.includes(root['replication-key'])) findings.fail(`${at}: replication-key '${root['replication-key']}' is not among valid-replication-keys ${JSON.stringify(valid)}`);
  }
  if (root['forced-replication-method'] === 'INCREMENTAL' && valid.length === 0 && root['replication-key'] === undefined) {
    findings.fail(`${at}: forced INCREMENTAL, but no valid-replication-keys to bookmark on`);
  }
  const missing = Object.keys(propertiesOf(stream.schema)).filter((p) => !fieldMetadata(stream, p));
  if (missing.length > 0) findings.warn(`${at}: no metadata for ${counted(missing.length, 'property', 'properties')} (${missing.slice(0, 3).join(', ')}): they cannot be deselected`);
}

const metadata: Check = {
  id: 'discover-metadata',
  title: 'Singer metadata well formed: breadcrumbs, inclusion, keys, replication method',
  async run(session) {
    const found = await discovered(session);
    if (!('catalog' in found)) return found;
    const findings = new Findings();
    const raw = isObject(found.raw) && Array.isArray(found.raw.streams) ? found.raw.streams : [];
    found.catalog.streams.forEach((stream, i) => metadataProblems(stream, isObject(raw[i]) ? raw[i].metadata : [], findings));
    return findings.outcome(`metadata of ${counted(found.catalog.streams.length, 'stream')} well formed`);
  },
};

const keys: Check = {
  id: 'discover-keys',
  title: 'key properties and replication keys are properties of the schema, inclusion automatic',
  async run(session) {
    const found = await discovered(session);
    if (!('catalog' in found)) return found;
    const findings = new Findings();
    let incremental = 0;
    for (const stream of found.catalog.streams) {
      const at = `stream '${stream.tap_stream_id}'`;
      const props = propertiesOf(stream.schema);
      const root = rootMetadata(stream);
      const rk = replicationKey(stream);
      if (rk) incremental++;
      const valid = Array.isArray(root['valid-replication-keys']) ? root['valid-replication-keys'].filter((k): k is string => typeof k === 'string') : [];
      const named: Array<[string, string]> = [
        ...keyProperties(stream).map((k): [string, string] => ['key property', k]),
        ...[...new Set([...valid, ...(rk ? [rk] : [])])].map((k): [string, string] => ['replication key', k]),
      ];
      for (const [role, field] of named) {
        if (!(field in props)) findings.fail(`${at}: ${role} '${field}' is not a property of the schema`);
        else if (field === rk || role === 'key property') {
          const inclusion = fieldMetadata(stream, field)?.inclusion;
          if (inclusion !== undefined && inclusion !== 'automatic') findings.fail(`${at}: ${role} '${field}' has inclusion '${String(inclusion)}', not 'automatic' (deselecting it would break upserts and bookmarks)`);
        }
      }
      if (Array.isArray(stream.key_properties) && Array.isArray(root['table-key-properties']) && JSON.stringify(stream.key_properties) !== JSON.stringify(root['table-key-properties'])) {
        findings.warn(`${at}: key_properties ${JSON.stringify(stream.key_properties)} differ from table-key-properties ${JSON.stringify(root['table-key-properties'])}`);
      }
    }
    return findings.outcome(`keys of ${counted(found.catalog.streams.length, 'stream')} in their schemas (${incremental} incremental)`);
  },
};

const NAME = /^[a-z_0-9]+$/;

const names: Check = {
  id: 'stream-names',
  title: 'tap_stream_id matches [a-z_0-9]+ (a warning: the Singer spec asks only for unique ids)',
  async run(session) {
    const found = await discovered(session);
    if (!('catalog' in found)) return found;
    const findings = new Findings();
    for (const stream of found.catalog.streams) {
      if (!NAME.test(stream.tap_stream_id)) findings.warn(`tap_stream_id '${stream.tap_stream_id}' is not [a-z_0-9]+ (targets will rename its table)`);
    }
    return findings.outcome(`${counted(found.catalog.streams.length, 'stream id')} [a-z_0-9]+`);
  },
};

export const DISCOVERY_CHECKS: Check[] = [discover, schemas, metadata, keys, names];
