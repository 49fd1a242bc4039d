import { createAjv } from '../records/validate.js';
import { validateSettingsWith, type SettingsCheck } from './settings.js';
import type { JsonObject } from '../core/json.js';

/**
 * Validates config against the settings schema and fills defaults. Every problem is one line naming
 * the setting; `requireAll: false` (discovery, --about) tolerates missing required settings.
 * (settings.ts itself does not load ajv, so a command that validates nothing starts without it.)
 */
export function validateSettings(config: JsonObject, check: SettingsCheck): { settings: JsonObject; unknown: string[] } {
  return validateSettingsWith(createAjv({ useDefaults: true }), config, check);
}
