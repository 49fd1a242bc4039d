import type { JsonObject } from '../core/json.js';
import { validateSettingsWith, type SettingsCheck, type SettingsCompiler } from './settings.js';

/** The schema has no validator compiled at build time. */
class NotCompiled extends Error {}

/**
 * validateSettings for a command's start: with the validator the bundle holds for this exact schema
 * (settings-compiled.ts), so `--discover` never loads nor runs ajv's compiler; with ajv, loaded now,
 * for a schema known only at run time (tap-rest's) or when running from the sources. Same lines, same
 * defaults either way: the compiled code is what ajv would compile.
 */
export async function checkSettings(config: JsonObject, check: SettingsCheck): Promise<{ settings: JsonObject; unknown: string[] }> {
  const { COMPILED_SETTINGS_VALIDATORS: compiled } = await import('./settings-compiled.js');
  if (compiled.size > 0) {
    const table: SettingsCompiler = {
      compile(checked) {
        const validate = compiled.get(JSON.stringify(checked));
        if (!validate) throw new NotCompiled();
        return validate;
      },
    };
    try {
      return validateSettingsWith(table, config, check);
    } catch (error) {
      if (!(error instanceof NotCompiled)) throw error;
    }
  }
  const { createAjv } = await import('../records/validate.js');
  return validateSettingsWith(createAjv({ useDefaults: true }), config, check);
}
