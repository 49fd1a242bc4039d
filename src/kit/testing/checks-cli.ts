import type { Check } from './check.js';
import { counted, fail, Findings, pass, type Outcome } from './findings.js';
import { isObject, propertiesOf, schemaProblem } from './json-schema.js';
import { exitText, stderrTail, type TapRun } from './process.js';
import type { Session } from './session.js';

/** The capabilities Meltano knows for an extractor (others are reported as a warning). */
export const KNOWN_CAPABILITIES = [
  'about', 'catalog', 'discover', 'properties', 'state', 'test', 'activate-version', 'batch',
  'log-based', 'schema-flattening', 'stream-maps', 'structured-logging',
];

/** A run that should have succeeded: `undefined` when it did, else the failing outcome. */
export function unsuccessful(run: TapRun, session: Session, what: string): Outcome | undefined {
  if (run.code === 0 && !run.timedOut) return undefined;
  const tail = stderrTail(run);
  return fail(`${what}: ${exitText(run, session.timeoutSeconds)}${tail ? ` (stderr: ${tail.slice(0, 300)})` : ''}`);
}

const about: Check = {
  id: 'about',
  title: '--about --format json: name, version, capabilities, settings as a JSON Schema',
  async run(session) {
    const { run, about: info, problem } = await session.about();
    const failed = unsuccessful(run, session, '--about --format json');
    if (failed) return failed;
    if (!info) return fail(`--about --format json: ${problem}`);
    const findings = new Findings();
    if (typeof info.name !== 'string' || info.name === '') findings.fail('"name" is missing or not a string');
    if (typeof info.version !== 'string' || info.version === '') findings.fail('"version" is missing or not a string');
    const capabilities = info.capabilities;
    if (!Array.isArray(capabilities) || !capabilities.every((c) => typeof c === 'string')) findings.fail('"capabilities" is not an array of strings');
    else capabilities.filter((c) => !KNOWN_CAPABILITIES.includes(c)).forEach((c) => findings.warn(`unknown capability '${c}' (Meltano knows ${KNOWN_CAPABILITIES.join(', ')})`));
    const settings = info.settings;
    if (!isObject(settings)) findings.fail('"settings" is missing or not an object (the JSON Schema of the config)');
    else {
      const problem = schemaProblem(settings);
      if (problem) findings.fail(`"settings" is ${problem}`);
      const type = settings.type;
      if (type !== undefined && type !== 'object' && !(Array.isArray(type) && type.includes('object'))) findings.fail(`"settings" has type ${JSON.stringify(type)}, not "object"`);
    }
    const count = Array.isArray(capabilities) ? capabilities.length : 0;
    return findings.outcome(`${String(info.name)} ${String(info.version)}: ${counted(count, 'capability', 'capabilities')}, ${counted(Object.keys(propertiesOf(settings)).length, 'setting')}`);
  },
};

/** `--version` or `--help`: exit 0 with something printed. */
function prints(flag: string): Check {
  return {
    id: flag.slice(2),
    title: `${flag} exits 0 and prints something`,
    async run(session) {
      const run = await session.once(flag, () => session.run([flag]));
      const failed = unsuccessful(run, session, flag);
      if (failed) return failed;
      const text = (run.stdout.trim() || run.stderr.trim()).split('\n')[0] ?? '';
      return text ? pass(`exit 0: ${text.slice(0, 80)}`) : fail(`${flag} exits 0 but prints nothing`);
    },
  };
}

export const CLI_CHECKS: Check[] = [about, prints('--version'), prints('--help')];
