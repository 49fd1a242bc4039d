import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { isJsonObject, UserError } from '@singer-io-compatible/tap-kit';
import { checkDefinition } from '../load.js';
import { compileResources } from '../resources.js';
import { readDocument } from './document.js';
import { generate } from './generate.js';
import { snake } from './names.js';
import { summary } from './summary.js';
import { writeProject } from './writer.js';

export const INIT_USAGE = 'Usage: tap-rest init --openapi SPEC [--out DIR] [--only PATTERN]\n\n'
  + 'Writes a dlt rest_api definition (DIR/source.yaml), typed stream schemas (DIR/schemas.json, read by --discover\n'
  + 'through the schema_cache setting), the settings schema (DIR/settings.schema.json) and a config to fill in\n'
  + '(DIR/config.json) from an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML).\n\n'
  + '  --openapi SPEC   the document (a local file)\n'
  + '  --out DIR        where to write (default: a directory named after the API\'s title, else the file)\n'
  + '  --only PATTERN   only resources whose name or path matches (comma-separated globs, * any text), and their parents\n';

/** `tap-rest init ...`: the files written, the summary on stderr; a user error is one line. */
export async function runInit(argv: string[]): Promise<void> {
  let values: { openapi?: string; out?: string; only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { openapi: { type: 'string' }, out: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UserError(`tap-rest init: ${(error as Error).message.split('\n')[0]} (tap-rest init --openapi SPEC [--out DIR] [--only PATTERN])`);
  }
  if (values.help) {
    process.stdout.write(INIT_USAGE);
    return;
  }
  if (!values.openapi) throw new UserError('tap-rest init: --openapi SPEC is required (a local OpenAPI 3.0/3.1 or Swagger 2.0 document, JSON or YAML)');
  const source = await readDocument(values.openapi);
  const generated = generate(source, values.only);
  // Only GETs that read nothing (204 checks, sign-in redirects) is no definition either.
  if (!generated.resources.some((r) => r.unselected !== 'reads nothing')) {
    throw new UserError(`${source.label}: no GET endpoint with records to write (${generated.readEndpoints} found among ${generated.operations} operation(s)${values.only ? `, none matching --only ${values.only}` : ''}; one is a GET answering JSON, XML, text or bytes)`);
  }
  // The definition must be one tap-rest runs: checked as tap-rest checks it, before anything is written.
  const def = checkDefinition(JSON.parse(JSON.stringify(generated.definition)), `${source.label} (generated definition)`);
  compileResources(def, `${source.label} (generated definition)`);
  // Named after the document's title; a document with none (or none of a name's letters) after its file, not 'api'.
  const title = isJsonObject(source.doc.info) && typeof source.doc.info.title === 'string' ? source.doc.info.title : '';
  const dir = values.out ?? (snake(title) || snake(basename(values.openapi).replace(/\.[^.]+$/, '')) || 'api');
  const files = writeProject(generated, dir);
  for (const line of summary(generated, source.label, files)) process.stderr.write(line + '\n');
}
