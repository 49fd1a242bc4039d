import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isSeq } from 'yaml';
import { UserError, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { Generated } from './generate.js';

/** The definition as YAML: a header comment (source, base URL, auth, settings) and one comment per resource saying what was found and what is a guess. */
export function definitionYaml(g: Generated): string {
  const doc = new Document(g.definition);
  doc.commentBefore = g.header.map((l) => ` ${l}`).join('\n');
  const resources = isMap(doc.contents) ? doc.contents.get('resources', true) : undefined;
  if (isSeq(resources)) {
    resources.items.forEach((node, i) => {
      const r = g.resources[i];
      if (r && node && typeof node === 'object') (node as { commentBefore?: string }).commentBefore = r.comment.map((l) => ` ${l}`).join('\n');
    });
  }
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}

/** The stream schemas as a catalog tap-rest's `schema_cache` reads: `--discover` prints them without a request. */
export function schemaCatalog(g: Generated): unknown {
  return {
    streams: g.resources.map((r) => ({
      tap_stream_id: r.name,
      stream: r.name,
      schema: r.schema,
      key_properties: r.keyed ? (Array.isArray(r.config.primary_key) ? r.config.primary_key : [r.config.primary_key]) : [],
      metadata: [],
    })),
  };
}

/** The settings the definition references, as a JSON Schema (secrets marked). */
export function settingsSchema(g: Generated): JsonSchema {
  const optional = new Set(['base_url']);
  return { type: 'object', properties: g.settings, required: Object.keys(g.settings).filter((k) => !optional.has(k)) };
}

export interface WrittenFiles {
  source: string;
  schemas: string;
  settings: string;
  config: string;
}

/** Writes the definition, the schema cache, the settings schema and a config to start from into `dir`. */
export function writeProject(g: Generated, dir: string): WrittenFiles {
  const files: WrittenFiles = { source: join(dir, 'source.yaml'), schemas: join(dir, 'schemas.json'), settings: join(dir, 'settings.schema.json'), config: join(dir, 'config.json') };
  const config: Record<string, unknown> = { source: files.source, schema_cache: files.schemas };
  for (const name of Object.keys(g.settings)) config[name] = '';
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(files.source, definitionYaml(g));
    writeFileSync(files.schemas, JSON.stringify(schemaCatalog(g), null, 2) + '\n');
    writeFileSync(files.settings, JSON.stringify(settingsSchema(g), null, 2) + '\n');
    writeFileSync(files.config, JSON.stringify(config, null, 2) + '\n');
  } catch (error) {
    throw new UserError(`--out ${dir}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return files;
}
