import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { parseJsonFile } from '../core/jsontext.js';
import { fileProblem } from '../core/file-errors.js';
import { envName, parseEnvValue, type SettingsSchema } from './settings.js';

/** One `--config` source, read: a file's settings, or `ENV` (read per schema, which names the variables). */
type Source = { env: true } | { env: false; values: JsonObject };

/**
 * The `--config` sources of one run, each file read once (a `--config <(...)` pipe can be read only
 * once), on first use (`--about` and `--version` read none). A tap factory that needs its settings to
 * build itself (tap-rest) reads them from here, and so does the run: one read for both.
 */
export class LoadedConfig {
  private sources: Source[] | undefined;

  constructor(private readonly files: readonly string[], private readonly o: { tapName: string; env?: NodeJS.ProcessEnv }) {}

  private read(): Source[] {
    this.sources ??= this.files.map((source): Source => {
      if (source === 'ENV') return { env: true };
      let text: string;
      try {
        text = readFileSync(source, 'utf8');
      } catch (error) {
        throw new UserError(`--config ${source}: ${fileProblem(error)}`);
      }
      const parsed = parseJsonFile(text, `--config ${source}`);
      if (!isJsonObject(parsed)) throw new UserError(`--config ${source}: the config must be a JSON object of settings`);
      return { env: false, values: parsed };
    });
    return this.sources;
  }

  /** The settings of `schema`, in order (later wins); `ENV` reads `<TAP>_<SETTING>` variables of the schema's settings. */
  values(schema: SettingsSchema): JsonObject {
    const config: JsonObject = {};
    const env = this.o.env ?? process.env;
    for (const source of this.read()) {
      if (!source.env) {
        Object.assign(config, source.values);
        continue;
      }
      for (const [name, prop] of Object.entries(schema.properties)) {
        const raw = env[envName(this.o.tapName, name)];
        if (raw !== undefined) config[name] = parseEnvValue(raw, prop);
      }
    }
    return config;
  }
}

/** Reads `--config` files in order (later wins); `ENV` reads `<TAP>_<SETTING>` environment variables. */
export function loadConfig(sources: readonly string[], of: { tapName: string; schema: SettingsSchema; env?: NodeJS.ProcessEnv }): JsonObject {
  return new LoadedConfig(sources, { tapName: of.tapName, env: of.env ?? process.env }).values(of.schema);
}
