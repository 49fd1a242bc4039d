import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, expect } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { validateSettingsWith, type SettingsCompiler, type SettingsSchema } from '../../../src/kit/config/settings.js';
import { checkSettings } from '../../../src/kit/config/settings-check.js';
import { createAjv } from '../../../src/kit/records/validate.js';
import type { JsonObject } from '../../../src/kit/core/json.js';
import betterstack from '../../../src/taps/betterstack/tap.js';
import harness from '../../../src/taps/harness/tap.js';
import playground from '../../../src/taps/playground/tap.js';
// @ts-expect-error: a build script (plain JavaScript, no declarations)
import { settingsValidatorsModule } from '../../../scripts/settings-validators.mjs';

/**
 * The settings validators a bundle holds (scripts/settings-validators.mjs: ajv's standalone code,
 * compiled at build time) give the same settings, defaults and error lines as ajv compiling the schema
 * at run time (settings-validate.ts), for every tap with a fixed settings schema.
 */
const root = new URL('../../../', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'kit-settings-compiled-'));

/** The generated module, loaded as the bundle would (its `require`s resolved from the repository). */
async function compiledTable(name: string, schema: SettingsSchema): Promise<ReadonlyMap<string, ValidateFunction>> {
  const file = join(dir, `${name}.mjs`);
  const prelude = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(new URL('package.json', root).href)});\n`;
  writeFileSync(file, prelude + (settingsValidatorsModule(schema) as string));
  const module = (await import(pathToFileURL(file).href)) as { COMPILED_SETTINGS_VALIDATORS: ReadonlyMap<string, ValidateFunction> };
  return module.COMPILED_SETTINGS_VALIDATORS;
}

/** A compiler answering from the table only: a schema missing from it fails the test. */
function tableOnly(table: ReadonlyMap<string, ValidateFunction>): SettingsCompiler {
  return {
    compile(schema) {
      const validate = table.get(JSON.stringify(schema));
      if (!validate) throw new Error('no compiled validator for this schema');
      return validate;
    },
  };
}

type Outcome = { settings: JsonObject; unknown: string[] } | { error: string };

function outcome(run: () => { settings: JsonObject; unknown: string[] }): Outcome {
  try {
    return run();
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const CONFIGS: JsonObject[] = [
  {},
  { api_key: 'k', api_token: 't', account_id: 'a', bearer_token: 'b' },
  { api_key: 'k', start_date: '2025-01-01' },
  { api_key: 'k', start_date: '2025-01-01T10:00:00Z', base_url: 'http://127.0.0.1:5001' },
  { api_key: 'k', start_date: '2025-01-01T10:00:00+02:00' },
  { api_key: 'k', start_date: '2024-02-29T00:00:00Z' },
  { api_key: 'k', start_date: '2025-02-29T00:00:00Z' },
  { api_key: 'k', start_date: '2025-06-30T23:59:60Z' },
  { api_key: 'k', start_date: '2025-13-01' },
  { api_key: 'k', start_date: 'yesterday', base_url: 'not a url', max_retries: -1, request_timeout: 'soon' },
  { api_key: '', base_url: null, max_parallel_requests: 65, retry_backoff_seconds: 0, error_policy: 'ignore' },
  { api_key: 98765432123, emit_activate_version_messages: 'yes', user_agent: 7, unknown_setting: 1 },
  { api_token: 't', account_id: 'a', page_size: 0, dora: { ou_ids: 'x' }, dora_window_days: 1.5 },
  { bearer_token: 'b', max_requests_per_second: 0, stream_maps: 'x', flattening_enabled: 'no' },
];

describe('settings validators compiled at build time', () => {
  for (const tap of [betterstack, harness, playground]) {
    it(`${tap.name}: same settings, defaults and error lines as ajv at run time`, async () => {
      const table = await compiledTable(tap.name, tap.settingsSchema);
      // The schema as a sync checks it, and as discovery does (nothing required).
      expect(table.size).toBe(tap.settingsSchema.required?.length ? 2 : 1);
      for (const config of CONFIGS) {
        for (const requireAll of [true, false]) {
          const check = { schema: tap.settingsSchema, tapName: tap.name, requireAll };
          const compiled = outcome(() => validateSettingsWith(tableOnly(table), config, check));
          const ajv = outcome(() => validateSettingsWith(createAjv({ useDefaults: true }), config, check));
          expect(compiled, `${JSON.stringify(config)} requireAll ${requireAll}`).toEqual(ajv);
        }
      }
    });
  }

  it('from the sources (no compiled table) checkSettings compiles the schema with ajv', async () => {
    const result = await checkSettings({ api_key: 'k', start_date: '2025-01-01' }, { schema: betterstack.settingsSchema, tapName: betterstack.name, requireAll: true });
    expect(result.settings).toMatchObject({ api_key: 'k', start_date: '2025-01-01T00:00:00Z', max_retries: 5, base_url: 'https://uptime.betterstack.com' });
    await expect(checkSettings({ max_retries: -1 }, { schema: betterstack.settingsSchema, tapName: betterstack.name, requireAll: false })).rejects.toThrow("config: setting 'max_retries' must be >= 0 (got -1)");
  });
});
