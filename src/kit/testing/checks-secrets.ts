import type { Check } from './check.js';
import { counted, Findings, skip } from './findings.js';
import { isObject, propertiesOf } from './json-schema.js';

/** Setting names that hold a secret whether or not the settings schema marks them (but not `token_url` and the like). */
const SECRET_NAME = /token|secret|password|passwd|api_?key|private_?key/i;
const NOT_SECRET = /(_url|_uri|_endpoint|_path|_file)$/i;

/** The config's secret values (6+ characters): settings marked `secret`/`writeOnly`/`sensitive`, or named like a secret. */
export function secretValues(settings: unknown, config: Record<string, unknown>): Map<string, string> {
  const marked = Object.entries(propertiesOf(settings))
    .filter(([, schema]) => isObject(schema) && (schema.secret === true || schema.writeOnly === true || schema.sensitive === true))
    .map(([name]) => name);
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === 'string' && value.length >= 6 && (marked.includes(name) || (SECRET_NAME.test(name) && !NOT_SECRET.test(name)))) out.set(name, value);
  }
  return out;
}

/** The forms a leaked secret takes: as is, URL-encoded, JSON-escaped. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

const secrets: Check = {
  id: 'secrets',
  title: "no secret of the config appears on stdout or stderr of any run (checked last)",
  async run(session) {
    const { about } = await session.about();
    const values = secretValues(about?.settings, session.mergedConfig());
    if (values.size === 0) return skip('no secret setting has a value in the config');
    const findings = new Findings();
    for (const run of session.runs) {
      for (const [name, value] of values) {
        for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
          if (forms(value).some((form) => text.includes(form))) findings.fail(`the value of '${name}' appears on the ${where} of \`${run.args.join(' ')}\``);
        }
      }
    }
    return findings.outcome(`${counted(values.size, 'secret')} absent from the output of ${counted(session.runs.length, 'run')}`);
  },
};

export const SECRET_CHECKS: Check[] = [secrets];
