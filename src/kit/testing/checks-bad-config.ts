import { selectAll } from './catalog.js';
import type { Check } from './check.js';
import { fail, Findings, skip, type Outcome } from './findings.js';
import { isObject, propertiesOf } from './json-schema.js';
import { exitText } from './process.js';
import type { Session } from './session.js';
import { parseSingerOutput } from './singer-output.js';
import { failureLines, stackTraceLines } from './stderr.js';

/** Values of the wrong type, by the type they are wrong for (tried in this order). */
const WRONG: Array<[string, unknown]> = [
  ['integer', 'not-a-number'], ['number', 'not-a-number'], ['boolean', 'not-a-boolean'],
  ['array', 'not-an-array'], ['object', 'not-an-object'], ['string', 12345],
];

function typesOf(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const own = Array.isArray(schema.type) ? schema.type : schema.type !== undefined ? [schema.type] : [];
  const variants = [...(Array.isArray(schema.anyOf) ? schema.anyOf : []), ...(Array.isArray(schema.oneOf) ? schema.oneOf : [])];
  return [...own, ...variants.flatMap(typesOf)].filter((t): t is string => typeof t === 'string');
}

/** A setting and a value its schema rejects for its type, e.g. `request_timeout: "not-a-number"`. */
export function wrongTypedSetting(settings: unknown): { name: string; value: unknown; type: string } | undefined {
  const properties = propertiesOf(settings);
  for (const [type, value] of WRONG) {
    const valueTypes = typeof value === 'string' ? ['string'] : ['number', 'integer'];
    for (const [name, schema] of Object.entries(properties)) {
      const types = typesOf(schema);
      if (types.includes(type) && !types.some((t) => valueTypes.includes(t))) return { name, value, type };
    }
  }
  return undefined;
}

/**
 * A run with a bad config: non-zero exit, no RECORD, no stack trace, a line at a failure level
 * (CRITICAL, FATAL or ERROR) and the name of a setting at fault somewhere on stderr.
 */
async function badConfigRun(session: Session, name: string, config: Record<string, unknown>, names: string[]): Promise<Outcome> {
  const { catalog: discovered } = await session.discover();
  const catalog = discovered && selectAll(discovered, { streams: session.options.skipStreams ?? [] });
  const run = await session.once(name, async () => session.run([
    '--config', session.files.json(`${name}.json`, config),
    ...(catalog ? await session.catalogArgs(name, catalog) : []),
  ]));
  if (run.spawnError || run.timedOut) return fail(`${exitText(run, session.timeoutSeconds)}`);
  const findings = new Findings();
  if (run.code === 0) findings.fail('the tap exits 0: the config was accepted');
  if (run.signal) findings.fail(`the tap was ${exitText(run, session.timeoutSeconds)}`);
  const records = parseSingerOutput(run.stdout).messages.filter((m) => m.type === 'RECORD').length;
  if (records > 0) findings.fail(`the tap wrote ${records} records before failing`);
  const trace = stackTraceLines(run.stderr);
  if (trace.length > 0) findings.fail(`stderr holds a stack trace (${trace[0]?.trim().slice(0, 80)}): a user mistake deserves one line`);
  const lines = failureLines(run.stderr);
  if (lines.length === 0) findings.fail('no CRITICAL, FATAL or ERROR line on stderr says what is wrong');
  if (!names.some((n) => run.stderr.includes(n))) findings.fail(`stderr never names the setting at fault (${names.map((n) => `'${n}'`).join(' or ')})`);
  const first = lines[0]?.trim() ?? '';
  return findings.outcome(`${exitText(run, session.timeoutSeconds)}: ${first.slice(0, 140)}`);
}

const emptyConfig: Check = {
  id: 'bad-config-empty',
  title: 'an empty config {}: non-zero exit, one clear line naming a required setting, no stack trace',
  async run(session) {
    const { about } = await session.about();
    if (!about) return skip('--about could not be read, so the required settings are unknown');
    const required = isObject(about.settings) && Array.isArray(about.settings.required) ? about.settings.required.filter((r): r is string => typeof r === 'string') : [];
    if (required.length === 0) return skip('the settings schema requires nothing: {} is a valid config');
    return badConfigRun(session, 'config-empty', {}, required);
  },
};

const wrongType: Check = {
  id: 'bad-config-type',
  title: 'a setting of the wrong type: non-zero exit, one clear line naming it, no stack trace',
  async run(session) {
    const { about } = await session.about();
    if (!about) return skip('--about could not be read, so the settings are unknown');
    const wrong = wrongTypedSetting(about.settings);
    if (!wrong) return skip('no typed setting in the settings schema');
    const outcome = await badConfigRun(session, 'config-wrong-type', { ...session.mergedConfig(), [wrong.name]: wrong.value }, [wrong.name]);
    return { ...outcome, reason: `${wrong.name}=${JSON.stringify(wrong.value)} (${wrong.type} expected): ${outcome.reason}` };
  },
};

export const BAD_CONFIG_CHECKS: Check[] = [emptyConfig, wrongType];
