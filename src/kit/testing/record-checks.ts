import type { ValidateFunction } from 'ajv';
import { Findings } from './findings.js';
import { compileSchema, errorsText, isObject, schemaProblem } from './json-schema.js';
import type { SingerOutput } from './singer-output.js';

/**
 * Every RECORD valid against the latest SCHEMA of its stream (ajv, the schema's own draft,
 * formats checked: a `date-time` must be RFC 3339).
 */
export function checkRecords(output: SingerOutput): { findings: Findings; checked: number } {
  const findings = new Findings();
  const validators = new Map<string, ValidateFunction | undefined>();
  const unusable = new Set<string>();
  let checked = 0;
  for (const m of output.messages) {
    const stream = m.body.stream;
    if (typeof stream !== 'string') continue;
    if (m.type === 'SCHEMA' && isObject(m.body.schema)) {
      const schema = m.body.schema;
      validators.set(stream, schemaProblem(schema) ? undefined : compileSchema(schema));
    } else if (m.type === 'RECORD' && isObject(m.body.record)) {
      if (!validators.has(stream)) continue;
      const validate = validators.get(stream);
      if (!validate) {
        if (!unusable.has(stream)) findings.fail(`stream '${stream}': its SCHEMA is not a valid JSON Schema, so its records cannot be checked`);
        unusable.add(stream);
        continue;
      }
      checked++;
      if (!validate(m.body.record)) {
        findings.fail(`line ${m.line}: RECORD '${stream}' does not match its SCHEMA: ${errorsText(validate.errors)} (record ${JSON.stringify(m.body.record).slice(0, 160)})`);
      }
    }
  }
  return { findings, checked };
}
